package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Responses classified from their bodies (issue 11 item 8), and a vendor's OkHttp client run on the transport. */
class ResponseClassificationTest {
    /** Google: a 403 whose reason is a rate limit is throttling, not a refusal. */
    static final ResponseClassifier GOOGLE = r ->
            r.status() == 403 && r.bodyString().matches("(?s).*\"reason\"\\s*:\\s*\"(user)?[rR]ateLimitExceeded\".*")
                    ? ResponseClass.rateLimited(null, "rateLimitExceeded")
                    : ResponseClass.byStatus();

    private static final Pattern BACK_OFF = Pattern.compile("<[^>]*BackOffMilliseconds>\\s*(\\d{1,9})\\s*<");

    /** EWS: ErrorServerBusy asks to wait BackOffMilliseconds; any other SOAP fault on 500 is an answer. */
    static final ResponseClassifier EWS = r -> {
        if (r.status() != 500) {
            return ResponseClass.byStatus();
        }
        String body = r.bodyString();
        if (body.contains("ErrorServerBusy")) {
            Matcher m = BACK_OFF.matcher(body);
            return ResponseClass.rateLimited(
                    m.find() ? Duration.ofMillis(Long.parseLong(m.group(1))) : null, "ErrorServerBusy");
        }
        return body.contains("soap:Fault") || body.contains("s:Fault")
                ? ResponseClass.answer()
                : ResponseClass.byStatus();
    };

    private static final String GOOGLE_RATE = "{\"error\":{\"code\":403,\"errors\":[{\"domain\":\"usageLimits\","
            + "\"reason\":\"rateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}]}}";
    private static final String GOOGLE_FORBIDDEN = "{\"error\":{\"code\":403,\"errors\":[{\"reason\":\"forbidden\"}]}}";
    private static final String EWS_BUSY = "<s:Envelope><s:Body><s:Fault><faultcode>a:ErrorServerBusy</faultcode>"
            + "<detail><e:ResponseCode>ErrorServerBusy</e:ResponseCode><t:MessageXml>"
            + "<t:Value Name=\"BackOffMilliseconds\">1500</t:Value><t:BackOffMilliseconds>1500</t:BackOffMilliseconds>"
            + "</t:MessageXml></detail></s:Fault></s:Body></s:Envelope>";
    private static final String EWS_FAULT = "<s:Envelope><s:Body><s:Fault><faultcode>a:ErrorInvalidRequest</faultcode>"
            + "</s:Fault></s:Body></s:Envelope>";

