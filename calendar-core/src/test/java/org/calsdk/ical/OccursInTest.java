package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.EventTime;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/** The one window rule every provider shares (issue 11 item 10). */
class OccursInTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final TimeWindow MONDAY =
            TimeWindow.of(Instant.parse("2031-03-03T00:00:00Z"), Instant.parse("2031-03-04T00:00:00Z"));

    private static Event single(String start, String end) {
        return Event.builder()
                .uid("x")
                .summary("x")
                .start(EventTime.utc(Instant.parse(start)))
                .end(EventTime.utc(Instant.parse(end)))
                .build();
    }

    @Test
    void aSingleEventOccursWhenItOverlapsTheHalfOpenWindow() {
        assertThat(Recurrences.occursIn(single("2031-03-03T10:00:00Z", "2031-03-03T11:00:00Z"), MONDAY, UTC))
                .isTrue();
        assertThat(Recurrences.occursIn(single("2031-03-02T23:00:00Z", "2031-03-03T00:30:00Z"), MONDAY, UTC))
                .as("began before, still running")
                .isTrue();
        assertThat(Recurrences.occursIn(single("2031-03-02T23:00:00Z", "2031-03-03T00:00:00Z"), MONDAY, UTC))
                .as("ends exactly at the start")
                .isFalse();
        assertThat(Recurrences.occursIn(single("2031-03-04T00:00:00Z", "2031-03-04T01:00:00Z"), MONDAY, UTC))
                .as("starts exactly at the end")
                .isFalse();
    }

    @Test
    void aZeroLengthEventOccursWhenItStartsInside() {
        assertThat(Recurrences.occursIn(single("2031-03-03T00:00:00Z", "2031-03-03T00:00:00Z"), MONDAY, UTC))
                .isTrue();
        assertThat(Recurrences.occursIn(single("2031-03-04T00:00:00Z", "2031-03-04T00:00:00Z"), MONDAY, UTC))
                .isFalse();
    }

    @Test
    void aSeriesOccursByItsInstancesNotByItsFirstStart() {
        Event series = single("2031-02-24T09:00:00Z", "2031-02-24T10:00:00Z").toBuilder()
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=10"))
                .build();
        assertThat(Recurrences.occursIn(series, MONDAY, UTC))
                .as("begun a week before")
                .isTrue();
        Event excluded = series.toBuilder()
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=10")
                        .withExdates(List.of(EventTime.utc(Instant.parse("2031-03-03T09:00:00Z")))))
                .build();
        assertThat(Recurrences.occursIn(excluded, MONDAY, UTC))
                .as("its only instance inside is an EXDATE")
                .isFalse();
        Event ended = series.toBuilder()
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                .build();
        assertThat(Recurrences.occursIn(ended, MONDAY, UTC)).as("ended before").isFalse();
    }

    @Test
    void aMovedOccurrenceCountsAtItsNewTime() {
        Event series = single("2031-03-01T09:00:00Z", "2031-03-01T10:00:00Z").toBuilder()
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=2"))
                .build();
        assertThat(Recurrences.occursIn(series, MONDAY, UTC)).isFalse();
        Event moved = series.toBuilder()
                .addOverride(single("2031-03-03T15:00:00Z", "2031-03-03T16:00:00Z").toBuilder()
                        .recurrenceId(EventTime.utc(Instant.parse("2031-03-02T09:00:00Z")))
                        .build())
                .build();
        assertThat(Recurrences.occursIn(moved, MONDAY, UTC)).isTrue();
    }

    @Test
    void aCancelledEventStillOccursItsStatusTellsTheReader() {
        Event cancelled = single("2031-03-03T10:00:00Z", "2031-03-03T11:00:00Z").toBuilder()
                .status(EventStatus.CANCELLED)
                .build();
        assertThat(Recurrences.occursIn(cancelled, MONDAY, UTC)).isTrue();
    }
}
