package org.calsdk.ews.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.calsdk.errors.ErrorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RRULE ⇄ EWS Recurrence: what Exchange can express goes there and back unchanged; the rest is refused. */
class RecurrenceXmlTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate START = LocalDate.of(2031, 1, 6); // a Monday

    private static String roundTrip(String rrule) {
        String xml = RecurrenceXml.toXml(rrule, START, BERLIN);
        Xml.Node rec = Xml.parse(
                        ("<r xmlns:t=\"urn:t\">" + xml + "</r>").getBytes(StandardCharsets.UTF_8),
                        1 << 16,
                        ErrorContext.of("ews"))
                .child("Recurrence")
                .orElseThrow();
        RecurrenceXml.Part pattern = null;
        RecurrenceXml.Part range = null;
        for (Xml.Node c : rec.children()) {
            Map<String, String> v = new LinkedHashMap<>();
            c.children().forEach(x -> v.put(x.name(), x.text()));
            if (RecurrenceXml.isRange(c.name())) {
                range = new RecurrenceXml.Part(c.name(), v);
            } else {
                pattern = new RecurrenceXml.Part(c.name(), v);
            }
        }
        return RecurrenceXml.toRrule(pattern, range, BERLIN, LocalTime.of(9, 30), false);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "FREQ=DAILY;COUNT=4|FREQ=DAILY;COUNT=4",
                "FREQ=DAILY;INTERVAL=3|FREQ=DAILY;INTERVAL=3",
                "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10|FREQ=WEEKLY;BYDAY=MO,WE;WKST=MO;COUNT=10",
                "FREQ=WEEKLY;INTERVAL=2;WKST=SU|FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;WKST=SU",
                "FREQ=MONTHLY;BYMONTHDAY=15|FREQ=MONTHLY;BYMONTHDAY=15",
                "FREQ=MONTHLY;BYDAY=-1FR|FREQ=MONTHLY;BYDAY=-1FR",
                "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6|FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6",
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1|FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
                "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1|FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1",
                "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH|FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
                "FREQ=DAILY;UNTIL=20310131T083000Z|FREQ=DAILY;UNTIL=20310131T083000Z",
            })
    void expressibleRulesGoThereAndBack(String rule, String back) {
        assertThat(roundTrip(rule)).isEqualTo(back);
    }

    @Test
    void aWeekdayRuleWithoutBydayTakesTheStartsDay() {
        assertThat(RecurrenceXml.toXml("FREQ=WEEKLY", START, BERLIN)).contains("<t:DaysOfWeek>Monday</t:DaysOfWeek>");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "FREQ=HOURLY",
                "FREQ=DAILY;BYHOUR=9",
                "FREQ=MONTHLY;BYDAY=MO,TU",
                "FREQ=YEARLY;INTERVAL=2",
                "FREQ=MONTHLY;BYDAY=5MO",
                "FREQ=DAILY;COUNT=3;UNTIL=20310101T000000Z",
                "COUNT=3",
            })
    void whatExchangeCannotSayIsRefusedNotApproximated(String rule) {
        assertThatThrownBy(() -> RecurrenceXml.toXml(rule, START, BERLIN)).isInstanceOf(IllegalArgumentException.class);
    }
}
