package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.EventChange;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.Test;

/**
 * calendarView/delta lists a series as its occurrences and exceptions: each comes as its own upsert naming
 * the series master ({@code seriesId}), and a change to one exception is that one occurrence, not the whole
 * series read again.
 */
class GraphSeriesDeltaTest {
    static final CalendarRef CAL = CalendarRef.primary(Mailbox.of("alice@example.com"));

    @Test
    void occurrencesNameTheirSeriesAndAnExceptionIsUpsertedAlone() {
        try (FakeGraphServer graph = FakeGraphServer.builder()
                        .mailbox("alice@example.com")
                        .build()
                        .start();
                CalendarConnection c = new GraphProvider()
                        .connect(graph.connectionConfig("alice@example.com").build())) {
            ZonedDateTime nine = ZonedDateTime.now(ZoneOffset.UTC)
                    .plusDays(2)
                    .truncatedTo(ChronoUnit.DAYS)
                    .plusHours(9);
            Event series = c.writer()
                    .create(
                            CAL,
                            EventKey.of("standup"),
                            Event.builder()
                                    .summary("Standup")
                                    .start(EventTime.of(nine))
                                    .end(EventTime.of(nine.plusMinutes(15)))
                                    .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                                    .build());
            String master = series.id().orElseThrow();

            List<EventChange> full = new ArrayList<>();
            SyncCursor cursor = SyncCursor.START;
            ChangeBatch.Changes b;
            do {
                b = (ChangeBatch.Changes) c.changes().changes(CAL, cursor);
                full.addAll(b.changes());
                cursor = b.next();
            } while (b.hasMore());
            assertThat(full)
                    .hasSize(3)
                    .allSatisfy(ch -> assertThat(ch).isInstanceOfSatisfying(EventChange.Upserted.class, u -> {
                        assertThat(u.seriesId()).isEqualTo(master);
                        assertThat(u.event().recurrenceId()).isPresent();
                        assertThat(u.event().isRecurring()).isFalse();
                        assertThat(u.eventId()).isNotEqualTo(master);
                    }));

            // the organizer moves the second occurrence only
            ZonedDateTime second = nine.plusDays(1);
            c.writer()
                    .updateOccurrence(
                            CAL,
                            master,
                            Event.builder()
                                    .summary("Standup (late)")
                                    .recurrenceId(EventTime.of(second))
                                    .start(EventTime.of(second.plusHours(1)))
                                    .end(EventTime.of(second.plusHours(1).plusMinutes(15)))
                                    .build(),
                            null);
            ChangeBatch.Changes inc = (ChangeBatch.Changes) c.changes().changes(CAL, cursor);
            assertThat(inc.changes()).singleElement().isInstanceOfSatisfying(EventChange.Upserted.class, u -> {
                assertThat(u.seriesId()).isEqualTo(master);
                assertThat(u.event().summary()).isEqualTo("Standup (late)");
                assertThat(u.event().recurrenceId().orElseThrow().toInstant(ZoneOffset.UTC))
                        .isEqualTo(second.toInstant());
                assertThat(u.event().start().toInstant(ZoneOffset.UTC))
                        .isEqualTo(second.plusHours(1).toInstant());
            });
        }
    }
}
