package org.calsdk.testkit;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.calsdk.api.WebhookRequest;
import org.calsdk.internal.Checks;

/**
 * Delivers webhooks for real: fakes (and tests) POST notifications and validation handshakes over HTTP
 * to the host's endpoint, as Google, Graph and EWS push do, and see what it answered. A failed delivery
 * (refused connection, timeout) is reported in the {@link Delivery}, not thrown, so a fake can retry or
 * drop it as its provider would. The answer body read is capped at {@link #MAX_ANSWER_BYTES}.
 *
 * <pre>{@code
 * WebhookClient hooks = WebhookClient.create().timeout(Duration.ofSeconds(3));      // Graph: ack within 3 s
 * Delivery v = hooks.graphValidation(URI.create("http://127.0.0.1:8080/hooks/graph"), "token-123");
 * assertThat(v.echoed("token-123")).isTrue();
 * memoryService.onWebhook(hooks.forwardTo(URI.create("http://127.0.0.1:8080/hooks/memory")));
 * }</pre>
 *
 * @since 0.1
 */
public final class WebhookClient {
    /** The most bytes of an answer body read. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final OkHttpClient client;

    private WebhookClient(OkHttpClient client) {
        this.client = client;
    }

    /**
     * A client with 10-second timeouts, not following redirects (a provider does not).
     *
     * @return a new client with its own OkHttp client
     */
    public static WebhookClient create() {
        return using(new OkHttpClient.Builder()
                .followRedirects(false)
                .callTimeout(Duration.ofSeconds(10))
                .build());
    }

    /**
     * A client on {@code client} (for TLS trust of an HTTPS endpoint, proxies, timeouts).
     *
     * @param client the OkHttp client to send with; redirects are switched off on a copy
     * @return the client
     */
    public static WebhookClient using(OkHttpClient client) {
        return new WebhookClient(Checks.notNull(client, "client"));
    }

    /**
     * A copy whose deliveries fail when the endpoint takes longer than {@code timeout} to answer.
     *
     * @param timeout the answer deadline, positive
     * @return the copy
     */
    public WebhookClient timeout(Duration timeout) {
        Checks.notNull(timeout, "timeout");
        return new WebhookClient(client.newBuilder().callTimeout(timeout).build());
    }

    /**
     * POSTs one notification.
     *
     * @param endpoint    the host's webhook URL
     * @param headers     headers to send (such as {@code X-Goog-Channel-ID}, {@code X-Goog-Resource-State})
     * @param contentType the body's type, or null for none
     * @param body        the body, possibly empty
     * @return what the endpoint answered
     */
    public Delivery post(URI endpoint, Map<String, List<String>> headers, String contentType, byte[] body) {
        HttpUrl url = url(endpoint);
        return send(url, "POST", headers, contentType, body == null ? new byte[0] : body);
    }

    /**
     * Delivers a {@link WebhookRequest} (as the in-memory reference service produces them) to
     * {@code endpoint}: its method, headers, query parameters and body.
     *
     * @param endpoint the host's webhook URL
     * @param request the webhook as the provider would send it
     * @return what the endpoint answered; a refused or timed-out delivery has status 0 and a {@code failure}, nothing
     *     is thrown
     */
    public Delivery deliver(URI endpoint, WebhookRequest request) {
        Checks.notNull(request, "request");
        HttpUrl.Builder url = url(endpoint).newBuilder();
        request.query().forEach(url::addQueryParameter);
        String type = request.header("Content-Type").orElse(request.body().length == 0 ? null : "application/json");
        return send(url.build(), request.method(), request.headers(), type, request.body());
    }

    /**
     * A listener for {@code InMemoryCalendarService.onWebhook} that delivers each webhook to {@code endpoint}.
     *
     * @param endpoint the host's webhook URL
     * @return the listener; it ignores what the endpoint answers
     */
    public Consumer<WebhookRequest> forwardTo(URI endpoint) {
        url(endpoint);
        return r -> deliver(endpoint, r);
    }

