package org.calsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/** The value types of issue 11 items 1 and 2: stored subscriptions with their secret, coverage, occurrences. */
class PushAndCoverageContractsTest {
    static final CalendarRef CAL = CalendarRef.primary(Mailbox.of("alice@example.com"));
    static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void aSubscriptionChecksPresentedSecretsAndNeverPrintsItsOwn() {
        Subscription s = new Subscription("sub-1", CAL, null, T, Secret.of("s3cret-state"));
        assertThat(s.matchesClientState("s3cret-state")).isTrue();
        assertThat(s.matchesClientState("s3cret-statf")).isFalse();
        assertThat(s.matchesClientState("s3cret")).isFalse();
        assertThat(s.matchesClientState("")).isFalse();
        assertThat(s.matchesClientState(null)).isFalse();
        assertThat(s.toString()).contains("sub-1").doesNotContain("s3cret");
        Subscription renewed = s.renewed(T.plusSeconds(3600), Secret.of("next"));
        assertThat(renewed.id()).isEqualTo("sub-1");
        assertThat(renewed.matchesClientState("next")).isTrue();
        assertThatThrownBy(() -> new Subscription("sub-1", CAL, null, T, null)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void coverageIsEverythingOrAWindowOfOverlappingEvents() {
        ChangeBatch.Changes plain = new ChangeBatch.Changes(List.of(), SyncCursor.of("c"), false, true);
        assertThat(plain.coverage()).isEqualTo(ChangeBatch.Coverage.EVERYTHING);
        assertThat(ChangeBatch.Coverage.EVERYTHING.covers(Instant.MIN, Instant.MIN))
                .isTrue();

        ChangeBatch.Coverage w = ChangeBatch.Coverage.window(TimeWindow.of(T, T.plusSeconds(3600)));
        assertThat(w.covers(T.minusSeconds(60), T.plusSeconds(1)))
                .as("overlaps the start")
                .isTrue();
        assertThat(w.covers(T.minusSeconds(60), T))
                .as("ends where the window starts")
                .isFalse();
        assertThat(w.covers(T.plusSeconds(3600), T.plusSeconds(3700)))
                .as("starts where it ends")
                .isFalse();
        assertThat(w.covers(T, T)).as("zero length at its start").isTrue();
        assertThatThrownBy(() ->
                        new ChangeBatch.Changes(List.of(), SyncCursor.START, false, true, (ChangeBatch.Coverage) null))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void anOccurrenceListedOnItsOwnNamesItsSeries() {
        Event occurrence = Event.builder()
                .id("occ-1")
                .start(EventTime.of(T.atZone(java.time.ZoneOffset.UTC)))
                .end(EventTime.of(T.plusSeconds(60).atZone(java.time.ZoneOffset.UTC)))
                .recurrenceId(EventTime.of(T.atZone(java.time.ZoneOffset.UTC)))
                .build();
        EventChange.Upserted up = new EventChange.Upserted(occurrence, "series-1");
        assertThat(up.seriesId()).isEqualTo("series-1");
        assertThat(up.eventId()).isEqualTo("occ-1");
        assertThat(new EventChange.Upserted(occurrence).seriesId()).isNull();

        Event single = occurrence.toBuilder().recurrenceId(null).build();
        assertThatThrownBy(() -> new EventChange.Upserted(single, "series-1"))
                .as("not an occurrence")
                .isInstanceOf(IllegalArgumentException.class);
        Event master = single.toBuilder()
                .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=2"))
                .recurrenceId(EventTime.of(T.atZone(java.time.ZoneOffset.UTC)))
                .build();
        assertThatThrownBy(() -> new EventChange.Upserted(master, "series-1"))
                .as("a whole series")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
