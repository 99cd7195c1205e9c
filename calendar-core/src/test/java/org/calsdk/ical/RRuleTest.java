package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.IsoFields;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules where other implementations disagree; each expectation is justified by RFC 5545 and checked
 * against an independent source where there is one.
 */
class RRuleTest {
    static List<LocalDateTime> expand(String dtstart, String rule, int max) {
        return Rfc5545ExamplesTest.expand(dtstart, rule, max);
    }

    /**
     * RFC 5545 §3.3.10: BYWEEKNO uses ISO 8601 weeks. 1 and 2 January 2011 belong to week 52 of 2010
     * (python-dateutil puts them in week 53 and misses them).
     */
    @Test
    void byWeekNoFollowsIsoWeeksAcrossTheYearBoundary() {
        List<LocalDateTime> got = expand("20101227T090000", "FREQ=YEARLY;BYWEEKNO=52", 20);
        assertThat(got).contains(LocalDateTime.of(2011, 1, 1, 9, 0), LocalDateTime.of(2011, 1, 2, 9, 0));
        for (LocalDateTime t : got) {
            assertThat(t.toLocalDate().get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
                    .as(t.toString())
                    .isEqualTo(52);
        }
    }

    /** Week -53 of 2026 (a 53-week ISO year) is its week 1, which starts on Monday 29 December 2025. */
    @Test
    void negativeWeekNumbersCountFromTheEndOfTheWeekBasedYear() {
        List<LocalDateTime> got = expand("20251229T090000", "FREQ=YEARLY;BYWEEKNO=-53;BYDAY=MO", 3);
        assertThat(got.get(0)).isEqualTo(LocalDateTime.of(2025, 12, 29, 9, 0));
        assertThat(LocalDate.of(2025, 12, 29).get(IsoFields.WEEK_BASED_YEAR)).isEqualTo(2026);
        assertThat(LocalDate.of(2025, 12, 29).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
                .isEqualTo(1);
    }

    @Test
    void repeatedValuesDoNotRepeatInstances() {
        assertThat(expand("20260101T091500", "FREQ=DAILY;BYMINUTE=15,15;BYHOUR=9,9;COUNT=3", 10))
                .containsExactly(
                        LocalDateTime.of(2026, 1, 1, 9, 15),
                        LocalDateTime.of(2026, 1, 2, 9, 15),
                        LocalDateTime.of(2026, 1, 3, 9, 15));
    }

    /** RFC 5545 §3.3.10: BYSETPOS works on the whole interval; a WEEKLY interval is a week from WKST. */
    @Test
    void weeklyBySetPosCountsTheWholeWeek() {
        // Wednesday 7 January 2026; the first week's set is {Mon 5, Fri 9}; position 1 is Monday, before DTSTART
        assertThat(expand("20260107T090000", "FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=1;COUNT=3", 10))
                .containsExactly(
                        LocalDateTime.of(2026, 1, 7, 9, 0),
                        LocalDateTime.of(2026, 1, 12, 9, 0),
                        LocalDateTime.of(2026, 1, 19, 9, 0));
    }

    @Test
    void monthlyOn31stSkipsShortMonths() {
        assertThat(expand("20260131T090000", "FREQ=MONTHLY;COUNT=4", 10))
                .containsExactly(
                        LocalDateTime.of(2026, 1, 31, 9, 0), LocalDateTime.of(2026, 3, 31, 9, 0),
                        LocalDateTime.of(2026, 5, 31, 9, 0), LocalDateTime.of(2026, 7, 31, 9, 0));
    }

    @Test
    void leapDayYearlyOnlyInLeapYears() {
        assertThat(expand("20240229T090000", "FREQ=YEARLY;COUNT=3", 10))
                .containsExactly(
                        LocalDateTime.of(2024, 2, 29, 9, 0),
                        LocalDateTime.of(2028, 2, 29, 9, 0),
                        LocalDateTime.of(2032, 2, 29, 9, 0));
    }
}