    /**
     * Graph's subscription validation: {@code POST endpoint?validationToken=TOKEN} with an empty
     * {@code text/plain} body; the endpoint must answer 200 with the token as plain text within 10 s
     * ({@link Delivery#echoed}).
     *
     * @param endpoint the host's webhook URL
     * @param validationToken the token to send
     * @return what the endpoint answered; see {@link Delivery#echoed}
     */
    public Delivery graphValidation(URI endpoint, String validationToken) {
        Checks.notBlank(validationToken, "validationToken");
        HttpUrl url = url(endpoint)
                .newBuilder()
                .addQueryParameter("validationToken", validationToken)
                .build();
        return send(url, "POST", Map.of(), "text/plain; charset=utf-8", new byte[0]);
    }

    private static HttpUrl url(URI endpoint) {
        Checks.notNull(endpoint, "endpoint");
        HttpUrl url = HttpUrl.get(endpoint);
        if (url == null) {
            throw new org.calsdk.errors.InvalidInputException("endpoint", "not an http(s) URL: " + endpoint);
        }
        return url;
    }

    private Delivery send(
            HttpUrl url, String method, Map<String, List<String>> headers, String contentType, byte[] body) {
        Request.Builder r = new Request.Builder().url(url);
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> r.addHeader(name, v));
            }
        });
        RequestBody rb = contentType == null && body.length == 0
                ? RequestBody.create(new byte[0], null)
                : RequestBody.create(body, contentType == null ? null : MediaType.parse(contentType));
        r.method(method, method.equals("GET") || method.equals("HEAD") ? null : rb);
        long start = System.nanoTime();
        try (Response resp = client.newCall(r.build()).execute()) {
            Map<String, String> h = new LinkedHashMap<>();
            resp.headers().forEach(p -> h.putIfAbsent(p.getFirst(), p.getSecond()));
            byte[] answer = new byte[0];
            if (resp.body() != null) {
                okio.BufferedSource src = resp.body().source();
                src.request(MAX_ANSWER_BYTES);
                answer = src.getBuffer().readByteArray(Math.min(src.getBuffer().size(), MAX_ANSWER_BYTES));
            }
            return new Delivery(resp.code(), h, answer, Duration.ofNanos(System.nanoTime() - start), null);
        } catch (IOException e) {
            return new Delivery(
                    0,
                    Map.of(),
                    new byte[0],
                    Duration.ofNanos(System.nanoTime() - start),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * What the endpoint answered.
     *
     * @param status  HTTP status (0 when the delivery failed)
     * @param headers answer headers (first value each)
     * @param body    answer body (up to {@link #MAX_ANSWER_BYTES})
     * @param took    how long the endpoint took
     * @param failure why the delivery failed (refused, timed out), or null
     */
    public record Delivery(
            int status,
            Map<String, String> headers,
            byte[] body,
            Duration took,
            @org.jspecify.annotations.Nullable String failure) {
        /**
         * Checks and copies the answer.
         *
         * @param status HTTP status (0 when the delivery failed)
         * @param headers answer headers (first value each)
         * @param body answer body (up to {@link #MAX_ANSWER_BYTES})
         * @param took how long the endpoint took
         * @param failure why the delivery failed (refused, timed out), or null
         * @throws NullPointerException if {@code took}, {@code headers} or {@code body} is null
         */
        public Delivery {
            Checks.notNull(took, "took");
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        /**
         * The answer body.
         *
         * @return a copy of the bytes (up to {@link #MAX_ANSWER_BYTES})
         */
        @Override
        public byte[] body() {
            return body.clone();
        }

        /**
         * Whether the endpoint accepted it (2xx).
         *
         * @return true for a 2xx status
         */
        public boolean accepted() {
            return status >= 200 && status < 300;
        }

        /**
         * The answer body as text.
         *
         * @return the body decoded as UTF-8
         */
        public String bodyString() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        /**
         * Whether the endpoint passed Graph's validation: 200, {@code text/plain}, the token as the body.
         *
         * @param validationToken the token that was sent
         * @return true when the endpoint echoed it correctly
         */
        public boolean echoed(String validationToken) {
            String type = headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse("");
            return status == 200
                    && type.startsWith("text/plain")
                    && bodyString().equals(validationToken);
        }
    }
}
