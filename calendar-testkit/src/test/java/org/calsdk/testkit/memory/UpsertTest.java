package org.calsdk.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZonedDateTime;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Upsert;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.SeedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Upsert#byUid} and {@link EventKey#fromUid} against the in-memory reference provider. */
class UpsertTest {
    private static final Mailbox U1 = Mailbox.of("user1@example.com");
    private static final TimeWindow MARCH =
            TimeWindow.of(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    private final InMemoryCalendarService service =
            InMemoryCalendarService.builder().build();

    @AfterEach
    void close() {
        service.close();
    }

    private static Event meeting(String uid, String summary) {
        ZonedDateTime s = ZonedDateTime.parse("2026-03-02T10:00:00Z");
        return Event.builder()
                .uid(uid)
                .summary(summary)
                .start(EventTime.of(s))
                .end(EventTime.of(s.plusHours(1)))
                .build();
    }

    @Test
    void theSameUidTwiceCreatesThenUpdatesOneEvent() {
        service.seed(SeedData.organization("example.com").users(1).build());
        CalendarRef cal = CalendarRef.primary(U1);
        try (CalendarConnection c = service.connect(U1)) {
            int before = c.reader().listAll(cal, MARCH).size();
            Upsert first = Upsert.byUid(c, cal, meeting("standup-2026@example.com", "Standup"));
            Upsert second = Upsert.byUid(c, cal, meeting("standup-2026@example.com", "Stand-up (moved)"));
            assertThat(first.created()).isTrue();
            assertThat(second.created()).isFalse();
            assertThat(second.event().id()).isEqualTo(first.event().id());
            assertThat(c.reader().listAll(cal, MARCH))
                    .hasSize(before + 1)
                    .extracting(Event::summary)
                    .contains("Stand-up (moved)")
                    .doesNotContain("Standup");
            assertThat(c.reader().findByKey(cal, EventKey.fromUid("standup-2026@example.com")))
                    .isPresent();
            assertThatThrownBy(() -> Upsert.byUid(
                            c,
                            cal,
                            Event.builder()
                                    .summary("no uid")
                                    .start(EventTime.of(ZonedDateTime.parse("2026-03-03T10:00:00Z")))
                                    .end(EventTime.of(ZonedDateTime.parse("2026-03-03T11:00:00Z")))
                                    .build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("UID");
        }
    }

    @Test
    void aUidThatCannotBeAKeyIsDigestedTheSameWayEveryTime() {
        assertThat(EventKey.fromUid("abc@example.com").value()).isEqualTo("abc@example.com");
        EventKey spaced = EventKey.fromUid("réunion d'équipe");
        assertThat(spaced.value()).startsWith("uid-sha256-").hasSize("uid-sha256-".length() + 64);
        assertThat(EventKey.fromUid("réunion d'équipe")).isEqualTo(spaced);
        assertThat(EventKey.fromUid("x".repeat(EventKey.MAX_LENGTH + 1)).value())
                .startsWith("uid-sha256-");
        assertThatThrownBy(() -> EventKey.fromUid(" ")).isInstanceOf(InvalidInputException.class);
    }
}
