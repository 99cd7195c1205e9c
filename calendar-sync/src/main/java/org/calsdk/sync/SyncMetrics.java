package org.calsdk.sync;

import java.time.Duration;
import org.calsdk.model.Mailbox;

/**
 * Numbers about sync, per provider, for the host's metrics system. Methods have empty defaults and must be
 * cheap and must not throw.
 *
 * <pre>{@code
 * SyncMetrics metrics = new SyncMetrics() {
 *     public void mailboxSynced(String provider, Mailbox m, Duration d, int pulled, int pushed) {
 *         timer(provider).record(d);
 *     }
 * };
 * }</pre>
 *
 * <p>For Micrometer, use {@link MicrometerSyncMetrics} (needs {@code io.micrometer:micrometer-core} on the
 * host's class path; the engine itself does not).
 *
 * @since 0.1
 */
public interface SyncMetrics {

    /**
     * A mailbox pass finished.
     *
     * @param provider the provider id (for example {@code graph})
     * @param mailbox the mailbox the pass was about
     * @param duration how long it took
     * @param changesPulled changes read
     * @param pushes how many pushes
     */
    default void mailboxSynced(String provider, Mailbox mailbox, Duration duration, int changesPulled, int pushes) {}

    /**
     * A mailbox pass failed; {@code errorType} is the exception's simple class name.
     *
     * @param provider the provider id (for example {@code graph})
     * @param mailbox the mailbox the pass was about
     * @param errorType the error's type (its simple class name)
     */
    default void syncFailed(String provider, Mailbox mailbox, String errorType) {}

    /**
     * A mailbox pass failed after running for {@code duration}; {@code errorType} is the exception's simple
     * class name. The engine calls this one; by default it calls {@link #syncFailed(String, Mailbox, String)}.
     *
     * @param provider the provider id (for example {@code graph})
     * @param mailbox the mailbox the pass was about
     * @param duration how long it took
     * @param errorType the error's type (its simple class name)
     */
    default void syncFailed(String provider, Mailbox mailbox, Duration duration, String errorType) {
        syncFailed(provider, mailbox, errorType);
    }

    /**
     * A push was attempted.
     *
     * @param provider the provider id (for example {@code graph})
     * @param operation what the push does
     * @param succeeded whether it succeeded
     */
    default void pushAttempted(String provider, OutboxEntry.Operation operation, boolean succeeded) {}

    /**
     * A push failed (called after {@code pushAttempted(provider, operation, false)}); {@code errorType} is the
     * exception's simple class name. The entry may still be retried.
     *
     * @param provider the provider id (for example {@code graph})
     * @param operation what the push does
     * @param errorType the error's type (its simple class name)
     */
    default void pushFailed(String provider, OutboxEntry.Operation operation, String errorType) {}

    /** Metrics that go nowhere. */
    SyncMetrics NONE = new SyncMetrics() {};
}
