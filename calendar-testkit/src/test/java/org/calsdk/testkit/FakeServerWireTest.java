package org.calsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.MultipartReader;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake-server framework's wire features for cloud APIs: routing on an operation in the body (EWS),
 * Google and Graph batches dispatched to the same routes with faults and accounting per call, calls about
 * several mailboxes, error bodies in the provider's dialect, recorded headers and bodies, HTTPS.
 */
class FakeServerWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    private final OkHttpClient client =
            new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private final List<FakeServer<?>> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(FakeServer::close);
    }

    private <S> FakeServer<S> start(FakeServer.Builder<S> b) {
        FakeServer<S> s = b.build().start();
        servers.add(s);
        return s;
    }

    private static String soap(String operation) {
        return "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"" + SOAP + "\"><s:Header><t:ExchangeImpersonation "
                + "xmlns:t=\"urn:t\"/></s:Header><s:Body><m:" + operation + " xmlns:m=\"urn:m\"><m:X/></m:" + operation
                + "></s:Body></s:Envelope>";
    }

    private Response post(FakeServer<?> s, String path, String contentType, String body, String... headers)
            throws IOException {
        Request.Builder r =
                new Request.Builder().url(s.url(path)).post(RequestBody.create(body, MediaType.get(contentType)));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return client.newCall(r.build()).execute();
    }

    private static String text(Response r) throws IOException {
        try (r) {
            return r.body().string();
        }
    }

    // ---------------------------------------------------------------- body routing (EWS)

    private FakeServer<Object> ews() {
        OperationExtractor op = OperationExtractor.soapBodyElement();
        return start(FakeServer.builder(new Object())
                .name("ews")
                .errorDialect(ErrorDialect.soap())
                .route(RouteSpec.<Object>of(
                                "POST",
                                "/EWS/Exchange.asmx",
                                "GetUserAvailability",
                                (req, s) -> FakeResponse.xml(200, "<availability/>"))
                        .whenBody(op, "GetUserAvailabilityRequest"))
                .route(RouteSpec.<Object>of(
                                "POST",
                                "/EWS/Exchange.asmx",
                                "SyncFolderItems",
                                (req, s) -> FakeResponse.xml(200, "<sync/>"))
                        .whenBody(op, "SyncFolderItems")));
    }

    @Test
    void one_url_is_routed_by_the_soap_body_with_faults_and_accounting_per_operation() throws IOException {
        FakeServer<Object> s = ews();
        s.faults()
                .add(FaultRule.on("SyncFolderItems")
                        .forMailbox("bob@example.com")
                        .inject(Fault.tooManyRequests(Duration.ofSeconds(2))));
        assertThat(text(post(
                        s,
                        "/EWS/Exchange.asmx",
                        "text/xml",
                        soap("GetUserAvailabilityRequest"),
                        "X-AnchorMailbox",
                        "bob@example.com")))
                .isEqualTo("<availability/>");
        try (Response r = post(
                s, "/EWS/Exchange.asmx", "text/xml", soap("SyncFolderItems"), "X-AnchorMailbox", "bob@example.com")) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isEqualTo("2");
            String body = r.body().string();
            assertThat(body)
                    .contains(
                            "<s:Fault>",
                            ">ErrorServerBusy</e:ResponseCode>",
                            "<t:Value Name=\"BackOffMilliseconds\">2000</t:Value>");
        }
        assertThat(text(post(
                        s,
                        "/EWS/Exchange.asmx",
                        "text/xml",
                        soap("SyncFolderItems"),
                        "X-AnchorMailbox",
                        "bob@example.com")))
                .isEqualTo("<sync/>");
        try (Response r = post(s, "/EWS/Exchange.asmx", "text/xml", soap("DeleteItem"))) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.body().string()).contains("ErrorInvalidRequest");
        }
        String dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + soap("SyncFolderItems");
        try (Response r = post(s, "/EWS/Exchange.asmx", "text/xml", dtd)) {
            assertThat(r.code()).as("a body with a DTD names no operation").isEqualTo(400);
        }
        RequestAccounting a = s.accounting();
        assertThat(a.calls("GetUserAvailability")).isEqualTo(1);
        assertThat(a.calls("SyncFolderItems")).isEqualTo(2);
        assertThat(a.callsFor("bob@example.com")).isEqualTo(3);
        assertThat(a.last("SyncFolderItems").orElseThrow().header("X-AnchorMailbox"))
                .contains("bob@example.com");
        assertThat(a.recent("SyncFolderItems"))
                .extracting(RequestAccounting.Call::status)
                .containsExactly(429, 200);
    }

    // ---------------------------------------------------------------- multi-mailbox + Google batch

    private static final class Cal {
        final Map<String, List<String>> events = new LinkedHashMap<>();
    }

    private FakeServer<Cal> google() {
        Cal cal = new Cal();
        cal.events.put("alice@example.com", List.of("a1", "a2"));
        cal.events.put("bob@example.com", List.of("b1"));
        return start(FakeServer.builder(cal)
                .name("google")
                .errorDialect(ErrorDialect.google())
                .batch(BatchFormat.googleMultipart())
                .route("GET", "/calendar/v3/calendars/{mailbox}/events", "events.list", (req, s) -> {
                    ObjectNode out = JSON.createObjectNode();
                    s.events
                            .getOrDefault(req.pathParam("mailbox"), List.of())
                            .forEach(e -> out.withArray("items").addObject().put("id", e));
                    return FakeResponse.json(200, out.toString()).withHeader("ETag", "\"list\"");
                })
                .route(
                        "PATCH",
                        "/calendar/v3/calendars/{mailbox}/events/{id}",
                        "events.patch",
                        (req, s) -> req.header("If-Match").isPresent()
                                ? FakeResponse.json(200, "{}")
                                : FakeResponse.of(428))
                .route(RouteSpec.<Cal>of("POST", "/calendar/v3/freeBusy", "freebusy", (req, s) -> {
                            ObjectNode out = JSON.createObjectNode();
                            ObjectNode cals = out.putObject("calendars");
                            req.mailboxes().forEach(m -> cals.putObject(m).putArray("busy"));
                            return FakeResponse.json(200, out.toString());
                        })
                        .mailboxes(MailboxExtractor.jsonArray("items", "id"))
                        .mailboxErrors((req, answer, errors) -> {
                            ObjectNode out = (ObjectNode) JSON.readTree(answer.body());
                            errors.forEach((m, code) -> ((ObjectNode)
                                            out.get("calendars").get(m))
                                    .putArray("errors")
                                    .addObject()
                                    .put("domain", "global")
                                    .put("reason", code));
                            return FakeResponse.json(answer.status(), out.toString());
                        })));
    }

    private static final String FREEBUSY = "{\"timeMin\":\"2026-03-02T00:00:00Z\",\"timeMax\":\"2026-03-03T00:00:00Z\","
            + "\"items\":[{\"id\":\"alice@example.com\"},{\"id\":\"bob@example.com\"},{\"id\":\"carol@example.com\"}]}";

    @Test
    void a_call_about_several_mailboxes_counts_per_mailbox_and_gets_per_mailbox_errors_inside_a_good_answer()
            throws IOException {
        FakeServer<Cal> s = google();
        s.faults().add(FaultRule.on("freebusy").forMailbox("carol@example.com").inject(Fault.mailboxError("notFound")));
        JsonNode fb = JSON.readTree(text(post(s, "/calendar/v3/freeBusy", "application/json", FREEBUSY)));
        assertThat(fb.at("/calendars/carol@example.com/errors/0/reason").asText())
                .isEqualTo("notFound");
        assertThat(fb.at("/calendars/alice@example.com/errors").isMissingNode()).isTrue();
        assertThat(s.accounting().callsFor("alice@example.com")).isEqualTo(1);
        assertThat(s.accounting().callsFor("carol@example.com")).isEqualTo(1);
        assertThat(s.accounting().last("freebusy").orElseThrow().fault()).isEqualTo("MailboxError");

        s.faults()
                .add(FaultRule.on("freebusy")
                        .forMailbox("bob@example.com")
                        .inject(Fault.error(403, "rateLimitExceeded", "Rate Limit Exceeded")));
        try (Response r = post(s, "/calendar/v3/freeBusy", "application/json", FREEBUSY)) {
            assertThat(r.code())
                    .as("a forMailbox rule hits a call that names the mailbox among others")
                    .isEqualTo(403);
            JsonNode err = JSON.readTree(r.body().string());
            assertThat(err.at("/error/code").asInt()).isEqualTo(403);
            assertThat(err.at("/error/errors/0/reason").asText()).isEqualTo("rateLimitExceeded");
            assertThat(err.at("/error/errors/0/domain").asText()).isEqualTo("usageLimits");
        }
        assertThat(s.accounting().totalCalls()).isEqualTo(2);
        assertThat(s.accounting().callsFor("bob@example.com")).isEqualTo(2);
    }

    private static RequestBody httpPart(String requestText) {
        return RequestBody.create(requestText, MediaType.get("application/http"));
    }

    @Test
    void a_google_batch_goes_to_the_same_routes_with_faults_and_accounting_per_call() throws IOException {
        FakeServer<Cal> s = google();
        s.faults().add(FaultRule.on("events.list").forMailbox("bob@example.com").inject(Fault.status(503)));
        MultipartBody batch = new MultipartBody.Builder("b0undary")
                .setType(MultipartBody.MIXED)
                .addPart(
                        Headers.of("Content-ID", "<item1>"),
                        httpPart("GET /calendar/v3/calendars/alice@example.com/events HTTP/1.1\r\n\r\n"))
                .addPart(
                        Headers.of("Content-ID", "<item2>"),
                        httpPart("GET https://www.googleapis.com/calendar/v3/calendars/bob@example.com/events\r\n\r\n"))
                .addPart(
                        Headers.of("Content-ID", "<item3>"),
                        httpPart("PATCH /calendar/v3/calendars/alice@example.com/events/a1 HTTP/1.1\r\n"
                                + "Content-Type: application/json\r\nIf-Match: \"v7\"\r\n\r\n{\"summary\":\"x\"}"))
                .addPart(
                        Headers.of("Content-ID", "<item4>"),
                        httpPart("POST /calendar/v3/freeBusy HTTP/1.1\r\n" + "Content-Type: application/json\r\n\r\n"
                                + FREEBUSY))
                .build();
        Request req = new Request.Builder()
                .url(s.url("/batch/calendar/v3"))
                .header("Authorization", "Bearer t0k")
                .post(batch)
                .build();
        Map<String, String> parts = new LinkedHashMap<>();
        try (Response r = client.newCall(req).execute();
                MultipartReader reader = new MultipartReader(r.body())) {
            assertThat(r.code()).isEqualTo(200);
            for (MultipartReader.Part p = reader.nextPart(); p != null; p = reader.nextPart()) {
                try (MultipartReader.Part part = p) {
                    parts.put(part.headers().get("Content-ID"), part.body().readUtf8());
                }
            }
        }
        assertThat(parts.keySet())
                .containsExactly("<response-item1>", "<response-item2>", "<response-item3>", "<response-item4>");
        assertThat(parts.get("<response-item1>"))
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("ETag: \"list\"", "\"a1\"", "\"a2\"");
        assertThat(parts.get("<response-item2>")).startsWith("HTTP/1.1 503").contains("\"reason\":\"backendError\"");
        assertThat(parts.get("<response-item3>")).startsWith("HTTP/1.1 200");
        assertThat(parts.get("<response-item4>")).startsWith("HTTP/1.1 200").contains("carol@example.com");

        RequestAccounting a = s.accounting();
        assertThat(a.roundTrips()).isEqualTo(1);
        assertThat(a.calls("batch")).isEqualTo(1);
        assertThat(a.totalCalls()).isEqualTo(4);
        assertThat(a.calls("events.list")).isEqualTo(2);
        assertThat(a.callsFor("bob@example.com")).isEqualTo(2);
        RequestAccounting.Call patch = a.last("events.patch").orElseThrow();
        assertThat(patch.kind()).isEqualTo(RequestAccounting.Kind.BATCHED);
        assertThat(patch.header("If-Match")).contains("\"v7\"");
        assertThat(patch.header("Authorization"))
                .as("the batch's credentials apply to its calls")
                .contains("Bearer t0k");
        assertThat(patch.bodyString()).isEqualTo("{\"summary\":\"x\"}");
        assertThat(a.last("batch").orElseThrow().kind()).isEqualTo(RequestAccounting.Kind.BATCH);
        assertThat(patch.toString()).doesNotContain("t0k");
    }

    // ---------------------------------------------------------------- Graph $batch

    private FakeServer<Cal> graph() {
        Cal cal = new Cal();
        return start(FakeServer.builder(cal)
                .name("graph")
                .errorDialect(ErrorDialect.graph())
                .batch(BatchFormat.graphJson())
                .route(
                        "GET",
                        "/v1.0/users/{mailbox}/calendar/events",
                        "events.list",
                        (req, s) ->
                                FakeResponse.json(200, "{\"value\":[],\"user\":\"" + req.pathParam("mailbox") + "\"}"))
                .route(RouteSpec.<Cal>of(
                                "POST",
                                "/v1.0/users/{user}/calendar/getSchedule",
                                "getSchedule",
                                (req, s) -> FakeResponse.json(200, "{\"value\":[]}"))
                        .mailboxes(MailboxExtractor.jsonArray("schedules", null))));
    }

    @Test
    void a_graph_json_batch_goes_to_the_same_routes_and_is_limited_to_twenty() throws IOException {
        FakeServer<Cal> s = graph();
        s.faults()
                .add(FaultRule.on("getSchedule")
                        .forMailbox("dan@example.com")
                        .inject(Fault.tooManyRequests(Duration.ofSeconds(3))));
        String body =
                "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/alice@example.com/calendar/events\"},"
                        + "{\"id\":\"2\",\"method\":\"POST\",\"url\":\"/users/alice@example.com/calendar/getSchedule\","
                        + "\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"schedules\":[\"carol@example.com\",\"dan@example.com\"]}},"
                        + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/nowhere\"}]}";
        JsonNode out = JSON.readTree(text(post(s, "/v1.0/$batch", "application/json", body)));
        JsonNode r = out.get("responses");
        assertThat(r.get(0).get("id").asText()).isEqualTo("1");
        assertThat(r.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(r.get(0).at("/body/user").asText()).isEqualTo("alice@example.com");
        assertThat(r.get(1).get("status").asInt()).isEqualTo(429);
        assertThat(r.get(1).at("/headers/Retry-After").asText()).isEqualTo("3");
        assertThat(r.get(1).at("/body/error/code").asText()).isEqualTo("TooManyRequests");
        assertThat(r.get(2).get("status").asInt()).isEqualTo(404);
        assertThat(r.get(2).at("/body/error/code").asText()).isEqualTo("ErrorItemNotFound");
        assertThat(s.accounting().roundTrips()).isEqualTo(1);
        assertThat(s.accounting().totalCalls()).isEqualTo(3);
        assertThat(s.accounting().callsFor("dan@example.com")).isEqualTo(1);

        StringBuilder many = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 21; i++) {
            many.append(i > 1 ? "," : "")
                    .append("{\"id\":\"")
                    .append(i)
                    .append("\",\"method\":\"GET\",\"url\":\"/users/a@example.com/calendar/events\"}");
        }
        try (Response tooMany =
                post(s, "/v1.0/$batch", "application/json", many.append("]}").toString())) {
            assertThat(tooMany.code()).isEqualTo(400);
            assertThat(JSON.readTree(tooMany.body().string()).at("/error/code").asText())
                    .isEqualTo("BadRequest");
        }
        s.faults().add(FaultRule.on("batch").inject(Fault.unavailable()));
        try (Response whole = post(s, "/v1.0/$batch", "application/json", body)) {
            assertThat(whole.code()).as("a fault on the batch request itself").isEqualTo(503);
        }
        assertThat(s.accounting().totalCalls())
                .as("neither refused batch ran a call")
                .isEqualTo(3);
        assertThat(s.accounting().roundTrips()).isEqualTo(3);
    }

    @Test
    void a_network_fault_on_a_call_inside_a_batch_cuts_the_whole_batch_answer() {
        FakeServer<Cal> s = graph();
        s.faults().add(FaultRule.on("events.list").inject(Fault.connectionReset()));
        String body =
                "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/alice@example.com/calendar/events\"}]}";
        assertThatThrownBy(
                        () -> post(s, "/v1.0/$batch", "application/json", body).close())
                .isInstanceOf(IOException.class);
    }

    // ---------------------------------------------------------------- dialects, recorded bodies, TLS

    @Test
    void faults_and_the_servers_own_errors_speak_the_dialect() {
        assertThat(ErrorDialect.dav()
                        .render(403, "valid-sync-token", "gone", null)
                        .bodyString())
                .contains("<D:error", "<D:valid-sync-token/>");
        assertThat(ErrorDialect.dav()
                        .render(403, "C:no-uid-conflict", "dup", null)
                        .bodyString())
                .contains("<C:no-uid-conflict/>");
        assertThat(ErrorDialect.graph().render(412, null, "etag", null).bodyString())
                .contains("\"code\":\"ErrorIrresolvableConflict\"");
        assertThat(ErrorDialect.google()
                        .render(410, "fullSyncRequired", "x", null)
                        .bodyString())
                .contains("\"reason\":\"fullSyncRequired\"");
        assertThat(ErrorDialect.generic().render(500, null, "boom", null).bodyString())
                .isEqualTo("{\"error\":{\"code\":500,\"message\":\"boom\"}}");
        FakeResponse ownDialect = Fault.status(404).in(ErrorDialect.soap()).render(ErrorDialect.google());
        assertThat(ownDialect.bodyString()).contains("ErrorItemNotFound");
        assertThat(ownDialect.headers().get("Content-Type")).startsWith("text/xml");
    }

    @Test
    void accounting_keeps_headers_and_bodies_cut_at_the_limit() throws IOException {
        FakeServer<Object> s = ews();
        s.accounting().bodyLimit(40);
        text(post(s, "/EWS/Exchange.asmx", "text/xml", soap("SyncFolderItems"), "If-Match", "\"e1\""));
        RequestAccounting.Call c = s.accounting().last("SyncFolderItems").orElseThrow();
        assertThat(c.header("if-match")).contains("\"e1\"");
        assertThat(c.body()).hasSize(40);
        assertThat(c.bodyTruncated()).isTrue();
        assertThat(c.requestBytes()).isEqualTo(soap("SyncFolderItems").getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void https_fakes_hand_their_trust_to_the_client() throws IOException {
        FakeServer<Object> s = start(FakeServer.builder(new Object())
                .https()
                .route("GET", "/ping", "ping", (req, st) -> FakeResponse.text(200, "pong")));
        assertThat(s.baseUrl().scheme()).isEqualTo("https");
        OkHttpClient trusting =
                s.tls().orElseThrow().trust(new OkHttpClient.Builder()).build();
        try (Response r = trusting.newCall(
                        new Request.Builder().url(s.url("/ping")).build())
                .execute()) {
            assertThat(r.body().string()).isEqualTo("pong");
            assertThat(r.handshake()).isNotNull();
        }
        assertThatThrownBy(() -> client.newCall(
                                new Request.Builder().url(s.url("/ping")).build())
                        .execute())
                .isInstanceOf(SSLException.class);
        assertThat(s.tls().orElseThrow().certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
