package org.calsdk.testkit.google;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.ical.ICalendar;
import org.calsdk.model.Attendee;
import org.calsdk.model.Event;
import org.calsdk.model.EventStatus;
import org.calsdk.model.Transparency;

/** Puts seed events (core model) into the fake as Google JSON: a series as its master plus exceptions. */
final class GoogleSeeds {
    private GoogleSeeds() {}

    static void put(GoogleState state, GoogleState.Cal cal, Event e) {
        String id =
                "seed" + Integer.toString(Math.abs((cal.id + e.uid().orElse(e.summary()) + e.start()).hashCode()), 32)
                        + cal.events.size();
        ObjectNode master = json(e);
        master.put("id", id);
        master.put("iCalUID", e.uid().orElse(id + "@google.com"));
        stamp(state, cal, master);
        cal.events.put(id, new GoogleState.Stored(master, state.seq));
        for (Event o : e.overrides()) {
            ObjectNode x = json(o);
            String iid = id + "_" + GoogleTimes.instanceSuffix(o.recurrenceId().orElseThrow());
            x.put("id", iid);
            x.put("iCalUID", master.path("iCalUID").asText());
            x.put("recurringEventId", id);
            x.set("originalStartTime", GoogleTimes.json(o.recurrenceId().orElseThrow()));
            stamp(state, cal, x);
            cal.events.put(iid, new GoogleState.Stored(x, state.seq));
        }
    }

    private static void stamp(GoogleState state, GoogleState.Cal cal, ObjectNode e) {
        state.seq++;
        e.put("kind", "calendar#event");
        e.put("etag", "\"" + (3_000_000_000_000L + state.seq) + "\"");
        e.put("updated", GoogleTimes.rfc3339(state.clock.instant()));
        e.putObject("organizer").put("email", cal.owner).put("self", true);
    }

    static ObjectNode json(Event e) {
        ObjectNode n = GoogleState.JSON.createObjectNode();
        n.put("summary", e.summary());
        e.description().ifPresent(d -> n.put("description", d));
        e.location().ifPresent(l -> n.put("location", l));
        n.set("start", GoogleTimes.json(e.start()));
        n.set("end", GoogleTimes.json(e.end()));
        n.put(
                "status",
                e.status() == EventStatus.CANCELLED
                        ? "cancelled"
                        : e.status() == EventStatus.TENTATIVE ? "tentative" : "confirmed");
        if (e.transparency() == Transparency.TRANSPARENT) {
            n.put("transparency", "transparent");
        }
        if (!e.attendees().isEmpty()) {
            ArrayNode a = n.putArray("attendees");
            for (Attendee at : e.attendees()) {
                ObjectNode x = a.addObject().put("email", at.mailbox().email());
                if (at.name() != null) {
                    x.put("displayName", at.name());
                }
            }
        }
        if (e.recurrence().isPresent()) {
            ArrayNode r = n.putArray("recurrence");
            recurrenceLines(e).forEach(r::add);
        }
        return n;
    }

    /** The RRULE/RDATE/EXDATE lines of a series, as the core's iCalendar writer spells them. */
    static List<String> recurrenceLines(Event e) {
        String ics = ICalendar.write(
                        e.toBuilder().overrides(List.of()).uid("seed").build())
                .replace("\r\n ", "")
                .replace("\r\n\t", "");
        List<String> out = new ArrayList<>();
        boolean inEvent = false;
        for (String line : ics.split("\r\n")) {
            if (line.equals("BEGIN:VEVENT")) {
                inEvent = true;
            } else if (line.equals("END:VEVENT")) {
                inEvent = false;
            } else if (inEvent && line.matches("(RRULE|RDATE|EXDATE)[;:].*")) {
                out.add(line);
            }
        }
        return out;
    }
}
