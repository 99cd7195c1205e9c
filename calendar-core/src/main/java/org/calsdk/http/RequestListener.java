package org.calsdk.http;

import org.calsdk.model.Mailbox;

/**
 * An accounting hook of {@link HttpTransport}: told about every HTTP attempt (retries included). Used by
 * benchmarks and tests to count calls per operation, and by host applications for metrics. Methods are
 * called on the calling thread and must be quick and thread-safe; an exception thrown by a listener is
 * logged and ignored.
 *
 * <pre>{@code
 * RequestCounter counter = new RequestCounter();
 * HttpTransport t = HttpTransport.builder().listener(counter).build();
 * // ... calls ...
 * long propfinds = counter.count("propfind");
 * }</pre>
 *
 * @since 0.1
 * @see RequestCounter
 */
@FunctionalInterface
public interface RequestListener {
    /**
     * One attempt finished (with a response or a failure).
     *
     * @param record what the attempt was and how it ended
     */
    void onRequest(RequestRecord record);

    /**
     * An attempt acquired its concurrency permits and is about to go on the wire. Paired with
     * {@link #onAttemptEnd}. The default does nothing.
     *
     * @param host the target host
     * @param mailbox the mailbox the call acts for, or null
     */
    default void onAttemptStart(String host, Mailbox mailbox) {}

    /**
     * The attempt started by {@link #onAttemptStart} released its permits. The default does nothing.
     *
     * @param host the target host
     * @param mailbox the mailbox the call acts for, or null
     */
    default void onAttemptEnd(String host, Mailbox mailbox) {}
}
