package org.calsdk.availability;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import org.calsdk.availability.internal.AvailabilityJsonCodec;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/**
 * The availability request and result as JSON, in the format documented in {@code docs/availability.md}
 * (what {@code calendar availability --request FILE --json} reads and prints). For hosts that take
 * requests over HTTP or store them:
 *
 * <pre>{@code
 * AvailabilityRequest request = AvailabilityJson.readRequest("""
 *         {"window": {"start": "2026-03-02T00:00:00Z", "end": "2026-03-07T00:00:00Z"},
 *          "duration": "PT30M",
 *          "participants": [{"id": "alice", "timeZone": "America/New_York"},
 *                           {"id": "bob", "timeZone": "GMT Standard Time"}]}
 *         """);
 * AvailabilityResult result = Availability.find(request);
 * AvailabilityJson.writeResult(result, response.getWriter()); // {"slots":[{"start":…,"end":…,"participants":[…]}]}
 * }</pre>
 *
 * <p>Reading is strict: unknown fields, wrong JSON types (no coercion between strings, numbers and
 * booleans), duplicate keys, trailing content and bad values are refused with an
 * {@link InvalidInputException} whose message starts with the JSON path of the field, for example
 * {@code participants[1].timeZone: unknown time zone 'Mars/Base'}. A {@code null} value is the same as an
 * absent field. Input is bounded: at most {@value #MAX_NESTING_DEPTH} levels of nesting, strings of at
 * most {@value #MAX_STRING_LENGTH} characters, a document of at most 256 MiB; beyond that the same typed
 * error, never a stack overflow or an out-of-memory. Writing streams one slot at a time, so a result of
 * many thousands of slots is never built as one string.
 */
public final class AvailabilityJson {
    /** How deeply a request may nest objects and arrays (a legitimate request nests 7 levels). */
    public static final int MAX_NESTING_DEPTH = AvailabilityJsonCodec.MAX_NESTING_DEPTH;
    /** The longest string value a request may hold, in characters. */
    public static final int MAX_STRING_LENGTH = AvailabilityJsonCodec.MAX_STRING_LENGTH;

    private AvailabilityJson() {}

    /**
     * Reads a request.
     *
     * @param json the request document
     * @return the request, ready for {@link Availability#find}
     * @throws InvalidInputException if the document is malformed, too large, or names an unknown field or
     *         a bad value; the message starts with the field's JSON path
     */
    public static AvailabilityRequest readRequest(String json) {
        Checks.notNull(json, "json");
        return AvailabilityJsonCodec.read(new StringReader(json));
    }

    /**
     * Reads a request from a stream of characters, which is not closed.
     *
     * @param json the request document
     * @return the request, ready for {@link Availability#find}
     * @throws InvalidInputException as {@link #readRequest(String)}, and if {@code json} cannot be read
     */
    public static AvailabilityRequest readRequest(Reader json) {
        Checks.notNull(json, "json");
        return AvailabilityJsonCodec.read(json);
    }

    /**
     * Writes a result as {@code {"slots": [{"start": "…Z", "end": "…Z", "participants": […], "host": …}]}},
     * plus {@code "rejected"} (each rejected candidate with what was unmet and every unavailable
     * participant's reasons) and {@code "explanationsTruncated"} when the request asked for explanations.
     * Instants are ISO-8601 in UTC.
     *
     * @param result what {@link Availability#find} returned
     * @param out where to write; flushed, not closed
     * @throws IOException if {@code out} fails
     */
    public static void writeResult(AvailabilityResult result, Writer out) throws IOException {
        Checks.notNull(result, "result");
        Checks.notNull(out, "out");
        AvailabilityJsonCodec.write(result, out);
    }
}
