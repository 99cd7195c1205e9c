package org.calsdk.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.calsdk.ical.ExpansionLimits;
import org.calsdk.ical.Recurrences;
import org.junit.jupiter.api.Test;

/** Issue 15: all-day events that the calendar marks free block their day, as a host setting on by default. */
class BusyRulesTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final LocalDate DAY = LocalDate.of(2026, 3, 9);
    static final TimeWindow WEEK =
            TimeWindow.of(Instant.parse("2026-03-08T00:00:00Z"), Instant.parse("2026-03-15T00:00:00Z"));

    static Event allDay(String summary, Transparency t) {
        return Event.builder()
                .summary(summary)
                .start(EventTime.allDay(DAY))
                .end(EventTime.allDay(DAY.plusDays(1)))
                .transparency(t)
                .build();
    }

    @Test
    void aFreeAllDayEventBlocksItsDayByDefaultAndNotWhenTheHostSaysSo() {
        Event trip = allDay("Trip", Transparency.TRANSPARENT);
        List<BusyInterval> blocked =
                Recurrences.busy(List.of(trip), WEEK, BERLIN, ExpansionLimits.DEFAULT, BusyRules.defaults());
        assertThat(blocked).singleElement().satisfies(b -> {
            assertThat(b.status()).isEqualTo(BusyStatus.BUSY);
            assertThat(b.start()).isEqualTo(DAY.atStartOfDay(BERLIN).toInstant());
            assertThat(b.end()).isEqualTo(DAY.plusDays(1).atStartOfDay(BERLIN).toInstant());
        });
        assertThat(Recurrences.busy(List.of(trip), WEEK, BERLIN, ExpansionLimits.DEFAULT, BusyRules.asCalendarSays()))
                .isEmpty();
        assertThat(Recurrences.busy(List.of(trip), WEEK, BERLIN))
                .as("the form without rules reads RFC 5545 as is")
                .isEmpty();
    }

    @Test
    void showAsFreeBlocksButCancelledTimedAndWorkingElsewhereKeepTheirMarking() {
        Event showFree = allDay("Holiday", Transparency.OPAQUE).toBuilder()
                .showAs(BusyStatus.FREE)
                .build();
        Event cancelled = allDay("Off", Transparency.TRANSPARENT).toBuilder()
                .status(EventStatus.CANCELLED)
                .build();
        Event elsewhere = allDay("Lisbon", Transparency.OPAQUE).toBuilder()
                .showAs(BusyStatus.WORKING_ELSEWHERE)
                .build();
        Event timedFree = Event.builder()
                .summary("Focus")
                .start(EventTime.utc(Instant.parse("2026-03-10T09:00:00Z")))
                .end(EventTime.utc(Instant.parse("2026-03-10T10:00:00Z")))
                .transparency(Transparency.TRANSPARENT)
                .build();
        BusyRules rules = BusyRules.defaults();
        assertThat(rules.statusOf(showFree, true)).isEqualTo(BusyStatus.BUSY);
        assertThat(rules.statusOf(cancelled, true)).isEqualTo(BusyStatus.FREE);
        assertThat(rules.statusOf(elsewhere, true)).isEqualTo(BusyStatus.WORKING_ELSEWHERE);
        assertThat(rules.statusOf(timedFree, false)).isEqualTo(BusyStatus.FREE);
        assertThat(Recurrences.busy(List.of(cancelled, timedFree), WEEK, BERLIN, ExpansionLimits.DEFAULT, rules))
                .isEmpty();
    }

    @Test
    void aWeeklyFreeAllDaySeriesBlocksEachOfItsDays() {
        Event weekly = allDay("Remote Monday", Transparency.TRANSPARENT).toBuilder()
                .recurrence(Recurrence.rule("FREQ=WEEKLY;COUNT=3"))
                .build();
        TimeWindow month = TimeWindow.of(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(Recurrences.busy(List.of(weekly), month, BERLIN, ExpansionLimits.DEFAULT, BusyRules.defaults()))
                .hasSize(3)
                .allSatisfy(b -> assertThat(b.status()).isEqualTo(BusyStatus.BUSY));
    }
}
