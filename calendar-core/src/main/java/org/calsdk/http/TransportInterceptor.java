package org.calsdk.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.calsdk.errors.CalendarException;
import org.calsdk.internal.Checks;

/**
 * Runs a vendor SDK that brings its own OkHttp stack on an {@link HttpTransport}, keeping the transport's
 * accounting, concurrency limits, retry policy, response classification and cancellation: an OkHttp
 * application interceptor that answers every request of the vendor's client by
 * {@link HttpTransport#execute(HttpCall)}, so the vendor client's own connection pool, retries and redirect
 * following are never reached (3xx answers go back to the SDK as they are).
 *
 * <pre>{@code
 * OkHttpClient forVendor = new OkHttpClient.Builder()
 *     .addInterceptor(TransportInterceptor.of(transport, request -> HttpCall.builder(request)
 *         .operation(operationOf(request)).mailbox(mailbox).authorizer(authorizer).build()))
 *     .build();
 * // hand forVendor to the SDK (Microsoft Graph's Kiota OkHttp adapter takes an OkHttpClient)
 * }</pre>
 *
 * <p>Where it works and where it cannot:
 * <ul>
 *   <li><b>SDKs on OkHttp</b> (Microsoft Graph): this interceptor. Request bodies are sent once per attempt,
 *       so they must be re-readable (OkHttp's byte and string bodies are; a one-shot body is sent only once).</li>
 *   <li><b>google-http-client</b> (Google's API clients): the provider module implements its
 *       {@code HttpTransport}/{@code LowLevelHttpRequest} over {@link HttpTransport#execute(HttpCall)}, the
 *       same way; the core cannot ship it without depending on that library.</li>
 *   <li><b>Impossible: the EWS Java API</b> hard-wires Apache HttpClient 4 with its own pool and retries and
 *       has no pluggable transport, so no adapter can keep accounting, limits or cancellation for it; an EWS
 *       provider speaks SOAP over {@link HttpTransport} itself.</li>
 * </ul>
 *
 * <p>Failures reach the SDK as {@link IOException}s it expects: a {@link TransportException} whose
 * {@link TransportException#failure()} is the SDK's typed {@link CalendarException}, and an
 * {@link InterruptedIOException} when the surrounding async task was cancelled. The vendor's own
 * {@code Call.cancel()} is not seen by the transport; cancel the SDK's future instead (its thread's
 * cancellation scope aborts the exchange).
 *
 * @since 0.2
 */
public final class TransportInterceptor implements Interceptor {
    private final HttpTransport transport;
    private final Function<Request, HttpCall> toCall;

    private TransportInterceptor(HttpTransport transport, Function<Request, HttpCall> toCall) {
        this.transport = transport;
        this.toCall = toCall;
    }

    /**
     * An interceptor that sends through {@code transport}.
     *
     * @param toCall turns the vendor's request into the call to make (operation name, mailbox, authorizer,
     *               classifier); it should build on the request it is given
     * @param transport the transport that sends, retries and accounts
     * @return the interceptor, to add to the vendor client's OkHttp client
     */
    public static TransportInterceptor of(HttpTransport transport, Function<Request, HttpCall> toCall) {
        return new TransportInterceptor(Checks.notNull(transport, "transport"), Checks.notNull(toCall, "toCall"));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpCall call = Checks.notNull(toCall.apply(request), "toCall result");
        HttpResponse r;
        try {
            r = transport.execute(call);
        } catch (CalendarException e) {
            throw new TransportException(e);
        } catch (CancellationException e) {
            InterruptedIOException io = new InterruptedIOException("canceled");
            io.initCause(e);
            throw io;
        }
        String type = r.header("Content-Type");
        return new Response.Builder()
                .request(request)
                .protocol(Protocol.HTTP_1_1)
                .code(r.status())
                .message("")
                .headers(r.headers())
                .body(ResponseBody.create(r.body(), type == null ? null : MediaType.parse(type)))
                .build();
    }

    /** An SDK-facing {@link IOException} that carries the transport's typed failure. */
    public static final class TransportException extends IOException {
        private static final long serialVersionUID = 1L;

        TransportException(CalendarException failure) {
            super(failure.getMessage(), failure);
        }

        /**
         * The typed failure (rate limited, unavailable, re-authorization required, ...).
         *
         * @return the exception the transport threw
         */
        public CalendarException failure() {
            return (CalendarException) getCause();
        }
    }
}
