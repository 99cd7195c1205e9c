package org.calsdk.availability.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
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
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.AvailabilityResult;
import org.calsdk.availability.Buffer;
import org.calsdk.availability.DateOverride;
import org.calsdk.availability.Participant;
import org.calsdk.availability.ParticipantGroup;
import org.calsdk.availability.Reason;
import org.calsdk.availability.RejectedSlot;
import org.calsdk.availability.RoundRobin;
import org.calsdk.availability.Slot;
import org.calsdk.availability.TimeOfDayRange;
import org.calsdk.availability.Unavailability;
import org.calsdk.availability.WorkingHours;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.TimeWindow;
import org.calsdk.tz.TimeZones;

/**
 * The availability request's JSON ({@code docs/availability.md}) bound by Jackson databind to the records
 * below, then turned into the model with every value checked. Strict: unknown fields, wrong JSON types
 * (no coercion: {@code "5"} is not a number, {@code 5} not a string), duplicate keys and trailing content are
 * refused. Every refusal is an {@link InvalidInputException} whose message starts with the JSON path of the
 * field ({@code participants[1].timeZone: unknown time zone 'Mars/Base'}). {@code null} is the same as an
 * absent field. Input is bounded by {@link StreamReadConstraints} (nesting, string, number and document
 * length), so a hostile document ends in the same typed error, not in a stack overflow or out of memory.
 */
public final class AvailabilityJsonCodec {
    /** The deepest legitimate request nests 7 levels ({@code participants[].overrides[].hours[]}). */
    public static final int MAX_NESTING_DEPTH = 32;
    /** The longest string value (an id, a zone name, a date-time) in characters. */
    public static final int MAX_STRING_LENGTH = 100_000;
    /** The longest request document: 256 MiB (10,000 participants with 100 busy entries each is about 100 MB). */
    public static final long MAX_DOCUMENT_LENGTH = 256L * 1024 * 1024;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(100)
                    .maxNameLength(1_000)
                    .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private static final ObjectReader READER;

