package org.calsdk.testkit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.calsdk.testkit.BatchFormat;
import org.calsdk.testkit.ErrorDialect;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stateful fake mounted in WireMock next to an ordinary stub: state, faults, batches and accounting work. */
class FakeServerTransformerTest {
    private final Map<String, String> items = new ConcurrentHashMap<>();
    private final FakeServer<Map<String, String>> fake = FakeServer.builder(items)
            .name("items")
            .errorDialect(ErrorDialect.graph())
            .batch(BatchFormat.graphJson())
            .route("PUT", "/v1.0/users/{mailbox}/items/{id}", "items.put", (req, s) -> {
                s.put(req.pathParam("id"), req.bodyString());
                return FakeResponse.of(204);
            })
            .route("GET", "/v1.0/users/{mailbox}/items/{id}", "items.get", (req, s) -> {
                String v = s.get(req.pathParam("id"));
                return v == null
                        ? FakeResponse.json(404, "{}")
                        : FakeResponse.json(200, v).withHeader("ETag", "\"1\"");
            })
            .build();
    private WireMockServer wm;
    private final OkHttpClient client =
            new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    @BeforeEach
    void start() {
        wm = new WireMockServer(options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .jettyAcceptors(1)
                .containerThreads(8)
                .gzipDisabled(true)
                .extensions(new FakeServerTransformer(fake)));
        wm.start();
        wm.stubFor(get(urlPathEqualTo("/health"))
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        wm.stubFor(any(urlPathMatching("/v1\\.0/.*"))
                .willReturn(aResponse().withTransformers(FakeServerTransformer.NAME)));
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private Response call(String method, String path, String body) throws IOException {
        RequestBody rb = body == null ? null : RequestBody.create(body, MediaType.get("application/json"));
        return client.newCall(new Request.Builder()
                        .url(wm.baseUrl() + path)
                        .method(method, rb)
                        .build())
                .execute();
    }

    @Test
    void the_fake_answers_stateful_calls_through_wiremock_with_its_faults_and_accounting() throws IOException {
        try (Response r = call("GET", "/health", null)) {
            assertThat(r.body().string()).isEqualTo("ok");
        }
        try (Response r = call("PUT", "/v1.0/users/alice@example.com/items/1", "{\"v\":1}")) {
            assertThat(r.code()).isEqualTo(204);
        }
        try (Response r = call("GET", "/v1.0/users/alice@example.com/items/1", null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("ETag")).isEqualTo("\"1\"");
            assertThat(r.body().string()).isEqualTo("{\"v\":1}");
        }
        fake.faults().add(FaultRule.on("items.get").inject(Fault.tooManyRequests()));
        try (Response r = call("GET", "/v1.0/users/alice@example.com/items/1", null)) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(r.body().string()).contains("\"code\":\"TooManyRequests\"");
        }
        try (Response r = call(
                "POST",
                "/v1.0/$batch",
                "{\"requests\":[{\"id\":\"a\",\"method\":\"GET\","
                        + "\"url\":\"/users/alice@example.com/items/1\"}]}")) {
            assertThat(r.body().string()).contains("\"id\":\"a\"", "\"status\":200");
        }
        fake.faults().add(FaultRule.on("items.get").inject(Fault.connectionReset()));
        assertThatThrownBy(() -> call("GET", "/v1.0/users/alice@example.com/items/1", null)
                        .close())
                .isInstanceOf(IOException.class);
        assertThat(fake.accounting().calls("items.get")).isEqualTo(4);
        assertThat(fake.accounting().callsFor("alice@example.com")).isEqualTo(5);
        assertThat(fake.accounting().roundTrips()).isEqualTo(5);
    }
}
