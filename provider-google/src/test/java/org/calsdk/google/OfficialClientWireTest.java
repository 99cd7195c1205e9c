package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.googleapis.batch.BatchRequest;
import com.google.api.client.googleapis.batch.json.JsonBatchCallback;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import com.google.api.services.calendar.model.FreeBusyRequest;
import com.google.api.services.calendar.model.FreeBusyRequestItem;
import com.google.api.services.calendar.model.FreeBusyResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wire compatibility: Google's own Java client ({@code google-api-services-calendar}) runs unchanged
 * against the fake: insert with a chosen id (and 409 for a taken one), get, update with a stale etag
 * (412), list in pages ending with a sync token, an incremental list, 410 for a dead token, free/busy
 * with a per-calendar error, and a multipart batch. If the fake spoke a dialect of its own, this client
 * would fail to parse it.
 */
class OfficialClientWireTest {
    private static final String ALICE = "alice@example.com";
    private FakeGoogleServer google;
    private Calendar client;

    @BeforeEach
    void start() {
        google = FakeGoogleServer.builder()
                .user(ALICE, "Alice")
                .user("bob@example.com", "Bob")
                .build()
                .start();
        String token = google.issueAccessToken(ALICE);
        client = new Calendar.Builder(
                        new NetHttpTransport(),
                        GsonFactory.getDefaultInstance(),
                        req -> req.getHeaders().setAuthorization("Bearer " + token))
                .setRootUrl(google.baseUrl())
                .setApplicationName("calsdk-wire-test")
                .build();
    }

    @AfterEach
    void stop() {
        google.close();
    }

    private static Event event(String id, String summary, String start, String end) {
        return new Event()
                .setId(id)
                .setSummary(summary)
                .setStart(new EventDateTime().setDateTime(new DateTime(start)).setTimeZone("Europe/Berlin"))
                .setEnd(new EventDateTime().setDateTime(new DateTime(end)).setTimeZone("Europe/Berlin"));
    }