    static {
        JsonMapper mapper = JsonMapper.builder(FACTORY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .build();
        for (CoercionInputShape shape : CoercionInputShape.values()) {
            mapper.coercionConfigDefaults().setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigDefaults().setAcceptBlankAsEmpty(false);
        READER = mapper.readerFor(RequestJson.class);
    }

    private AvailabilityJsonCodec() {}

    // ------------------------------------------------------------------ the JSON's shape

    record RequestJson(
            WindowJson window,
            List<WindowJson> periods,
            String duration,
            String interval,
            BufferJson buffer,
            Boolean countTentativeAsBusy,
            BigInteger maxResults,
            List<ParticipantJson> participants,
            List<GroupJson> groups,
            RoundRobinJson roundRobin) {}

    record WindowJson(String start, String end) {}

    record BufferJson(String before, String after) {}

    record ParticipantJson(
            String id,
            String timeZone,
            List<HoursJson> workingHours,
            List<BusyJson> busy,
            List<OverrideJson> overrides,
            BigInteger maxMeetingsPerDay,
            BigInteger maxMeetingsPerWeek,
            LinkedHashMap<String, BigInteger> existingMeetings) {}

    record HoursJson(List<String> days, String start, String end) {}

    record RangeJson(String start, String end) {}

    record BusyJson(String start, String end, String status, String date, Boolean allDay, String eventId) {}

    record OverrideJson(String date, Boolean dayOff, List<RangeJson> hours, List<RangeJson> extraHours) {}

    /** {@code required} is {@code "all"} or a number, so it stays a node. */
    record GroupJson(List<String> members, JsonNode required) {}

    record RoundRobinJson(String method, List<String> hosts, LinkedHashMap<String, BigInteger> pastBookings) {}

    // ------------------------------------------------------------------ reading

    /** Reads a whole request; see the class comment for what is refused and how. */
    public static AvailabilityRequest read(Reader json) {
        RequestJson root;
        try {
            root = READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new InvalidInputException("request", "request: unreadable: " + e.getMessage());
        }
        if (root == null) {
            throw invalid("request", "must be a JSON object");
        }
        return request(root);
    }

    private static AvailabilityRequest request(RequestJson root) {
        AvailabilityRequest.Builder b = AvailabilityRequest.builder();
        if (root.window() != null && root.periods() != null) {
            throw invalid("periods", "give either window or periods, not both");
        }
        if (root.periods() != null) {
            List<TimeWindow> periods = new ArrayList<>();
            for (int i = 0; i < root.periods().size(); i++) {
                periods.add(window(root.periods().get(i), "periods[" + i + "]"));
            }
            if (periods.isEmpty()) {
                throw invalid("periods", "at least one period is required");
            }
            b.periods(periods);
        } else {
            b.window(window(required(root.window(), "window"), "window"));
        }
        b.duration(duration(required(root.duration(), "duration"), "duration"));
        if (root.interval() != null) {
            b.interval(duration(root.interval(), "interval"));
        }
        if (root.buffer() != null) {
            BufferJson buf = root.buffer();
            Duration before = buf.before() != null ? duration(buf.before(), "buffer.before") : Duration.ZERO;
            Duration after = buf.after() != null ? duration(buf.after(), "buffer.after") : Duration.ZERO;
            b.buffer(at("buffer", () -> Buffer.of(before, after)));
        }
        if (root.countTentativeAsBusy() != null) {
            b.countTentativeAsBusy(root.countTentativeAsBusy());
        }
        if (root.maxResults() != null) {
            int max = integer(root.maxResults(), "maxResults");
            if (max < 1) {
                throw invalid("maxResults", "must be at least 1, was " + max);
            }
            b.maxResults(max);
        }
        List<ParticipantJson> ps = required(root.participants(), "participants");
        for (int i = 0; i < ps.size(); i++) {
            b.participant(participant(ps.get(i), "participants[" + i + "]"));
        }
        if (root.groups() != null) {
            for (int i = 0; i < root.groups().size(); i++) {
                b.group(group(root.groups().get(i), "groups[" + i + "]"));
            }
        }
        if (root.roundRobin() != null) {
            b.roundRobin(roundRobin(root.roundRobin(), "roundRobin"));
        }
        return b.build();
    }

    private static Participant participant(ParticipantJson node, String path) {
        object(node, path);
        String id = required(node.id(), path + ".id");
        if (id.isBlank()) {
            throw invalid(path + ".id", "must not be blank");
        }
        String zoneName = required(node.timeZone(), path + ".timeZone");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName); // IANA ids, UTC, fixed offsets such as +05:30
        } catch (DateTimeException e) {
            // Windows names as Exchange writes them ("W. Europe Standard Time")
            zone = TimeZones.find(zoneName)
                    .orElseThrow(() -> invalid(path + ".timeZone", "unknown time zone '" + zoneName + "'"));
        }
        Participant.Builder p = Participant.builder(id, zone);
        if (node.workingHours() != null) {
            p.workingHours(workingHours(node.workingHours(), path + ".workingHours"));
        }
        if (node.busy() != null) {
            for (int i = 0; i < node.busy().size(); i++) {
                busy(p, node.busy().get(i), path + ".busy[" + i + "]");
            }
        }
        if (node.overrides() != null) {
            for (int i = 0; i < node.overrides().size(); i++) {
                p.override(override(node.overrides().get(i), path + ".overrides[" + i + "]"));
            }
        }
        if (node.maxMeetingsPerDay() != null) {
            int max = integer(node.maxMeetingsPerDay(), path + ".maxMeetingsPerDay");
            at(path + ".maxMeetingsPerDay", () -> p.maxMeetingsPerDay(max));
        }
        if (node.maxMeetingsPerWeek() != null) {
            int max = integer(node.maxMeetingsPerWeek(), path + ".maxMeetingsPerWeek");
            at(path + ".maxMeetingsPerWeek", () -> p.maxMeetingsPerWeek(max));
        }
        if (node.existingMeetings() != null) {
            for (Map.Entry<String, BigInteger> e : node.existingMeetings().entrySet()) {
                String field = path + ".existingMeetings." + e.getKey();
                LocalDate date = date(e.getKey(), field);
                int count = integer(required(e.getValue(), field), field);
                at(field, () -> p.meetingsOn(date, count));
            }
        }
        return p.build();
    }

    private static WorkingHours workingHours(List<HoursJson> ranges, String path) {
        WorkingHours.Builder h = WorkingHours.builder();
        for (int i = 0; i < ranges.size(); i++) {
            String rp = path + "[" + i + "]";
            HoursJson r = object(ranges.get(i), rp);
            List<String> days = required(r.days(), rp + ".days");
            Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
            for (int d = 0; d < days.size(); d++) {
                String dp = rp + ".days[" + d + "]";
                set.add(day(text(days.get(d), dp), dp));
            }
            TimeOfDayRange range = range(r.start(), r.end(), rp);
            h.on(set, range.start(), range.end());
        }
        return h.build();
    }

    private static TimeOfDayRange range(String start, String end, String path) {
        LocalTime s = time(required(start, path + ".start"), path + ".start", false);
        LocalTime e = time(required(end, path + ".end"), path + ".end", true);
        return TimeOfDayRange.of(s, e);
    }