    private final MockWebServer server = new MockWebServer();
    private final FakeTime time = new FakeTime();
    private final RequestCounter counter = new RequestCounter();
    private HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        transport = HttpTransport.builder()
                .provider("test")
                .clock(time)
                .sleeper(time)
                .listener(counter)
                .retryPolicy(RetryPolicy.custom()
                        .random(new Random(7))
                        .maxAttempts(3)
                        .build())
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        server.shutdown();
    }

    private HttpCall call(ResponseClassifier classifier, boolean post) {
        Request.Builder b = new Request.Builder().url(server.url("/api"));
        if (post) {
            b.post(RequestBody.create("<x/>", MediaType.get("text/xml")));
        }
        return HttpCall.builder(b.build())
                .operation("op")
                .classifier(classifier)
                .build();
    }

    @Test
    void aGoogle403RateLimitIsRetriedEvenForAPostAndEndsAsRateLimited() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(403).setBody(GOOGLE_RATE));
        }
        assertThatThrownBy(() -> transport.execute(call(GOOGLE, true)))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("rateLimitExceeded").doesNotContain("Rate Limit Exceeded");
                });
        assertThat(counter.count("op")).isEqualTo(3);
        assertThat(time.sleeps).hasSize(2);
    }

    @Test
    void aGoogle403ThatIsARealRefusalStaysPermissionDenied() {
        server.enqueue(new MockResponse().setResponseCode(403).setBody(GOOGLE_FORBIDDEN));
        HttpResponse r = transport.execute(call(GOOGLE, false));
        assertThat(r.status()).isEqualTo(403);
        assertThat(HttpErrors.toException(r, null, "reading")).isInstanceOf(PermissionDeniedException.class);
        assertThat(counter.count("op")).isEqualTo(1);
    }

    @Test
    void ewsServerBusyWaitsTheBackOffItAskedFor() {
        server.enqueue(new MockResponse().setResponseCode(500).setBody(EWS_BUSY));
        server.enqueue(new MockResponse().setBody("<ok/>"));
        HttpResponse r = transport.execute(call(EWS, true));
        assertThat(r.bodyString()).isEqualTo("<ok/>");
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(1500));
    }

    @Test
    void anEwsFaultOn500IsAnAnswerReturnedAtOnce() {
        server.enqueue(new MockResponse().setResponseCode(500).setBody(EWS_FAULT));
        HttpResponse r = transport.execute(call(EWS, false));
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyString()).contains("ErrorInvalidRequest");
        assertThat(counter.count("op")).as("an answer is not retried").isEqualTo(1);
    }

    @Test
    void aBackOffLongerThanThePolicyAllowsFailsAtOnceWithTheServersValue() {
        server.enqueue(new MockResponse().setResponseCode(500).setBody(EWS_BUSY.replace("1500", "600000")));
        assertThatThrownBy(() -> transport.execute(call(EWS, false)))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).hasValue(Duration.ofMinutes(10)));
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void aHuge5xxBodyIsKeptCutForTheClassifierInsteadOfFailingAsTooLarge() {
        HttpTransport small = HttpTransport.builder()
                .provider("test")
                .clock(time)
                .sleeper(time)
                .retryPolicy(RetryPolicy.none())
                .maxResponseBytes(1024)
                .build();
        StringBuilder big = new StringBuilder(EWS_FAULT);
        while (big.length() < 300_000) {
            big.append("<pad>0123456789</pad>");
        }
        server.enqueue(new MockResponse().setResponseCode(500).setBody(big.toString()));
        int[] seen = new int[1];
        HttpResponse r = small.execute(call(
                resp -> {
                    seen[0] = resp.body().length;
                    return EWS.classify(resp);
                },
                false));
        assertThat(seen[0]).isEqualTo(HttpTransport.MAX_ERROR_BODY_BYTES);
        assertThat(r.bodyString()).startsWith(EWS_FAULT);
    }

    @Test
    void aClassifierThatThrowsFallsBackToTheStatus() {
        server.enqueue(new MockResponse().setResponseCode(404));
        HttpResponse r = transport.execute(call(
                resp -> {
                    throw new IllegalStateException("bug");
                },
                false));
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void theRetryPolicyDecidesByTheClass() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.isRetryable(ResponseClass.rateLimited(null, ""), 403, false))
                .isTrue();
        assertThat(p.isRetryable(ResponseClass.unavailable(null, ""), 200, false))
                .isTrue();
        assertThat(p.isRetryable(ResponseClass.answer(), 503, true)).isFalse();
        assertThat(p.isRetryable(ResponseClass.byStatus(), 500, false)).isFalse();
        assertThat(p.isRetryable(ResponseClass.byStatus(), 500, true)).isTrue();
        assertThatThrownBy(() -> new ResponseClass(ResponseClass.Kind.ANSWER, Duration.ofSeconds(1), ""))
                .isInstanceOf(org.calsdk.errors.InvalidInputException.class);
    }

    @Test
    void aVendorOkHttpClientRunsOnTheTransportWithItsAccountingRetriesAndTypedFailures() throws Exception {
        Mailbox alice = Mailbox.of("alice@example.com");
        OkHttpClient vendor = new OkHttpClient.Builder()
                .addInterceptor(TransportInterceptor.of(
                        transport,
                        req -> HttpCall.builder(req)
                                .operation("vendor-" + req.method().toLowerCase(java.util.Locale.ROOT))
                                .mailbox(alice)
                                .build()))
                .build();
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setBody("{\"value\":[]}").setHeader("Content-Type", "application/json"));
        try (Response r = vendor.newCall(
                        new Request.Builder().url(server.url("/v1.0/users")).build())
                .execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("{\"value\":[]}");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        }
        assertThat(counter.count("vendor-get")).as("both attempts accounted").isEqualTo(2);
        assertThat(counter.count(alice)).isEqualTo(2);

        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere")));
        try (Response r = vendor.newCall(
                        new Request.Builder().url(server.url("/moved")).build())
                .execute()) {
            assertThat(r.code()).as("redirects go back to the SDK").isEqualTo(302);
        }

        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(500));
        }
        Request post = new Request.Builder()
                .url(server.url("/v1.0/x"))
                .post(RequestBody.create("{}", MediaType.get("application/json")))
                .build();
        assertThatThrownBy(() -> vendor.newCall(post).execute())
                .isInstanceOfSatisfying(
                        TransportInterceptor.TransportException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ProviderUnavailableException.class));
        assertThat(counter.count("vendor-post"))
                .as("a non-idempotent 500 is not resent")
                .isEqualTo(1);
        server.takeRequest();
        server.takeRequest();
        server.takeRequest();
        assertThat(server.takeRequest().getBody().readUtf8())
                .as("the vendor's body arrived")
                .isEqualTo("{}");
    }
}
