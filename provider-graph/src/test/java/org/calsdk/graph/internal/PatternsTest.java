package org.calsdk.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

class PatternsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate MONDAY = LocalDate.of(2031, 1, 6);

    private static String roundTrip(String rule) {
        Map<String, Object> g = Patterns.toGraph(rule, MONDAY, BERLIN, "W. Europe Standard Time");
        return Patterns.toRule(Json.object(Json.write(g)), BERLIN, false);
    }

    @Test
    void graphPatternsCarryTheRule() {
        Map<String, Object> weekly = Patterns.toGraph(
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6", MONDAY, BERLIN, "W. Europe Standard Time");
        assertThat(Json.obj(weekly, "pattern"))
                .containsEntry("type", "weekly")
                .containsEntry("interval", 2)
                .containsEntry("daysOfWeek", List.of("monday", "wednesday"));
        assertThat(Json.obj(weekly, "range"))
                .containsEntry("type", "numbered")
                .containsEntry("numberOfOccurrences", 6)
                .containsEntry("startDate", "2031-01-06")
                .containsEntry("recurrenceTimeZone", "W. Europe Standard Time");
        Map<String, Object> relative = Patterns.toGraph("FREQ=MONTHLY;BYDAY=-1FR", MONDAY, BERLIN, "x");
        assertThat(Json.obj(relative, "pattern"))
                .containsEntry("type", "relativeMonthly")
                .containsEntry("index", "last")
                .containsEntry("daysOfWeek", List.of("friday"));
        assertThat(Json.obj(relative, "range")).containsEntry("type", "noEnd");
    }

    @Test
    void rulesRoundTrip() {
        assertThat(roundTrip("FREQ=DAILY;COUNT=4")).isEqualTo("FREQ=DAILY;COUNT=4");
        assertThat(roundTrip("FREQ=WEEKLY;BYDAY=TU,TH;WKST=MO;INTERVAL=3"))
                .isEqualTo("FREQ=WEEKLY;BYDAY=TU,TH;WKST=MO;INTERVAL=3");
        assertThat(roundTrip("FREQ=MONTHLY;BYMONTHDAY=15")).isEqualTo("FREQ=MONTHLY;BYMONTHDAY=15");
        assertThat(roundTrip("FREQ=MONTHLY;BYDAY=2TU")).isEqualTo("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2");
        assertThat(roundTrip("FREQ=YEARLY")).isEqualTo("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=6");
        // UNTIL becomes Graph's inclusive end date, read back as the end of that day in the series' zone
        assertThat(roundTrip("FREQ=DAILY;UNTIL=20310110T090000Z")).isEqualTo("FREQ=DAILY;UNTIL=20310110T225959Z");
    }

    @Test
    void whatGraphCannotExpressIsRefusedNotApproximated() {
        assertThatThrownBy(() -> Patterns.toGraph("FREQ=HOURLY", MONDAY, BERLIN, "x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cannot express");
        assertThatThrownBy(() -> Patterns.toGraph("FREQ=DAILY;BYHOUR=9,17", MONDAY, BERLIN, "x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("BYHOUR");
        assertThatThrownBy(() -> Patterns.toGraph("FREQ=MONTHLY;BYDAY=5MO", MONDAY, BERLIN, "x"))
                .isInstanceOf(InvalidInputException.class);
    }
}
