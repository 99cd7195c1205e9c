package org.calsdk.testkit.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fake's own recurrence mapping: each EWS pattern and range read into an RRULE and written back to the
 * same element, and rules EWS cannot hold refused.
 */
class EwsRecurrenceTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate START = LocalDate.of(2031, 3, 3); // a Monday

    private static El parse(String xml) throws Exception {
        String doc = "<t:Recurrence xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">" + xml
                + "</t:Recurrence>";
        return El.parse(doc.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<t:DailyRecurrence><t:Interval>2</t:Interval></t:DailyRecurrence>|FREQ=DAILY;INTERVAL=2",
                "<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday Wednesday</t:DaysOfWeek><t:FirstDayOfWeek>Sunday</t:FirstDayOfWeek></t:WeeklyRecurrence>|FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;WKST=SU",
                "<t:AbsoluteMonthlyRecurrence><t:Interval>3</t:Interval><t:DayOfMonth>15</t:DayOfMonth></t:AbsoluteMonthlyRecurrence>|FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
                "<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek><t:DayOfWeekIndex>Second</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence>|FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU",
                "<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Weekday</t:DaysOfWeek><t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence>|FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                "<t:AbsoluteYearlyRecurrence><t:DayOfMonth>3</t:DayOfMonth><t:Month>March</t:Month></t:AbsoluteYearlyRecurrence>|FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3",
                "<t:RelativeYearlyRecurrence><t:DaysOfWeek>Friday</t:DaysOfWeek><t:DayOfWeekIndex>First</t:DayOfWeekIndex><t:Month>November</t:Month></t:RelativeYearlyRecurrence>|FREQ=YEARLY;BYMONTH=11;BYDAY=1FR",
            })
    void eachPatternReadsToAnRruleAndWritesBackTheSameElement(String pattern, String rrule) throws Exception {
        String range =
                "<t:NumberedRecurrence><t:StartDate>2031-03-03</t:StartDate><t:NumberOfOccurrences>5</t:NumberOfOccurrences></t:NumberedRecurrence>";
        El rec = parse(pattern + range);
        El p = rec.children().get(0);
        El r = rec.children().get(1);
        String read =
                EwsRecurrence.rrule(p.name(), p.values(), r.name(), r.values(), BERLIN, LocalTime.of(9, 0), false);
        assertThat(read).isEqualTo(rrule + ";COUNT=5");
        El written = parse(EwsRecurrence.xml(read, START, BERLIN).replaceAll("^<t:Recurrence>|</t:Recurrence>$", ""));
        assertThat(written.children().get(0).name()).isEqualTo(p.name());
        assertThat(written.children().get(0).values()).isEqualTo(p.values());
        assertThat(written.children().get(1).values()).isEqualTo(r.values());
    }

    @Test
    void anEndDateIsTheLastDayInTheSeriesZoneAndTurnsBackIntoTheSameDate() throws Exception {
        El rec = parse("<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence><t:EndDateRecurrence>"
                + "<t:StartDate>2031-03-03</t:StartDate><t:EndDate>2031-03-10</t:EndDate></t:EndDateRecurrence>");
        El p = rec.children().get(0);
        El r = rec.children().get(1);
        String rrule =
                EwsRecurrence.rrule(p.name(), p.values(), r.name(), r.values(), BERLIN, LocalTime.of(9, 0), false);
        assertThat(rrule).isEqualTo("FREQ=DAILY;INTERVAL=1;UNTIL=20310310T080000Z");
        assertThat(EwsRecurrence.xml(rrule, START, BERLIN)).contains("<t:EndDate>2031-03-10</t:EndDate>");
        assertThat(EwsRecurrence.xml("FREQ=DAILY;UNTIL=20310310", START, BERLIN))
                .contains("<t:EndDate>2031-03-10</t:EndDate>");
    }

    @Test
    void rulesEwsCannotHoldAreRefused() {
        assertThatThrownBy(() -> EwsRecurrence.xml("FREQ=HOURLY;COUNT=3", START, BERLIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EwsRecurrence.xml("FREQ=MONTHLY;BYDAY=MO,WE;BYSETPOS=2", START, BERLIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EwsRecurrence.xml("FREQ=MONTHLY;BYDAY=5MO", START, BERLIN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
