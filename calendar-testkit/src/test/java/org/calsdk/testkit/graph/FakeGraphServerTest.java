package org.calsdk.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake Graph's limits, errors, tokens and access policy, on the wire. */
class FakeGraphServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType TYPE = MediaType.get("application/json");
    private final OkHttpClient http =
            new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
    private FakeGraphServer graph;

    @AfterEach
    void stop() {
        if (graph != null) {
            graph.close();
        }
    }

    private record Answer(int status, JsonNode body, String retryAfter) {}

    private Answer call(String method, String path, String body, String token) throws Exception {
        Request.Builder b = new Request.Builder()
                .url(graph.baseUrl() + path)
                .method(method, body == null ? null : RequestBody.create(body, TYPE));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body().string();
            return new Answer(r.code(), text.isEmpty() ? null : JSON.readTree(text), r.header("Retry-After"));
        }
    }

    private static String schedule(int mailboxes, String start, String end) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < mailboxes; i++) {
            ids.append(i == 0 ? "" : ",").append("\"u").append(i).append("@example.com\"");
        }
        return "{\"schedules\":[" + ids + "],\"startTime\":{\"dateTime\":\"" + start + "\",\"timeZone\":\"UTC\"},"
                + "\"endTime\":{\"dateTime\":\"" + end + "\",\"timeZone\":\"UTC\"},\"availabilityViewInterval\":60}";
    }

    @Test
    void getScheduleAndBatchEnforceGraphsLimits() throws Exception {
        graph = FakeGraphServer.builder().openDomain("example.com").build().start();
        String path = "/users/u0@example.com/calendar/getSchedule";
        assertThat(call("POST", path, schedule(20, "2031-01-01T00:00:00", "2031-03-03T23:59:00"), "t")
                        .status())
                .as("20 schedules over 61 days 23:59")
                .isEqualTo(200);
        Answer tooMany = call("POST", path, schedule(21, "2031-01-01T00:00:00", "2031-01-02T00:00:00"), "t");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().at("/error/code").asText()).isEqualTo("ErrorInvalidRequest");
        assertThat(call("POST", path, schedule(1, "2031-01-01T00:00:00", "2031-03-04T00:00:00"), "t")
                        .status())
                .as("a window of 62 days")
                .isEqualTo(400);

        StringBuilder requests = new StringBuilder();
        for (int i = 1; i <= 21; i++) {
            requests.append(i == 1 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(i)
                    .append("\",\"method\":\"GET\",\"url\":" + "\"/users/u0@example.com/calendars\"}");
        }
        assertThat(call("POST", "/$batch", "{\"requests\":[" + requests + "]}", "t")
                        .status())
                .isEqualTo(400);
        Answer ok = call(
                "POST",
                "/$batch",
                "{\"requests\":[{\"id\":\"a\",\"method\":\"GET\",\"url\":"
                        + "\"/users/u0@example.com/calendars\"},{\"id\":\"b\",\"method\":\"GET\",\"url\":\"/users/nobody@other.org/calendars\"}]}",
                "t");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().at("/responses/0/status").asInt()).isEqualTo(200);
        assertThat(ok.body().at("/responses/0/body/value/0/isDefaultCalendar").asBoolean())
                .isTrue();
        assertThat(ok.body().at("/responses/1/status").asInt()).isEqualTo(404);
        assertThat(ok.body().at("/responses/1/body/error/code").asText()).isEqualTo("ErrorInvalidUser");
        assertThat(graph.subRequests()).containsExactly("calendars", "calendars");
    }

    @Test
    void aFifthConcurrentRequestForOneMailboxIs429WithRetryAfter() throws Exception {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .latency(Duration.ofMillis(400))
                .retryAfterSeconds(3)
                .build()
                .start();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return call("GET", "/users/alice@example.com/calendars", null, "t");
                }));
            }
            go.countDown();
            int ok = 0;
            int throttled = 0;
            for (Future<Answer> f : answers) {
                Answer a = f.get();
                if (a.status() == 429) {
                    throttled++;
                    assertThat(a.retryAfter()).isEqualTo("3");
                    assertThat(a.body().at("/error/code").asText()).isEqualTo("ApplicationThrottled");
                } else {
                    ok++;
                }
            }
            assertThat(ok).isLessThanOrEqualTo(4);
            assertThat(throttled).isGreaterThanOrEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tokensAccessPolicyAndMe() throws Exception {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .mailbox("carol@example.com")
                .accessPolicy(List.of("alice@example.com"))
                .client("app", "s3cret")
                .userToken("alice-token", "alice@example.com")
                .refreshToken("rt-1", "alice@example.com")
                .build()
                .start();
        assertThat(call("GET", "/users/alice@example.com/calendars", null, null).status())
                .isEqualTo(401);
        assertThat(call("GET", "/users/alice@example.com/calendars", null, "unknown")
                        .status())
                .isEqualTo(401);

        String tokenUrl = graph.authorityUrl() + "contoso/oauth2/v2.0/token";
        try (Response bad = http.newCall(new Request.Builder()
                        .url(tokenUrl)
                        .post(new FormBody.Builder()
                                .add("grant_type", "client_credentials")
                                .add("client_id", "app")
                                .add("client_secret", "wrong")
                                .build())
                        .build())
                .execute()) {
            assertThat(bad.code()).isEqualTo(401);
            assertThat(JSON.readTree(bad.body().string()).get("error").asText()).isEqualTo("invalid_client");
        }
        String app;
        try (Response r = http.newCall(new Request.Builder()
                        .url(tokenUrl)
                        .post(new FormBody.Builder()
                                .add("grant_type", "client_credentials")
                                .add("client_id", "app")
                                .add("client_secret", "s3cret")
                                .build())
                        .build())
                .execute()) {
            assertThat(r.code()).isEqualTo(200);
            app = JSON.readTree(r.body().string()).get("access_token").asText();
        }
        assertThat(call("GET", "/users/alice@example.com/calendars", null, app).status())
                .isEqualTo(200);
        Answer denied = call("GET", "/users/carol@example.com/calendars", null, app);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().at("/error/code").asText()).isEqualTo("ErrorAccessDenied");
        assertThat(call("GET", "/me", null, app).status())
                .as("/me with an app-only token")
                .isEqualTo(400);

        Answer me = call("GET", "/me", null, "alice-token");
        assertThat(me.body().get("mail").asText()).isEqualTo("alice@example.com");
        assertThat(call("GET", "/users/carol@example.com/calendars", null, "alice-token")
                        .status())
                .as("a delegated token reaches its own mailbox only")
                .isEqualTo(403);

        try (Response r = http.newCall(new Request.Builder()
                        .url(tokenUrl)
                        .post(new FormBody.Builder()
                                .add("grant_type", "refresh_token")
                                .add("refresh_token", "rt-1")
                                .build())
                        .build())
                .execute()) {
            JsonNode t = JSON.readTree(r.body().string());
            assertThat(t.get("refresh_token").asText()).isNotEqualTo("rt-1");
            assertThat(call("GET", "/me", null, t.get("access_token").asText())
                            .body()
                            .get("mail")
                            .asText())
                    .isEqualTo("alice@example.com");
        }
        try (Response r = http.newCall(new Request.Builder()
                        .url(tokenUrl)
                        .post(new FormBody.Builder()
                                .add("grant_type", "refresh_token")
                                .add("refresh_token", "rt-1")
                                .build())
                        .build())
                .execute()) {
            assertThat(r.code()).as("a refresh token is single-use").isEqualTo(400);
        }
    }

    @Test
    void createIsIdempotentByTransactionIdAndChangeKeysGuardWrites() throws Exception {
        graph = FakeGraphServer.builder().mailbox("alice@example.com").build().start();
        String body = "{\"subject\":\"x\",\"transactionId\":\"tx-1\",\"start\":{\"dateTime\":\"2031-01-06T10:00:00\","
                + "\"timeZone\":\"Pacific Standard Time\"},\"end\":{\"dateTime\":\"2031-01-06T11:00:00\",\"timeZone\":"
                + "\"Pacific Standard Time\"}}";
        Answer first = call("POST", "/users/alice@example.com/events", body, "t");
        Answer second = call("POST", "/users/alice@example.com/events", body, "t");
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.body().get("id")).isEqualTo(first.body().get("id"));
        assertThat(graph.eventCount("alice@example.com")).isEqualTo(1);
        assertThat(first.body().at("/start/dateTime").asText())
                .as("UTC unless asked otherwise")
                .isEqualTo("2031-01-06T18:00:00.0000000");
        assertThat(first.body().get("originalStartTimeZone").asText()).isEqualTo("Pacific Standard Time");

        String id = first.body().get("id").asText();
        Request stale = new Request.Builder()
                .url(graph.baseUrl() + "/users/alice@example.com/events/" + id)
                .header("Authorization", "Bearer t")
                .header("If-Match", "W/\"old\"")
                .patch(RequestBody.create("{\"subject\":\"y\"}", TYPE))
                .build();
        try (Response r = http.newCall(stale).execute()) {
            assertThat(r.code()).isEqualTo(412);
        }
    }
}
