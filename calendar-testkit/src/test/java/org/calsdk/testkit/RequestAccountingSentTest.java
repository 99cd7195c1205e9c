package org.calsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request log the TCK's If-Match rule reads, and the sleeper its Retry-After rule reads. */
class RequestAccountingSentTest {
    private final FakeServer<Object> server = FakeServer.builder(new Object())
            .name("log")
            .route("PUT", "/items/{id}", "items.put", (req, s) -> FakeResponse.of(204))
            .build()
            .start();
    private final OkHttpClient client =
            new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    @AfterEach
    void stop() {
        server.close();
    }

    private void put(String id, String ifMatch) throws IOException {
        Request.Builder b = new Request.Builder()
                .url(server.url("/items/" + id))
                .put(RequestBody.create("x", MediaType.get("text/plain")))
                .header("Authorization", "Bearer secret-token");
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        try (Response r = client.newCall(b.build()).execute()) {
            assertThat(r.code()).isEqualTo(204);
        }
    }

    @Test
    void every_request_is_logged_with_its_headers_in_order_and_numbered() throws IOException {
        put("a", "\"v1\"");
        put("b", null);
        List<RequestAccounting.Sent> sent = server.accounting().sent();
        assertThat(sent).extracting(RequestAccounting.Sent::operation).containsExactly("items.put", "items.put");
        assertThat(sent.get(0).header("If-Match")).hasValue("\"v1\"");
        assertThat(sent.get(1).header("If-Match")).isEmpty();
        assertThat(sent.get(1).sequence()).isEqualTo(sent.get(0).sequence() + 1);
        assertThat(sent.get(0).toString())
                .as("no credentials in toString")
                .doesNotContain("secret-token")
                .contains("PUT /items/a");
        server.accounting().reset();
        put("c", null);
        assertThat(server.accounting().sent())
                .singleElement()
                .satisfies(s -> assertThat(s.sequence())
                        .as("numbers go on after a reset")
                        .isEqualTo(3));
    }

    @Test
    void the_log_is_bounded() throws IOException {
        RequestAccounting a = new RequestAccounting();
        FakeRequest r =
                new FakeRequest("GET", server.url("/x"), java.util.Map.of(), okhttp3.Headers.of(), null, "x", null);
        for (int i = 0; i < RequestAccounting.SENT_LIMIT + 5; i++) {
            a.sent(r);
        }
        List<RequestAccounting.Sent> sent = a.sent();
        assertThat(sent).hasSize(RequestAccounting.SENT_LIMIT);
        assertThat(sent.get(sent.size() - 1).sequence()).isEqualTo(RequestAccounting.SENT_LIMIT + 5);
    }

    @Test
    void a_recording_sleeper_records_pauses_without_waiting_and_take_forgets_them() throws InterruptedException {
        RecordingSleeper s = new RecordingSleeper();
        s.sleep(Duration.ofSeconds(3));
        s.sleep(Duration.ofMillis(5));
        assertThat(s.take()).containsExactly(Duration.ofSeconds(3), Duration.ofMillis(5));
        assertThat(s.take()).isEmpty();
    }
}
