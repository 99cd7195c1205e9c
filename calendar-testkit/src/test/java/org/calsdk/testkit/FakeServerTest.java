package org.calsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeServerTest {

    /** A tiny stateful fake: per-mailbox key/value items. */
    static final class Items {
        final Map<String, String> byKey = new ConcurrentHashMap<>();
    }

    private FakeServer<Items> server;
    private final OkHttpClient client = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(30)) // a safety net only: a loaded CI machine can stall a read for seconds
            .build();

    @BeforeEach
    void start() {
        server = FakeServer.builder(new Items())
                .name("items")
                .route("GET", "/users/{mailbox}/items/{id}", "items.get", (req, s) -> {
                    String v = s.byKey.get(req.pathParam("mailbox") + "/" + req.pathParam("id"));
                    return v == null ? FakeResponse.json(404, "{\"error\":\"notFound\"}") : FakeResponse.json(200, v);
                })
                .route("PUT", "/users/{mailbox}/items/{id}", "items.put", (req, s) -> {
                    s.byKey.put(req.pathParam("mailbox") + "/" + req.pathParam("id"), req.bodyString());
                    return FakeResponse.of(204);
                })
                .route("GET", "/files/{path*}", "files.get", (req, s) -> FakeResponse.text(200, req.pathParam("path")))
                .route("GET", "/boom", "boom", (req, s) -> {
                    throw new IllegalStateException("handler bug");
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Response get(String path) throws IOException {
        return client.newCall(new Request.Builder().url(server.url(path)).build())
                .execute();
    }

    private int put(String path, String body) throws IOException {
        try (Response r = client.newCall(new Request.Builder()
                        .url(server.url(path))
                        .put(RequestBody.create(body, MediaType.get("application/json")))
                        .build())
                .execute()) {
            return r.code();
        }
    }

    private static String body(Response r) throws IOException {
        try (r) {
            return r.body().string();
        }
    }

    @Test
    void binds_loopback_on_a_random_port_and_keeps_state_across_calls() throws IOException {
        assertThat(server.baseUrl().host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isPositive();
        assertThat(put("/users/alice@example.com/items/1", "{\"v\":1}")).isEqualTo(204);
        try (Response r = get("/users/alice@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("{\"v\":1}");
        }
        try (Response r = get("/users/bob@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(404);
        }
    }

    @Test
    void unknown_paths_get_404_wrong_methods_405_and_handler_bugs_500() throws IOException {
        try (Response r = get("/nothing/here")) {
            assertThat(r.code()).isEqualTo(404);
        }
        try (Response r = client.newCall(
                        new Request.Builder().url(server.url("/boom")).delete().build())
                .execute()) {
            assertThat(r.code()).isEqualTo(405);
        }
        try (Response r = get("/boom")) {
            assertThat(r.code()).isEqualTo(500);
            assertThat(r.body().string()).contains("handler bug");
        }
        assertThat(body(get("/files/a/b/c.ics"))).isEqualTo("a/b/c.ics");
    }

    @Test
    void status_faults_fire_the_given_number_of_times_for_the_given_operation_and_mailbox() throws IOException {
        put("/users/alice@example.com/items/1", "{}");
        put("/users/bob@example.com/items/1", "{}");
        server.faults()
                .add(FaultRule.on("items.get")
                        .forMailbox("ALICE@example.com")
                        .times(2)
                        .inject(Fault.tooManyRequests(Duration.ofSeconds(3))));
        try (Response r = get("/users/bob@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(200);
        }
        try (Response r = get("/users/alice@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isEqualTo("3");
        }
        try (Response r = get("/users/alice@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(429);
        }
        try (Response r = get("/users/alice@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(server.faults().pending()).isEmpty();
        assertThat(server.faults().injectedCount()).isEqualTo(2);
    }

    @Test
    void always_rules_do_not_run_out_and_429_can_come_without_retry_after() throws IOException {
        server.faults().add(FaultRule.on("items.get").always().inject(Fault.tooManyRequests()));
        for (int i = 0; i < 3; i++) {
            try (Response r = get("/users/alice@example.com/items/1")) {
                assertThat(r.code()).isEqualTo(429);
                assertThat(r.header("Retry-After")).isNull();
            }
        }
        server.faults().clear();
        try (Response r = get("/users/alice@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(404);
        }
    }

    @Test
    void connection_reset_fails_the_call_and_changes_nothing() {
        server.faults().add(FaultRule.on("items.put").inject(Fault.connectionReset()));
        assertThatThrownBy(() -> put("/users/alice@example.com/items/9", "{}")).isInstanceOf(IOException.class);
        assertThat(server.state().byKey).isEmpty();
    }

    @Test
    void dropped_response_after_commit_fails_the_call_but_the_change_is_made() {
        server.faults().add(FaultRule.on("items.put").inject(Fault.dropResponseAfterCommit()));
        assertThatThrownBy(() -> put("/users/alice@example.com/items/9", "{\"x\":1}"))
                .isInstanceOf(IOException.class);
        assertThat(server.state().byKey).containsEntry("alice@example.com/9", "{\"x\":1}");
    }

    @Test
    void truncated_body_is_cut_short_of_its_content_length() throws IOException {
        put("/users/alice@example.com/items/1", "{\"a long value\":\"" + "x".repeat(200) + "\"}");
        server.faults().add(FaultRule.on("items.get").inject(Fault.truncatedBody()));
        assertThatThrownBy(() -> body(get("/users/alice@example.com/items/1"))).isInstanceOf(IOException.class);
    }

    @Test
    void slow_body_trickles_but_arrives_whole() throws IOException {
        put("/users/alice@example.com/items/1", "{\"v\":\"0123456789\"}");
        server.faults().add(FaultRule.on("items.get").inject(Fault.slowBody(4, Duration.ofMillis(5))));
        assertThat(body(get("/users/alice@example.com/items/1"))).isEqualTo("{\"v\":\"0123456789\"}");
    }

    @Test
    void no_response_makes_the_client_time_out() {
        OkHttpClient impatient =
                client.newBuilder().readTimeout(Duration.ofMillis(200)).build();
        server.faults().add(FaultRule.on("items.get").inject(Fault.noResponse()));
        assertThatThrownBy(() -> impatient
                        .newCall(new Request.Builder()
                                .url(server.url("/users/alice@example.com/items/1"))
                                .build())
                        .execute()
                        .close())
                .isInstanceOf(java.io.InterruptedIOException.class);
    }

    @Test
    void latency_delays_but_answers_normally() throws IOException {
        server.faults().add(FaultRule.on("items.get").inject(Fault.latency(Duration.ofMillis(50))));
        try (Response r = get("/users/alice@example.com/items/1")) {
            assertThat(r.code()).isEqualTo(404);
            assertThat(r.receivedResponseAtMillis() - r.sentRequestAtMillis()).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void protocol_faults_take_the_fakes_provider_form() throws IOException {
        try (FakeServer<Items> dav = FakeServer.builder(new Items())
                .protocolFaults(ProtocolFaults.caldav())
                .route(
                        "REPORT",
                        "/cal/{mailbox}/",
                        "sync-collection",
                        (r, s) -> FakeResponse.xml(207, "<multistatus/>"))
                .build()
                .start()) {
            dav.faults().add(FaultRule.on("sync-collection").inject(Fault.invalidSyncToken()));
            dav.faults().add(FaultRule.on("sync-collection").inject(Fault.revokedToken()));
            Request report = new Request.Builder()
                    .url(dav.url("/cal/alice@example.com/"))
                    .method("REPORT", RequestBody.create("<sync-collection/>", MediaType.get("application/xml")))
                    .build();
            try (Response r = client.newCall(report).execute()) {
                assertThat(r.code()).isEqualTo(403);
                assertThat(r.body().string()).contains("valid-sync-token");
            }
            try (Response r = client.newCall(report).execute()) {
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.body().string()).contains("invalid_grant");
            }
            assertThat(dav.accounting().callsFor("alice@example.com")).isEqualTo(2);
        }
        assertThat(ProtocolFaults.google().invalidSyncToken(null).bodyString()).contains("fullSyncRequired");
        assertThat(ProtocolFaults.graph().invalidSyncToken(null).bodyString()).contains("syncStateNotFound");
        assertThat(ProtocolFaults.ews().invalidSyncToken(null).bodyString()).contains("ErrorInvalidSyncStateData");
    }

    @Test
    void random_mode_fails_about_the_given_share_and_is_reproducible_by_seed() throws IOException {
        List<Integer> first = randomRun(7);
        List<Integer> second = randomRun(7);
        assertThat(first).isEqualTo(second);
        long failures = first.stream().filter(c -> c == 503).count();
        assertThat(failures).isBetween(20L, 60L); // 20% of 200 calls, with slack for chance
    }

    private List<Integer> randomRun(long seed) throws IOException {
        server.faults().clear();
        server.faults().add(FaultRule.onAnyOperation().randomly(seed, 20).inject(Fault.unavailable()));
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            try (Response r = get("/users/alice@example.com/items/1")) {
                codes.add(r.code());
            }
        }
        return codes;
    }

    @Test
    void accounting_counts_calls_bytes_and_concurrency() throws Exception {
        put("/users/alice@example.com/items/1", "{\"v\":1}");
        server.accounting().reset();
        server.faults().add(FaultRule.on("items.get").times(4).inject(Fault.latency(Duration.ofMillis(300))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return body(get("/users/alice@example.com/items/1"));
                }));
            }
            go.countDown();
            for (Future<String> f : calls) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("{\"v\":1}");
            }
        } finally {
            pool.shutdownNow();
        }
        RequestAccounting a = server.accounting();
        assertThat(a.calls("items.get")).isEqualTo(4);
        assertThat(a.callsFor("Alice@Example.com")).isEqualTo(4);
        assertThat(a.totalCalls()).isEqualTo(4);
        assertThat(a.bytesOut()).isEqualTo(4 * "{\"v\":1}".length());
        assertThat(a.maxConcurrency()).isBetween(2, 4);
        assertThat(a.inFlight()).isZero();
        assertThat(a.faultedCalls()).isEqualTo(4);
        assertThat(a.recent()).hasSize(4).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(a.callsPerOperation()).containsOnlyKeys("items.get");
    }

    @Test
    void route_patterns_are_validated() {
        assertThatThrownBy(() ->
                        FakeServer.builder(new Items()).route("GET", "no-slash", "x", (r, s) -> FakeResponse.of(200)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        FakeServer.builder(new Items()).route("GET", "/{rest*}/x", "x", (r, s) -> FakeResponse.of(200)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.faults().add(FaultRule.on("x").inject()))
                .isInstanceOf(org.calsdk.errors.InvalidInputException.class);
    }

    @Test
    void a_closed_server_cannot_be_used() {
        server.close();
        assertThatThrownBy(() -> server.url("/")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }
}
