package org.calsdk.testkit;

import java.net.URI;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.model.Mailbox;

/**
 * A {@link CalendarFake} that is an HTTP server a real provider talks to. {@link CalendarFakeExtension}
 * injects its {@link #baseUrl()} into test parameters of type {@link URI}, and a ready
 * {@link ConnectionConfig} (for the extension's {@code connectAs} mailbox) into parameters of that type.
 *
 * @since 0.1
 */
public interface HttpCalendarFake extends CalendarFake {

    /**
     * The URL a client is given, such as {@code http://127.0.0.1:41234/}.
     *
     * @return the root URL on 127.0.0.1
     * @throws IllegalStateException if the fake is not started
     */
    URI baseUrl();

    /**
     * A connection config for {@code mailbox} against this fake (provider id, URL, credentials, settings).
     *
     * @param mailbox the mailbox to act as
     * @return a builder, ready to build or to add settings to
     */
    ConnectionConfig connectionConfig(Mailbox mailbox);
}