    @Test
    void insertGetUpdateAndConflicts() throws IOException {
        Event made = client.events()
                .insert(
                        ALICE,
                        event("planning01", "Planning", "2026-03-02T09:00:00+01:00", "2026-03-02T10:00:00+01:00"))
                .execute();
        assertThat(made.getId()).isEqualTo("planning01");
        assertThat(made.getEtag()).isNotBlank();
        assertThat(made.getStatus()).isEqualTo("confirmed");

        Event read = client.events().get(ALICE, "planning01").execute();
        assertThat(read.getSummary()).isEqualTo("Planning");
        assertThat(read.getStart().getDateTime().getValue())
                .isEqualTo(made.getStart().getDateTime().getValue());
        assertThat(read.getStart().getTimeZone()).isEqualTo("Europe/Berlin");

        GoogleJsonResponseException dup =
                (GoogleJsonResponseException) org.assertj.core.api.Assertions.catchThrowable(() -> client.events()
                        .insert(
                                ALICE,
                                event("planning01", "again", "2026-03-02T09:00:00+01:00", "2026-03-02T10:00:00+01:00"))
                        .execute());
        assertThat(dup.getStatusCode()).isEqualTo(409);
        assertThat(dup.getDetails().getErrors())
                .extracting(GoogleJsonError.ErrorInfo::getReason)
                .containsExactly("duplicate");

        Event renamed = client.events()
                .update(ALICE, "planning01", read.setSummary("Renamed"))
                .execute();
        assertThat(renamed.getEtag()).isNotEqualTo(made.getEtag());
        Calendar.Events.Update stale = client.events().update(ALICE, "planning01", read.setSummary("Stale"));
        stale.setRequestHeaders(new HttpHeaders().setIfMatch(made.getEtag()));
        assertThatThrownBy(stale::execute)
                .isInstanceOfSatisfying(
                        GoogleJsonResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(412));
        assertThatThrownBy(() -> client.events().get(ALICE, "nosuchevent").execute())
                .isInstanceOfSatisfying(GoogleJsonResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getDetails().getErrors().get(0).getReason()).isEqualTo("notFound");
                });
    }

    @Test
    void listPagesEndWithASyncTokenThatReadsChangesUntilItDies() throws IOException {
        for (int i = 0; i < 5; i++) {
            client.events()
                    .insert(
                            ALICE,
                            event(
                                    null,
                                    "e" + i,
                                    "2026-03-0" + (i + 2) + "T09:00:00+01:00",
                                    "2026-03-0" + (i + 2) + "T10:00:00+01:00"))
                    .execute();
        }
        List<String> seen = new ArrayList<>();
        String pageToken = null;
        String syncToken;
        int pages = 0;
        do {
            Events page = client.events()
                    .list(ALICE)
                    .setMaxResults(2)
                    .setPageToken(pageToken)
                    .execute();
            page.getItems().forEach(e -> seen.add(e.getSummary()));
            pageToken = page.getNextPageToken();
            syncToken = page.getNextSyncToken();
            pages++;
            assertThat(pageToken == null)
                    .as("a sync token only on the last page")
                    .isEqualTo(syncToken != null);
        } while (pageToken != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("e0", "e1", "e2", "e3", "e4");

        Event added = client.events()
                .insert(ALICE, event(null, "later", "2026-03-09T09:00:00+01:00", "2026-03-09T10:00:00+01:00"))
                .execute();
        client.events().delete(ALICE, added.getId()).execute();
        Events changes = client.events().list(ALICE).setSyncToken(syncToken).execute();
        assertThat(changes.getItems())
                .extracting(Event::getId, Event::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(added.getId(), "cancelled"));
        assertThat(changes.getNextSyncToken()).isNotBlank();

        google.invalidateSyncTokens();
        String dead = changes.getNextSyncToken();
        assertThatThrownBy(() -> client.events().list(ALICE).setSyncToken(dead).execute())
                .isInstanceOfSatisfying(GoogleJsonResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(410);
                    assertThat(e.getDetails().getErrors().get(0).getReason()).isEqualTo("fullSyncRequired");
                });
    }

    @Test
    void freeBusyAnswersEveryCalendarAndFlagsTheUnknownOne() throws IOException {
        client.events()
                .insert(ALICE, event(null, "busy", "2026-03-02T09:00:00+01:00", "2026-03-02T10:00:00+01:00"))
                .execute();
        FreeBusyResponse r = client.freebusy()
                .query(new FreeBusyRequest()
                        .setTimeMin(new DateTime("2026-03-02T00:00:00Z"))
                        .setTimeMax(new DateTime("2026-03-03T00:00:00Z"))
                        .setItems(List.of(
                                new FreeBusyRequestItem().setId(ALICE),
                                new FreeBusyRequestItem().setId("nobody@example.com"))))
                .execute();
        assertThat(r.getCalendars().get(ALICE).getBusy()).hasSize(1);
        assertThat(r.getCalendars().get(ALICE).getBusy().get(0).getStart().getValue())
                .isEqualTo(new DateTime("2026-03-02T08:00:00Z").getValue());
        assertThat(r.getCalendars().get("nobody@example.com").getErrors().get(0).getReason())
                .isEqualTo("notFound");
    }

    @Test
    void aBatchCarriesManyCallsAndAnswersEachInOrder() throws IOException {
        client.events()
                .insert(ALICE, event("batch00001", "one", "2026-03-02T09:00:00+01:00", "2026-03-02T10:00:00+01:00"))
                .execute();
        List<String> answers = new ArrayList<>();
        BatchRequest batch = client.batch();
        JsonBatchCallback<Event> callback = new JsonBatchCallback<>() {
            @Override
            public void onSuccess(Event e, HttpHeaders headers) {
                answers.add("ok " + e.getId());
            }

            @Override
            public void onFailure(GoogleJsonError e, HttpHeaders headers) {
                answers.add("error " + e.getCode() + " " + e.getErrors().get(0).getReason());
            }
        };
        client.events().get(ALICE, "batch00001").queue(batch, callback);
        client.events().get(ALICE, "missing0001").queue(batch, callback);
        client.events()
                .insert(ALICE, event("batch00002", "two", "2026-03-03T09:00:00+01:00", "2026-03-03T10:00:00+01:00"))
                .queue(batch, callback);
        google.resetCounts();
        batch.execute();
        assertThat(answers).containsExactly("ok batch00001", "error 404 notFound", "ok batch00002");
        assertThat(google.accounting().totalCalls()).as("one HTTP request").isEqualTo(1);
        assertThat(google.calls("events.get")).isEqualTo(2);
        assertThat(client.events().get(ALICE, "batch00002").execute().getSummary())
                .isEqualTo("two");
    }
}