    private static void busy(Participant.Builder p, BusyJson node, String path) {
        object(node, path);
        BusyStatus status = BusyStatus.BUSY;
        if (node.status() != null) {
            String s = node.status();
            status = at(path + ".status", () -> BusyStatus.fromJsonName(s));
        }
        boolean allDay = node.allDay() != null ? node.allDay() : node.date() != null;
        if (allDay) {
            if (node.start() != null || node.end() != null) {
                throw invalid(path, "an all-day entry has a date, not start and end");
            }
            p.busyAllDay(date(required(node.date(), path + ".date"), path + ".date"), status);
            return;
        }
        if (node.date() != null) {
            throw invalid(path + ".allDay", "an entry with a date must be all-day");
        }
        Instant start = instant(required(node.start(), path + ".start"), path + ".start");
        Instant end = instant(required(node.end(), path + ".end"), path + ".end");
        if (!end.isAfter(start)) {
            throw invalid(path + ".end", end + " is not after start " + start);
        }
        p.busy(new BusyInterval(start, end, status, node.eventId()));
    }

    private static DateOverride override(OverrideJson node, String path) {
        object(node, path);
        LocalDate date = date(required(node.date(), path + ".date"), path + ".date");
        int kinds =
                (node.dayOff() != null ? 1 : 0) + (node.hours() != null ? 1 : 0) + (node.extraHours() != null ? 1 : 0);
        if (kinds != 1) {
            throw invalid(path, "give exactly one of dayOff, hours or extraHours");
        }
        if (node.dayOff() != null) {
            if (!node.dayOff()) {
                throw invalid(path + ".dayOff", "must be true (leave the override out otherwise)");
            }
            return DateOverride.dayOff(date);
        }
        boolean replace = node.hours() != null;
        String field = replace ? "hours" : "extraHours";
        List<RangeJson> rs = replace ? node.hours() : node.extraHours();
        List<TimeOfDayRange> ranges = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            String rp = path + "." + field + "[" + i + "]";
            RangeJson r = object(rs.get(i), rp);
            ranges.add(range(r.start(), r.end(), rp));
        }
        return at(
                path,
                () -> new DateOverride(
                        date, replace ? DateOverride.Kind.REPLACE_HOURS : DateOverride.Kind.EXTRA_HOURS, ranges));
    }

    private static ParticipantGroup group(GroupJson node, String path) {
        object(node, path);
        List<String> members = strings(required(node.members(), path + ".members"), path + ".members");
        JsonNode req = node.required();
        if (req == null || req.isNull() || (req.isTextual() && req.asText().equals("all"))) {
            return at(path, () -> ParticipantGroup.all(members));
        }
        if (!req.isIntegralNumber()) {
            throw invalid(path + ".required", "must be \"all\" or a number, was " + req);
        }
        if (!req.canConvertToInt() || req.asInt() < 1 || req.asInt() > members.size()) {
            throw invalid(
                    path + ".required",
                    "must be between 1 and " + members.size() + " (the number of members), was " + req);
        }
        int n = req.asInt();
        return at(path, () -> ParticipantGroup.atLeast(n, members));
    }

    private static RoundRobin roundRobin(RoundRobinJson node, String path) {
        String m = required(node.method(), path + ".method");
        RoundRobin.Method method = switch (m) {
            case "maxAvailability", "MAX_AVAILABILITY" -> RoundRobin.Method.MAX_AVAILABILITY;
            case "maxFairness", "MAX_FAIRNESS" -> RoundRobin.Method.MAX_FAIRNESS;
            default -> throw invalid(path + ".method", "must be maxAvailability or maxFairness, was '" + m + "'");
        };
        List<String> hosts = strings(required(node.hosts(), path + ".hosts"), path + ".hosts");
        Map<String, Integer> past = new LinkedHashMap<>();
        if (node.pastBookings() != null) {
            for (Map.Entry<String, BigInteger> e : node.pastBookings().entrySet()) {
                String field = path + ".pastBookings." + e.getKey();
                int count = integer(required(e.getValue(), field), field);
                if (count < 0) {
                    throw invalid(field, "must not be negative");
                }
                past.put(e.getKey(), count);
            }
        }
        return at(path, () -> RoundRobin.of(method, hosts, past));
    }

    // ------------------------------------------------------------------ scalars

    private static TimeWindow window(WindowJson node, String path) {
        object(node, path);
        Instant start = instant(required(node.start(), path + ".start"), path + ".start");
        Instant end = instant(required(node.end(), path + ".end"), path + ".end");
        if (end.isBefore(start)) {
            throw invalid(path + ".end", end + " is before " + path + ".start " + start);
        }
        if (end.equals(start)) {
            throw invalid(path + ".end", "equals " + path + ".start (the window is empty)");
        }
        return TimeWindow.of(start, end);
    }

    private static Instant instant(String s, String path) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(path, "not a date-time with offset: '" + s + "' (e.g. 2026-03-02T09:00:00Z)");
        }
    }

    private static Duration duration(String s, String path) {
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

    private static int integer(BigInteger value, String path) {
        if (value.bitLength() > 31) {
            throw invalid(path, "must be an integer");
        }
        return value.intValue();
    }

    // ------------------------------------------------------------------ structure

    private static <T> T required(T value, String path) {
        if (value == null) {
            throw invalid(path, "is required");
        }
        return value;
    }

    /** A {@code null} element of an array of objects. */
    private static <T> T object(T value, String path) {
        if (value == null) {
            throw invalid(path, "must be a JSON object");
        }
        return value;
    }

    private static String text(String value, String path) {
        if (value == null) {
            throw invalid(path, "must be a string");
        }
        return value;
    }

    private static List<String> strings(List<String> values, String path) {
        for (int i = 0; i < values.size(); i++) {
            text(values.get(i), path + "[" + i + "]");
        }
        return values;
    }

    private static InvalidInputException invalid(String path, String message) {
        return new InvalidInputException(path, path + ": " + message);
    }

    /** Runs {@code step}, prefixing the path to an {@link InvalidInputException} that does not name it yet. */
    private static <T> T at(String path, Supplier<T> step) {
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

    /** Jackson's refusal as the typed error, its message starting with the field's JSON path. */
    static InvalidInputException translate(JsonProcessingException mapped) {
        JsonProcessingException e = mapped;
        for (Throwable t = mapped; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException read) { // the parser's own: malformed, or beyond a bound
                e = read;
                break;
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = path(u.getPath().subList(0, u.getPath().size() - 1));
            String field = parent.isEmpty() ? u.getPropertyName() : parent + "." + u.getPropertyName();
            List<String> known = new ArrayList<>();
            if (u.getReferringClass() != null && u.getReferringClass().isRecord()) {
                for (RecordComponent c : u.getReferringClass().getRecordComponents()) {
                    known.add(c.getName()); // in the documented order, not Jackson's hash order
                }
            }
            return invalid(field, "unknown field (expected one of " + String.join(", ", known) + ")");
        }
        if (e instanceof StreamConstraintsException
                || String.valueOf(e.getOriginalMessage())
                        .contains("StreamReadConstraints")) { // databind's own depth check
            return invalid("request", "too large: " + e.getOriginalMessage());
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = path(m.getPath());
            return invalid(field, expected(m.getTargetType()));
        }
        if (e instanceof MismatchedInputException m
                && m.getTargetType() == RequestJson.class
                && !String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
            return invalid("request", "must be a JSON object");
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return invalid(path(m.getPath()), "invalid value: " + m.getOriginalMessage());
        }
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return invalid("request", "malformed JSON" + where + ": " + e.getOriginalMessage());
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "has the wrong JSON type";
        }
        if (target == String.class) {
            return "must be a string";
        }
        if (target == BigInteger.class || target == Integer.class || target == int.class) {
            return "must be an integer";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "must be a JSON array";
        }
        return "must be a JSON object";
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ writing

    /**
     * Streams {@code {"slots": [...], "rejected": [...], "explanationsTruncated": ...}} one slot at a time
     * ({@code rejected} and {@code explanationsTruncated} only when there is something to say). Flushes,
     * never closes, {@code out}.
     */
    public static void write(AvailabilityResult result, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("slots");
            for (Slot s : result.slots()) {
                g.writeStartObject();
                g.writeStringField("start", s.start().toString());
                g.writeStringField("end", s.end().toString());
                strings(g, "participants", s.participants());
                if (s.host().isPresent()) {
                    g.writeStringField("host", s.host().get());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!result.rejected().isEmpty() || result.explanationsTruncated()) {
                g.writeArrayFieldStart("rejected");
                for (RejectedSlot r : result.rejected()) {
                    rejected(g, r);
                }
                g.writeEndArray();
                g.writeBooleanField("explanationsTruncated", result.explanationsTruncated());
            }
            g.writeEndObject();
        }
    }

    private static void rejected(JsonGenerator g, RejectedSlot r) throws IOException {
        g.writeStartObject();
        g.writeStringField("start", r.start().toString());
        g.writeStringField("end", r.end().toString());
        strings(g, "available", r.available());
        strings(g, "unmet", r.unmet());
        g.writeArrayFieldStart("unavailable");
        for (Unavailability u : r.unavailable()) {
            g.writeStartObject();
            g.writeStringField("participant", u.participant());
            g.writeArrayFieldStart("reasons");
            for (Reason reason : u.reasons()) {
                g.writeStartObject();
                g.writeStringField("kind", reason.kind().name());
                if (reason.interval().isPresent()) {
                    g.writeStringField("start", reason.interval().get().start().toString());
                    g.writeStringField("end", reason.interval().get().end().toString());
                }
                g.writeStringField("label", reason.label());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
