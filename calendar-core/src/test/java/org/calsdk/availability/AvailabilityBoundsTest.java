package org.calsdk.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.availability.internal.SweepEngine;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §1: explanations are capped in total size, and slots of many participants stay small. The
 * full-size attacks (10,000 participants) run under {@code -Xmx256m} in the examples' HeapBoundsTest.
 */
class AvailabilityBoundsTest {
    @Test
    void explanationsOfManyParticipantsAreCappedInTotalSize() {
        // a Saturday start: every candidate until Monday 09:00 is rejected, for 2,000 people each
        AvailabilityRequest.Builder b = AvailabilityRequest.builder()
                .window(TimeWindow.of(Instant.parse("2026-03-07T00:00:00Z"), Duration.ofDays(30)))
                .duration(Duration.ofMinutes(30))
                .interval(Duration.ofMinutes(1))
                .maxResults(1)
                .explain(true);
        for (int i = 0; i < 2_000; i++) {
            b.participant(Participant.builder(String.format("p%05d", i), ZoneOffset.UTC)
                    .build());
        }
        AvailabilityResult r = Availability.find(b.build());
        assertThat(r.slots())
                .singleElement()
                .satisfies(s -> assertThat(s.start()).isEqualTo(Instant.parse("2026-03-09T09:00:00Z")));
        assertThat(r.explanationsTruncated()).isTrue();
        long entries = 0;
        for (RejectedSlot x : r.rejected()) {
            entries += x.available().size() + x.unavailable().size();
            for (Unavailability u : x.unavailable()) {
                entries += u.reasons().size();
            }
        }
        assertThat(r.rejected()).isNotEmpty();
        assertThat(entries).isLessThanOrEqualTo(SweepEngine.MAX_EXPLANATION_ENTRIES);
    }

    @Test
    void slotsOfTheSamePeopleShareOneCompactList() {
        AvailabilityRequest.Builder b = AvailabilityRequest.builder()
                .window(TimeWindow.of(Instant.parse("2026-03-07T00:00:00Z"), Duration.ofDays(10)))
                .duration(Duration.ofMinutes(30))
                .maxResults(400);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ids.add(String.format("p%05d", i));
            b.participant(Participant.builder(ids.get(i), ZoneOffset.UTC)
                    .workingHours(WorkingHours.always())
                    .build());
        }
        AvailabilityResult r = Availability.find(b.build());
        assertThat(r.slots()).hasSize(400);
        assertThat(r.slots().get(0).participants()).isEqualTo(ids);
        assertThat(r.slots().get(399).participants()).isSameAs(r.slots().get(0).participants());
    }
}
