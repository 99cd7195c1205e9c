package org.calsdk.caldav.internal;

import java.time.Duration;
import okhttp3.Request;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.model.Mailbox;

/**
 * A {@link DavExchange} on the SDK's {@link HttpTransport}: retries (a conditional PUT counts as
 * idempotent, so a create whose answer was lost is re-sent and then finds its own event through 412),
 * concurrency limits, accounting and cancellation come from the transport. The transport is the
 * connection's own (built by the provider, or derived from the host's with
 * {@link HttpTransport#withClient}), so closing the exchange closes it, never the host's.
 */
public final class TransportExchange implements DavExchange {
    private final HttpTransport transport;
    private final Authorizer authorizer;
    private final Mailbox mailbox;
    private final Runnable onClose;
    private final Duration timeout;

    /**
     * @param timeout each call's overall deadline, or null for the transport's
     * @param onClose run on close, may be null
     */
    public TransportExchange(
            HttpTransport transport, Authorizer authorizer, Mailbox mailbox, Duration timeout, Runnable onClose) {
        this.transport = transport;
        this.authorizer = authorizer;
        this.mailbox = mailbox;
        this.timeout = timeout;
        this.onClose = onClose;
    }

    @Override
    public DavResponse execute(Request request, String operation, boolean authorize) {
        HttpCall call = HttpCall.builder(request)
                .operation(operation)
                .mailbox(mailbox)
                .authorizer(authorize ? authorizer : Authorizer.none())
                .timeout(timeout)
                .build();
        HttpResponse r = transport.execute(call);
        return new DavResponse(r.status(), r.headers(), r.body(), request.url(), r.attempts());
    }

    @Override
    public void close() {
        transport.close();
        if (onClose != null) {
            onClose.run();
        }
    }
}
