package org.calsdk.examples;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.Buffer;
import org.calsdk.availability.DateOverride;
import org.calsdk.availability.Participant;
import org.calsdk.availability.ParticipantGroup;
import org.calsdk.availability.RoundRobin;
import org.calsdk.availability.TimeOfDayRange;
import org.calsdk.availability.WorkingHours;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.TimeWindow;
import org.calsdk.tz.TimeZones;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the {@code availability} command's JSON request into an {@link AvailabilityRequest}. Strict:
 * unknown fields, wrong types and bad values are {@link InvalidInputException}s whose message starts with
 * the JSON path of the field ({@code participants[1].timeZone: unknown time zone 'Mars/Base'}).
 */
final class AvailabilityRequestReader {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private AvailabilityRequestReader() {}

    static AvailabilityRequest read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidInputException("request", "request: malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException("request", "request: unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("request", "request: must be a JSON object");
        }
        return request(root);
    }

    private static AvailabilityRequest request(JsonNode root) {
        known(root, "", "window", "periods", "duration", "interval", "buffer", "countTentativeAsBusy", "maxResults",
                "participants", "groups", "roundRobin");
        AvailabilityRequest.Builder b = AvailabilityRequest.builder();
        if (root.has("window") && root.has("periods")) {
            throw invalid("periods", "give either window or periods, not both");
        }
        if (root.has("periods")) {
            List<TimeWindow> periods = new ArrayList<>();
            JsonNode ps = array(root, "periods", "periods");
            for (int i = 0; i < ps.size(); i++) {
                periods.add(window(ps.get(i), "periods[" + i + "]"));
            }
            if (periods.isEmpty()) {
                throw invalid("periods", "at least one period is required");
            }
            b.periods(periods);
        } else {
            b.window(window(required(root, "window", "window"), "window"));
        }
        b.duration(duration(required(root, "duration", "duration"), "duration"));
        if (present(root, "interval")) {
            b.interval(duration(root.get("interval"), "interval"));
        }
        if (present(root, "buffer")) {
            JsonNode buf = object(root.get("buffer"), "buffer");
            known(buf, "buffer", "before", "after");
            Duration before = present(buf, "before") ? duration(buf.get("before"), "buffer.before") : Duration.ZERO;
            Duration after = present(buf, "after") ? duration(buf.get("after"), "buffer.after") : Duration.ZERO;
            b.buffer(at("buffer", () -> Buffer.of(before, after)));
        }
        if (present(root, "countTentativeAsBusy")) {
            b.countTentativeAsBusy(bool(root.get("countTentativeAsBusy"), "countTentativeAsBusy"));
        }
        if (present(root, "maxResults")) {
            int max = integer(root.get("maxResults"), "maxResults");
            b.maxResults(at("maxResults", () -> {
                if (max < 1) {
                    throw invalid("maxResults", "must be at least 1, was " + max);
                }
                return max;
            }));
        }
        JsonNode ps = array(root, "participants", "participants");
        for (int i = 0; i < ps.size(); i++) {
            b.participant(participant(ps.get(i), "participants[" + i + "]"));
        }
        if (present(root, "groups")) {
            JsonNode gs = array(root, "groups", "groups");
            for (int i = 0; i < gs.size(); i++) {
                b.group(group(gs.get(i), "groups[" + i + "]"));
            }
        }
        if (present(root, "roundRobin")) {
            b.roundRobin(roundRobin(object(root.get("roundRobin"), "roundRobin"), "roundRobin"));
        }
        return b.build();
    }

    private static Participant participant(JsonNode node, String path) {
        object(node, path);
        known(node, path, "id", "timeZone", "workingHours", "busy", "overrides", "maxMeetingsPerDay",
                "maxMeetingsPerWeek", "existingMeetings");
        String id = text(required(node, "id", path + ".id"), path + ".id");
        if (id.isBlank()) {
            throw invalid(path + ".id", "must not be blank");
        }
        String zoneName = text(required(node, "timeZone", path + ".timeZone"), path + ".timeZone");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName); // IANA ids, UTC, fixed offsets such as +05:30
        } catch (DateTimeException e) {
            // Windows names as Exchange writes them ("W. Europe Standard Time")
            zone = TimeZones.find(zoneName).orElseThrow(
                    () -> invalid(path + ".timeZone", "unknown time zone '" + zoneName + "'"));
        }
        Participant.Builder p = Participant.builder(id, zone);
        if (present(node, "workingHours")) {
            p.workingHours(workingHours(node, path + ".workingHours"));
        }
        if (present(node, "busy")) {
            JsonNode busy = array(node, "busy", path + ".busy");
            for (int i = 0; i < busy.size(); i++) {
                busy(p, busy.get(i), path + ".busy[" + i + "]");
            }
        }
        if (present(node, "overrides")) {
            JsonNode os = array(node, "overrides", path + ".overrides");
            for (int i = 0; i < os.size(); i++) {
                p.override(override(os.get(i), path + ".overrides[" + i + "]"));
            }
        }
        if (present(node, "maxMeetingsPerDay")) {
            int max = integer(node.get("maxMeetingsPerDay"), path + ".maxMeetingsPerDay");
            at(path + ".maxMeetingsPerDay", () -> p.maxMeetingsPerDay(max));
        }
        if (present(node, "maxMeetingsPerWeek")) {
            int max = integer(node.get("maxMeetingsPerWeek"), path + ".maxMeetingsPerWeek");
            at(path + ".maxMeetingsPerWeek", () -> p.maxMeetingsPerWeek(max));
        }
        if (present(node, "existingMeetings")) {
            JsonNode m = object(node.get("existingMeetings"), path + ".existingMeetings");
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = path + ".existingMeetings." + e.getKey();
                LocalDate date = date(e.getKey(), field);
                int count = integer(e.getValue(), field);
                at(field, () -> p.meetingsOn(date, count));
            }
        }
        return p.build();
    }

    private static WorkingHours workingHours(JsonNode participant, String path) {
        JsonNode ranges = array(participant, "workingHours", path);
        WorkingHours.Builder h = WorkingHours.builder();
        for (int i = 0; i < ranges.size(); i++) {
            String rp = path + "[" + i + "]";
            JsonNode r = object(ranges.get(i), rp);
            known(r, rp, "days", "start", "end");
            JsonNode days = array(r, "days", rp + ".days");
            Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
            for (int d = 0; d < days.size(); d++) {
                set.add(day(text(days.get(d), rp + ".days[" + d + "]"), rp + ".days[" + d + "]"));
            }
            TimeOfDayRange range = range(r, rp);
            h.on(set, range.start(), range.end());
        }
        return h.build();
    }

    private static TimeOfDayRange range(JsonNode r, String path) {
        LocalTime start = time(text(required(r, "start", path + ".start"), path + ".start"), path + ".start", false);
        LocalTime end = time(text(required(r, "end", path + ".end"), path + ".end"), path + ".end", true);
        return TimeOfDayRange.of(start, end);
    }

    private static void busy(Participant.Builder p, JsonNode node, String path) {
        object(node, path);
        known(node, path, "start", "end", "status", "date", "allDay", "eventId");
        BusyStatus status = BusyStatus.BUSY;
        if (present(node, "status")) {
            String s = text(node.get("status"), path + ".status");
            status = at(path + ".status", () -> BusyStatus.fromJsonName(s));
        }
        boolean allDay = present(node, "allDay") ? bool(node.get("allDay"), path + ".allDay") : node.has("date");
        if (allDay) {
            if (node.has("start") || node.has("end")) {
                throw invalid(path, "an all-day entry has a date, not start and end");
            }
            LocalDate date = date(text(required(node, "date", path + ".date"), path + ".date"), path + ".date");
            p.busyAllDay(date, status);
            return;
        }
        if (node.has("date")) {
            throw invalid(path + ".allDay", "an entry with a date must be all-day");
        }
        Instant start = instant(required(node, "start", path + ".start"), path + ".start");
        Instant end = instant(required(node, "end", path + ".end"), path + ".end");
        if (!end.isAfter(start)) {
            throw invalid(path + ".end", end + " is not after start " + start);
        }
        String eventId = present(node, "eventId") ? text(node.get("eventId"), path + ".eventId") : null;
        p.busy(new BusyInterval(start, end, status, eventId));
    }

    private static DateOverride override(JsonNode node, String path) {
        object(node, path);
        known(node, path, "date", "dayOff", "hours", "extraHours");
        LocalDate date = date(text(required(node, "date", path + ".date"), path + ".date"), path + ".date");
        int kinds = (node.has("dayOff") ? 1 : 0) + (node.has("hours") ? 1 : 0) + (node.has("extraHours") ? 1 : 0);
        if (kinds != 1) {
            throw invalid(path, "give exactly one of dayOff, hours or extraHours");
        }
        if (node.has("dayOff")) {
            if (!bool(node.get("dayOff"), path + ".dayOff")) {
                throw invalid(path + ".dayOff", "must be true (leave the override out otherwise)");
            }
            return DateOverride.dayOff(date);
        }
        String field = node.has("hours") ? "hours" : "extraHours";
        JsonNode rs = array(node, field, path + "." + field);
        List<TimeOfDayRange> ranges = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            String rp = path + "." + field + "[" + i + "]";
            JsonNode r = object(rs.get(i), rp);
            known(r, rp, "start", "end");
            ranges.add(range(r, rp));
        }
        return at(path, () -> new DateOverride(date,
                field.equals("hours") ? DateOverride.Kind.REPLACE_HOURS : DateOverride.Kind.EXTRA_HOURS, ranges));
    }

    private static ParticipantGroup group(JsonNode node, String path) {
        object(node, path);
        known(node, path, "members", "required");
        JsonNode ms = array(node, "members", path + ".members");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            members.add(text(ms.get(i), path + ".members[" + i + "]"));
        }
        JsonNode req = node.get("required");
        if (req == null || req.isNull() || (req.isTextual() && req.asText().equals("all"))) {
            return at(path, () -> ParticipantGroup.all(members));
        }
        if (!req.isIntegralNumber()) {
            throw invalid(path + ".required", "must be \"all\" or a number, was " + req);
        }
        int n = req.asInt();
        if (n < 1 || n > members.size()) {
            throw invalid(path + ".required", "must be between 1 and " + members.size() + " (the number of members), was " + n);
        }
        return at(path, () -> ParticipantGroup.atLeast(n, members));
    }

    private static RoundRobin roundRobin(JsonNode node, String path) {
        known(node, path, "method", "hosts", "pastBookings");
        String m = text(required(node, "method", path + ".method"), path + ".method");
        RoundRobin.Method method = switch (m) {
            case "maxAvailability", "MAX_AVAILABILITY" -> RoundRobin.Method.MAX_AVAILABILITY;
            case "maxFairness", "MAX_FAIRNESS" -> RoundRobin.Method.MAX_FAIRNESS;
            default -> throw invalid(path + ".method", "must be maxAvailability or maxFairness, was '" + m + "'");
        };
        JsonNode hs = array(node, "hosts", path + ".hosts");
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < hs.size(); i++) {
            hosts.add(text(hs.get(i), path + ".hosts[" + i + "]"));
        }
        Map<String, Integer> past = new LinkedHashMap<>();
        if (present(node, "pastBookings")) {
            JsonNode pb = object(node.get("pastBookings"), path + ".pastBookings");
            for (Iterator<Map.Entry<String, JsonNode>> it = pb.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int count = integer(e.getValue(), path + ".pastBookings." + e.getKey());
                if (count < 0) {
                    throw invalid(path + ".pastBookings." + e.getKey(), "must not be negative");
                }
                past.put(e.getKey(), count);
            }
        }
        return at(path, () -> RoundRobin.of(method, hosts, past));
    }

    // ------------------------------------------------------------------ scalars

    private static TimeWindow window(JsonNode node, String path) {
        object(node, path);
        known(node, path, "start", "end");
        Instant start = instant(required(node, "start", path + ".start"), path + ".start");
        Instant end = instant(required(node, "end", path + ".end"), path + ".end");
        if (end.isBefore(start)) {
            throw invalid(path + ".end", end + " is before " + path + ".start " + start);
        }
        if (end.equals(start)) {
            throw invalid(path + ".end", "equals " + path + ".start (the window is empty)");
        }
        return TimeWindow.of(start, end);
    }

    private static Instant instant(JsonNode node, String path) {
        String s = text(node, path);
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(path, "not a date-time with offset: '" + s + "' (e.g. 2026-03-02T09:00:00Z)");
        }
    }

    private static Duration duration(JsonNode node, String path) {
        String s = text(node, path);
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw invalid(path, "not an ISO-8601 duration: '" + s + "' (e.g. PT30M)");
        }
    }

    private static LocalDate date(String s, String path) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw invalid(path, "not a date: '" + s + "' (e.g. 2026-03-04)");
        }
    }

    private static LocalTime time(String s, String path, boolean allow24) {
        if (allow24 && s.equals("24:00")) {
            return LocalTime.MIDNIGHT;
        }
        try {
            return LocalTime.parse(s);
        } catch (DateTimeParseException e) {
            throw invalid(path, "not a time of day: '" + s + "' (e.g. 09:00" + (allow24 ? ", or 24:00" : "") + ")");
        }
    }

    private static DayOfWeek day(String s, String path) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(s) || d.name().equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw invalid(path, "not a day: '" + s + "' (MON, TUE, WED, THU, FRI, SAT or SUN)");
    }

    // ------------------------------------------------------------------ structure

    private static void known(JsonNode node, String path, String... fields) {
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw invalid(path.isEmpty() ? f : path + "." + f, "unknown field (expected one of "
                        + String.join(", ", fields) + ")");
            }
        }
    }

    private static boolean present(JsonNode node, String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    private static JsonNode required(JsonNode node, String field, String path) {
        if (!present(node, field)) {
            throw invalid(path, "is required");
        }
        return node.get(field);
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path, "must be a JSON object");
        }
        return node;
    }

    private static JsonNode array(JsonNode parent, String field, String path) {
        JsonNode node = required(parent, field, path);
        if (!node.isArray()) {
            throw invalid(path, "must be a JSON array");
        }
        return node;
    }

    private static String text(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            throw invalid(path, "must be a string");
        }
        return node.asText();
    }

    private static int integer(JsonNode node, String path) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw invalid(path, "must be an integer");
        }
        return node.asInt();
    }

    private static boolean bool(JsonNode node, String path) {
        if (node == null || !node.isBoolean()) {
            throw invalid(path, "must be true or false");
        }
        return node.asBoolean();
    }

    private static InvalidInputException invalid(String path, String message) {
        return new InvalidInputException(path, path + ": " + message);
    }

    /** Runs {@code step}, prefixing the path to an {@link InvalidInputException} that does not name it yet. */
    private static <T> T at(String path, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidInputException e) {
            String m = e.getMessage();
            if (m.startsWith(path)) {
                throw e;
            }
            throw new InvalidInputException(path, path + ": " + m);
        }
    }
}
