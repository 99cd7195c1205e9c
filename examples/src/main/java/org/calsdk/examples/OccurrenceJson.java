package org.calsdk.examples;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.calsdk.ical.Occurrence;
import org.calsdk.model.EventTime;

/**
 * The JSON form of occurrences shared by {@code calendar expand} and {@code calendar events list}: an
 * array of {@code {"uid", "recurrenceId", "summary", "start", "end", "allDay", "status"}}, times as
 * {@code YYYY-MM-DD} (all-day), the local date-time with offset in the event's zone (zoned), UTC with
 * {@code Z} (UTC times), or a local date-time without offset (floating).
 */
final class OccurrenceJson {
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private OccurrenceJson() {}

    /** The occurrences as a JSON array. */
    static ArrayNode toJson(ObjectMapper json, List<Occurrence> occurrences) {
        ArrayNode out = json.createArrayNode();
        for (Occurrence o : occurrences) {
            ObjectNode n = out.addObject();
            n.put("uid", o.uid());
            if (o.recurrenceId() == null) {
                n.putNull("recurrenceId");
            } else {
                n.put("recurrenceId", format(o.recurrenceId()));
            }
            n.put("summary", o.summary());
            n.put("start", format(o.start()));
            n.put("end", format(o.end()));
            n.put("allDay", o.start().isAllDay());
            n.put("status", o.status().name());
        }
        return out;
    }

    /** One time in the format above. */
    static String format(EventTime t) {
        if (t instanceof EventTime.AllDay d) {
            return d.date().toString();
        }
        if (t instanceof EventTime.Floating f) {
            return LOCAL.format(f.dateTime());
        }
        EventTime.Zoned z = (EventTime.Zoned) t;
        if (z.isUtc()) {
            return UTC.format(z.dateTime().withZoneSameInstant(ZoneOffset.UTC));
        }
        return ZONED.format(z.dateTime());
    }
}
