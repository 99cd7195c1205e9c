package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.Test;

/** The delta feed says what it covers, so the sync engine infers deletions only inside the window. */
class GraphChangeCoverageTest {
    private static final Instant NOW = Instant.parse("2031-03-10T12:00:00Z");

    @Test
    void calendarViewDeltaCoversItsSyncWindowOnly() {
        try (FakeGraphServer graph = FakeGraphServer.builder()
                        .mailbox("alice@example.com")
                        .build()
                        .start();
                CalendarConnection c = new GraphProvider()
                        .connect(graph.connectionConfig("alice@example.com")
                                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                                .setting("syncWindowPast", "P7D")
                                .setting("syncWindowFuture", "P60D")
                                .build())) {
            ChangeBatch b = c.changes().changes(CalendarRef.primary(Mailbox.of("alice@example.com")), SyncCursor.START);
            assertThat(b).isInstanceOf(ChangeBatch.Changes.class);
            assertThat(((ChangeBatch.Changes) b).coverage())
                    .isEqualTo(ChangeBatch.Coverage.window(
                            TimeWindow.of(NOW.minus(Duration.ofDays(7)), NOW.plus(Duration.ofDays(60)))));
        }
    }
}
