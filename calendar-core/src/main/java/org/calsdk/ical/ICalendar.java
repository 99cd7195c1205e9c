package org.calsdk.ical;

import java.io.InputStream;
import java.util.List;
import org.calsdk.ical.internal.IcsReader;
import org.calsdk.ical.internal.IcsWriter;
import org.calsdk.internal.Checks;
import org.calsdk.model.Event;

/**
 * Reads and writes iCalendar (RFC 5545) VCALENDAR text, mapping VEVENTs to and from {@link Event}.
 *
 * <p>Reading: one {@code Event} per series (UID); VEVENTs with a RECURRENCE-ID become the master's
 * {@link Event#overrides()}; an override whose master is not in the file is returned on its own, with
 * {@link Event#recurrenceId()} set. DTSTART/DTEND/DURATION (DATE or DATE-TIME; UTC, floating or with a
 * TZID), RRULE, RDATE, EXDATE, STATUS, TRANSP, CLASS, ORGANIZER, ATTENDEE (ROLE, PARTSTAT, CN,
 * CUTYPE=ROOM/RESOURCE), SUMMARY, DESCRIPTION, LOCATION, LAST-MODIFIED and SEQUENCE are mapped. TZIDs
 * are resolved by {@link org.calsdk.tz.TimeZones} (IANA and Windows names); an unknown TZID uses the
 * file's VTIMEZONE for it. Other {@code X-} properties are kept in {@link Event#properties()} under their
 * own name; {@code X-CALSDK-EVENT-KEY} carries {@link Event#key()}, {@code X-MICROSOFT-CDO-BUSYSTATUS}
 * the "show as" status.
 *
 * <p>Real-world input is read liberally where that costs no correctness: any line endings (CRLF, LF,
 * CR, mixed) with folding after any of them, a byte-order mark, blank lines, DATE-TIME stamps without
 * {@code Z}, a TZID on a DATE, multi-valued and caret-encoded parameters, VTIMEZONEs after their use, and
 * more; docs/ical.md lists each quirk with the producer that writes it. What cannot be read without
 * guessing (an impossible date such as {@code 20260231}, a missing DTSTART, an unknown TZID with no
 * VTIMEZONE) is an error for the VEVENT that holds it.
 *
 * <p>Two ways to read: {@link #parse(String)} is all or nothing (one broken VEVENT fails the whole
 * input); {@link #read(String)} returns every event it could read plus a {@link ParseProblem} for each
 * one it could not (UID, line, why), so that one bad invitation never hides the rest of a calendar.
 *
 * <p>Limits: input larger than {@value #MAX_INPUT_BYTES} bytes, with more than {@value #MAX_COMPONENTS}
 * components or nested more than 8 deep is rejected; so are RRULEs with a COUNT above one million and
 * events with more than 100,000 RDATE/EXDATE values. A VTIMEZONE is turned into zone rules only when an
 * event's TZID needs it, and only within bounds (at most 1,000 observances and 10,000 transitions up to
 * eleven years ahead); beyond them parsing fails with {@link org.calsdk.errors.LimitExceededException}
 * naming the bound. Stateless and thread-safe.
 *
 * <pre>{@code
 * List<Event> events = ICalendar.parse(Files.newInputStream(Path.of("team.ics")));
 * String ics = ICalendar.write(events);          // VCALENDAR with the VTIMEZONEs it needs
 * }</pre>
 *
 * @since 0.1
 */
public final class ICalendar {
    /** Largest input accepted: 10 MiB. */
    public static final int MAX_INPUT_BYTES = 10 * 1024 * 1024;
    /** Most components (VEVENT, VTIMEZONE, VALARM, ...) accepted in one input. */
    public static final int MAX_COMPONENTS = 100_000;
    /**
     * {@link Event#properties()} key holding an override's RECURRENCE-ID {@code RANGE} parameter; its
     * only value is {@code THISANDFUTURE}.
     */
    public static final String PROPERTY_RANGE = "ical.range";
    /** {@link Event#properties()} key holding SEQUENCE (a non-negative integer). */
    public static final String PROPERTY_SEQUENCE = "ical.sequence";
    /** The {@link #PROPERTY_RANGE} value for "this and all future instances". */
    public static final String THISANDFUTURE = "THISANDFUTURE";

    private ICalendar() {}

    /**
     * Reads VCALENDAR text, keeping what can be read: a VEVENT that is broken is left out and reported
     * as a {@link ParseProblem}, as are skipped lines and unterminated components.
     *
     * @param ics the text
     * @return the events (series with their overrides, in file order) and the problems
     * @throws org.calsdk.errors.MalformedDataException only when the input is not iCalendar at all (no
     *         VCALENDAR) or exceeds a limit ({@link #MAX_INPUT_BYTES}, {@link #MAX_COMPONENTS}, nesting)
     */
    public static ParseResult read(String ics) {
        Checks.notNull(ics, "ics");
        return IcsReader.read(ics);
    }

    /**
     * Like {@link #read(String)}, from a stream (UTF-8; a byte-order mark is skipped). The stream is read
     * up to the size limit, not closed.
     *
     * @param in the stream
     * @return the events and the problems
     * @throws org.calsdk.errors.MalformedDataException as {@link #read(String)}, and when reading fails
     */
    public static ParseResult read(InputStream in) {
        Checks.notNull(in, "in");
        return IcsReader.read(in);
    }

    /**
     * Parses VCALENDAR text, all or nothing: the strict form of {@link #read(String)}.
     *
     * @param ics the text
     * @return the events, series with their overrides, in file order
     * @throws org.calsdk.errors.MalformedDataException when the text is not iCalendar, too large, or
     *         anything in it cannot be read (the message is the first {@link ParseProblem}: line, UID, why)
     */
    public static List<Event> parse(String ics) {
        Checks.notNull(ics, "ics");
        return IcsReader.parse(ics);
    }

    /**
     * Parses VCALENDAR text from a stream (UTF-8). The stream is read up to the size limit, not closed.
     *
     * @param in the stream
     * @return the events
     * @throws org.calsdk.errors.MalformedDataException as {@link #parse(String)}, and when reading fails
     */
    public static List<Event> parse(InputStream in) {
        Checks.notNull(in, "in");
        return IcsReader.parse(in);
    }

    /**
     * Writes one event (with its overrides) as a VCALENDAR.
     *
     * @param event the event
     * @return the VCALENDAR text, CRLF line endings
     */
    public static String write(Event event) {
        Checks.notNull(event, "event");
        return IcsWriter.write(List.of(event));
    }

    /**
     * Writes events as one VCALENDAR with the VTIMEZONEs they need.
     *
     * @param events the events
     * @return the VCALENDAR text, CRLF line endings
     */
    public static String write(List<Event> events) {
        Checks.notNull(events, "events");
        return IcsWriter.write(Checks.immutableList(events, "events"));
    }
}
