package org.calsdk.testkit.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.calsdk.testkit.StandaloneFake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake Google enforces Google's limits and rules, so that a client ignoring them fails. */
class FakeGoogleServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
    private final OkHttpClient http = new OkHttpClient();
    private FakeGoogleServer google;
    private String token;

    @BeforeEach
    void start() {
        google = FakeGoogleServer.builder()
                .user("alice@example.com", "Alice")
                .autoCreateUsers("example.com")
                .serviceAccount("sa@test.iam.gserviceaccount.com", null, Set.of("alice@example.com"))
                .build()
                .start();
        token = google.issueAccessToken("alice@example.com");
    }

    @AfterEach
    void stop() {
        google.close();
    }

    private Answer send(Request.Builder r) throws IOException {
        try (Response resp = http.newCall(
                        r.header("Authorization", "Bearer " + token).build())
                .execute()) {
            String body = resp.body() == null ? "" : resp.body().string();
            return new Answer(
                    resp.code(),
                    body.isEmpty() || body.charAt(0) != '{' ? null : JSON.readTree(body),
                    body,
                    resp.header("Content-Type"));
        }
    }

    private record Answer(int status, JsonNode json, String text, String contentType) {
        String reason() {
            return json.path("error").path("errors").path(0).path("reason").asText();
        }
    }

    private static String freeBusy(int calendars, String min, String max) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < calendars; i++) {
            items.append(i == 0 ? "" : ",").append("{\"id\":\"user").append(i).append("@example.com\"}");
        }
        return "{\"timeMin\":\"" + min + "\",\"timeMax\":\"" + max + "\",\"items\":[" + items + "]}";
    }

    @Test
    void calendarResourcesArePagedAtMostFiveHundredAndAreNoUsers() throws IOException {
        google.close();
        google = FakeGoogleServer.builder()
                .user("alice@example.com", "Alice")
                .room("c_a@resource.calendar.google.com", "A", 6, "hq")
                .resource("c_b@resource.calendar.google.com", "Beamer", "OTHER", null, null)
                .build()
                .start();
        token = google.issueAccessToken("alice@example.com");
        String url = google.baseUrl() + "admin/directory/v1/customer/my_customer/resources/calendars";
        assertThat(send(new Request.Builder().url(url + "?maxResults=501")).status())
                .isEqualTo(400);
        Answer first = send(new Request.Builder().url(url + "?maxResults=1"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("kind").asText())
                .isEqualTo("admin#directory#resources#calendars#calendarResourcesList");
        assertThat(first.json().path("items").get(0).path("capacity").asInt()).isEqualTo(6);
        assertThat(first.json().path("items").get(0).path("resourceCategory").asText())
                .isEqualTo("CONFERENCE_ROOM");
        Answer second = send(new Request.Builder()
                .url(url + "?maxResults=1&pageToken="
                        + first.json().path("nextPageToken").asText()));
        assertThat(second.json().path("items").get(0).path("resourceEmail").asText())
                .isEqualTo("c_b@resource.calendar.google.com");
        assertThat(second.json().has("nextPageToken")).isFalse();
        Answer users =
                send(new Request.Builder().url(google.baseUrl() + "admin/directory/v1/users?customer=my_customer"));
        assertThat(users.json().path("users")).hasSize(1);
    }

    @Test
    void freeBusyTakesAtMostFiftyCalendarsAndNinetyDays() throws IOException {
        String url = google.baseUrl() + "calendar/v3/freeBusy";
        Answer ok = send(new Request.Builder()
                .url(url)
                .post(RequestBody.create(
                        freeBusy(50, "2026-03-01T00:00:00Z", "2026-05-30T00:00:00Z"), APPLICATION_JSON)));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("calendars").size()).isEqualTo(50);
        Answer many = send(new Request.Builder()
                .url(url)
                .post(RequestBody.create(
                        freeBusy(51, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"), APPLICATION_JSON)));
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.reason()).isEqualTo("tooManyCalendarsRequested");
        Answer longWindow = send(new Request.Builder()
                .url(url)
                .post(RequestBody.create(
                        freeBusy(1, "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z"), APPLICATION_JSON)));
        assertThat(longWindow.status()).isEqualTo(400);
        assertThat(longWindow.reason()).isEqualTo("timeRangeTooLong");
    }

    @Test
    void aBatchTakesAtMostAThousandCalls() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            b.append("--b\r\nContent-Type: application/http\r\nContent-ID: <i")
                    .append(i)
                    .append(">\r\n\r\n")
                    .append("GET /calendar/v3/calendars/alice%40example.com/events HTTP/1.1\r\n\r\n\r\n");
        }
        b.append("--b--\r\n");
        Answer a = send(new Request.Builder()
                .url(google.baseUrl() + "batch/calendar/v3")
                .post(RequestBody.create(b.toString(), MediaType.get("multipart/mixed; boundary=b"))));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.reason()).isEqualTo("limitExceeded");
        assertThat(google.calls("events.list"))
                .as("no call of an oversized batch runs")
                .isZero();
    }

    @Test
    void aSyncTokenRefusesTheParametersGoogleRefusesWithIt() throws IOException {
        String events = google.baseUrl() + "calendar/v3/calendars/alice@example.com/events";
        Answer full = send(new Request.Builder().url(events));
        String sync = full.json().path("nextSyncToken").asText();
        assertThat(sync).isNotBlank();
        Answer bad = send(new Request.Builder().url(events + "?syncToken=" + sync + "&timeMin=2026-01-01T00:00:00Z"));
        assertThat(bad.status()).isEqualTo(400);
        Answer made = send(new Request.Builder().url(events + "?maxResults=2501"));
        assertThat(made.status()).isEqualTo(400);
        google.invalidateSyncTokens();
        Answer gone = send(new Request.Builder().url(events + "?syncToken=" + sync));
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.reason()).isEqualTo("fullSyncRequired");
    }

    @Test
    void eventIdsAreBase32HexAndTakenIdsStayTakenAfterDelete() throws IOException {
        String events = google.baseUrl() + "calendar/v3/calendars/alice@example.com/events";
        String body =
                "{\"id\":\"%s\",\"start\":{\"dateTime\":\"2026-03-02T09:00:00Z\"},\"end\":{\"dateTime\":\"2026-03-02T10:00:00Z\"}}";
        assertThat(send(new Request.Builder()
                                .url(events)
                                .post(RequestBody.create(String.format(body, "wxyz1"), APPLICATION_JSON)))
                        .status())
                .as("w-z are not base32hex")
                .isEqualTo(400);
        assertThat(send(new Request.Builder()
                                .url(events)
                                .post(RequestBody.create(String.format(body, "abc123"), APPLICATION_JSON)))
                        .status())
                .isEqualTo(200);
        assertThat(send(new Request.Builder().url(events + "/abc123").delete()).status())
                .isEqualTo(204);
        Answer again = send(new Request.Builder()
                .url(events)
                .post(RequestBody.create(String.format(body, "abc123"), APPLICATION_JSON)));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.reason()).isEqualTo("duplicate");
        assertThat(send(new Request.Builder().url(events + "/abc123").delete()).status())
                .isEqualTo(410);
    }

    @Test
    void aTokenBoundToAUserSeesOnlyThatUsersCalendarsAndUnknownTokensAreRefused() throws IOException {
        Answer other =
                send(new Request.Builder().url(google.baseUrl() + "calendar/v3/calendars/bob@example.com/events"));
        assertThat(other.status()).isEqualTo(404);
        token = "ya29.made-up";
        Answer refused = send(new Request.Builder().url(google.baseUrl() + "calendar/v3/users/me/calendarList"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.reason()).isEqualTo("authError");
    }

    @Test
    void delegationIssuesTokensOnlyForTheUsersItCovers() throws IOException {
        assertThat(jwt("alice@example.com").status()).isEqualTo(200);
        Answer refused = jwt("bob@example.com");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").asText()).isEqualTo("unauthorized_client");
    }

    @Test
    void theStandaloneFakeServesAnyExampleComMailboxToAnyToken() throws IOException {
        StandaloneFake fake =
                StandaloneFake.find("google", getClass().getClassLoader()).orElseThrow();
        try (StandaloneFake.Running running = fake.start(0, null)) {
            assertThat(running.port()).isPositive();
            token = "any-token-at-all";
            Answer events = send(
                    new Request.Builder().url(running.baseUrl() + "calendar/v3/calendars/someone@example.com/events"));
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.json().path("items")).isEmpty();
            Answer elsewhere = send(new Request.Builder()
                    .url(running.baseUrl() + "calendar/v3/calendars/someone@elsewhere.org/events"));
            assertThat(elsewhere.status()).isEqualTo(404);
        }
    }

    private Answer jwt(String sub) throws IOException {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String claims = "{\"iss\":\"sa@test.iam.gserviceaccount.com\",\"sub\":\"" + sub + "\",\"aud\":\""
                + google.tokenUrl() + "\",\"exp\":" + exp + ",\"iat\":" + (exp - 3600) + "}";
        // the fake was given no public key, so it does not check the signature
        String assertion = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        return send(new Request.Builder()
                .url(google.tokenUrl())
                .post(new FormBody.Builder()
                        .add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                        .add("assertion", assertion)
                        .build()));
    }
}
