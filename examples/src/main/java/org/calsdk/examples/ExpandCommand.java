package org.calsdk.examples;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.ParseResult;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.TimeWindow;
import org.calsdk.tz.TimeZones;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar expand --ics FILE --from INSTANT --to INSTANT [--json] [--strict]}: the occurrences of
 * every event in an iCalendar file that overlap {@code [from, to)}, sorted by start, with overrides,
 * EXDATEs and cancellations merged. An event that cannot be read is skipped and named on stderr (exit 0
 * with the others); {@code --strict} makes it an error (exit 2), as is a file where nothing can be read.
 */
@Command(
        name = "expand",
        mixinStandardHelpOptions = true,
        description = "Expands the events of an iCalendar file into the occurrences that overlap [from, to).")
final class ExpandCommand implements Callable<Integer> {
    private static final DateTimeFormatter OFFSET =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    @Option(names = "--ics", required = true, paramLabel = "FILE", description = "the iCalendar (.ics) file")
    Path ics;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "INSTANT",
            description = "window start, e.g. 2026-03-01T00:00:00Z")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "INSTANT", description = "window end (exclusive)")
    Instant to;

    @Option(names = "--json", description = "print a JSON array instead of text")
    boolean json;

    @Option(
            names = "--zone",
            paramLabel = "TZID",
            defaultValue = "UTC",
            description =
                    "zone in which floating and all-day times are read when choosing occurrences (default: ${DEFAULT-VALUE})")
    String zone;

    @Option(
            names = "--strict",
            description = "refuse the whole file when any event in it cannot be read "
                    + "(default: skip such events and name each on stderr)")
    boolean strict;

    /** Problems named on stderr, at most; a count follows for the rest. */
    static final int MAX_WARNINGS = 20;

    @Override
    public Integer call() throws Exception {
        TimeWindow window = TimeWindow.of(from, to);
        ZoneId floatingZone = TimeZones.resolve(zone);
        List<Event> events = read(ics, strict, System.err);
        // Streamed: each occurrence is written as it comes and forgotten, so memory does not grow with the
        // window. A bound hit mid-way (LimitExceededException) stops the output; the error line and exit
        // code 2 say so.
        print(Recurrences.expandAll(events, window, floatingZone), json);
        return 0;
    }

    /** Prints occurrences as they stream by: JSON (an array) or text lines with a count. Closes the stream. */
    static void print(Stream<Occurrence> occurrences, boolean json) throws IOException {
        PrintStream out = System.out;
        try (Stream<Occurrence> s = occurrences) {
            if (json) {
                JsonGenerator g = new JsonFactory().createGenerator(new NonClosing(out), JsonEncoding.UTF8);
                g.setPrettyPrinter(new DefaultPrettyPrinter());
                g.writeStartArray();
                Iterator<Occurrence> it = s.iterator();
                try {
                    while (it.hasNext()) {
                        write(g, it.next());
                    }
                    g.writeEndArray();
                } finally {
                    g.flush();
                }
                out.println();
            } else {
                long[] n = {0};
                s.forEach(o -> {
                    Map<String, Object> r = row(o);
                    out.printf(
                            "%-25s  %-25s  %-9s  %s%n",
                            r.get("start"), r.get("end"), r.get("status"), r.get("summary"));
                    n[0]++;
                });
                out.println(n[0] + " occurrence(s)");
            }
        } finally {
            out.flush();
        }
    }

    private static void write(JsonGenerator g, Occurrence o) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : row(o).entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                g.writeNullField(e.getKey());
            } else if (v instanceof Boolean b) {
                g.writeBooleanField(e.getKey(), b);
            } else {
                g.writeStringField(e.getKey(), v.toString());
            }
        }
        g.writeEndObject();
    }

    /** Keeps the generator from closing System.out. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * Reads the file. Not strict: events that cannot be read are named on {@code warnings} ("warning:
     * line 12: VEVENT UID 'x': ...") and the rest are returned; when nothing could be read and something
     * was wrong, that is an error (one line, the first problem). Strict: any problem is an error.
     */
    static List<Event> read(Path file, boolean strict, PrintStream warnings) throws java.io.IOException {
        ParseResult r;
        try (InputStream in = Files.newInputStream(file)) {
            r = ICalendar.read(in);
        }
        int total = r.problems().size() + r.unlistedProblems();
        if (total > 0 && (strict || r.events().isEmpty())) {
            throw new MalformedDataException(r.problems().get(0)
                    + (total > 1 ? " (and " + (total - 1) + " more problem" + (total > 2 ? "s" : "") + ")" : ""));
        }
        for (int i = 0; i < Math.min(MAX_WARNINGS, r.problems().size()); i++) {
            warnings.println("warning: " + r.problems().get(i));
        }
        if (total > MAX_WARNINGS) {
            warnings.println("warning: ... and " + (total - MAX_WARNINGS) + " more problem(s)");
        }
        return r.events();
    }

    static Map<String, Object> row(Occurrence o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uid", o.uid());
        m.put("recurrenceId", o.recurrenceId() == null ? null : format(o.recurrenceId()));
        m.put("summary", o.summary());
        m.put("start", format(o.start()));
        m.put("end", format(o.end()));
        m.put("allDay", o.isAllDay());
        m.put("status", o.status().name());
        return m;
    }

    /** All-day: date; UTC: with Z; zoned: local time with offset in its own zone; floating: local time. */
    static String format(EventTime t) {
        if (t instanceof EventTime.AllDay a) {
            return a.date().toString();
        }
        if (t instanceof EventTime.Floating f) {
            return LOCAL.format(f.dateTime());
        }
        EventTime.Zoned z = (EventTime.Zoned) t;
        return z.isUtc() ? UTC.format(z.dateTime().withZoneSameInstant(ZoneOffset.UTC)) : OFFSET.format(z.dateTime());
    }
}
