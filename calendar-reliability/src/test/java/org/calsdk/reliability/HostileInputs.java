package org.calsdk.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionFile;
import org.calsdk.api.EventQuery;
import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityJson;
import org.calsdk.errors.CalendarException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.ical.ICalendar;
import org.calsdk.ical.ParseResult;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;

/**
 * The readers the fuzzers attack, each fed raw bytes the way they meet them in production: the
 * iCalendar parser (and the expansion of what it read), the availability request reader (and the
 * search), the CLI's connection-file reader, and the CalDAV multistatus, EWS SOAP, Google and Graph JSON
 * readers <em>through their provider</em>: the fake answers the provider's own call with the hostile body,
 * so the whole path (transport, bounded body, parser, mapper) is under test. The only outcomes allowed
 * are a result or a {@link CalendarException}; anything else is a crash.
 */
final class HostileInputs {
    static final List<String> TARGETS = List.of(
            "ical", "availability", "connection-file", "caldav-multistatus", "ews-soap", "google-json", "graph-json");

    static final AtomicLong EXECUTIONS = new AtomicLong();
    static final AtomicLong REFUSED = new AtomicLong();
    static final AtomicLong CRASHES = new AtomicLong();

    private static final Map<String, Live> LIVE = new ConcurrentHashMap<>();
    private static final CalendarRef ALICE = CalendarRef.primary(Mailbox.of(Target.ALICE));

    private HostileInputs() {}

    /** What the one input of the "all-readers" target (its first byte picks the reader) was fed to. */
    static final Map<String, AtomicLong> SELECTED = new ConcurrentHashMap<>();

    /**
     * The reader the first byte of an "all-readers" input picks (its value modulo the number of readers, in
     * {@link #TARGETS} order); the rest of the input is what that reader gets.
     */
    static String selected(byte[] input) {
        return TARGETS.get((input[0] & 0xff) % TARGETS.size());
    }

    /** Feeds {@code input} to {@code target}; a typed refusal is fine, anything else is thrown. */
    static Object feed(String target, byte[] input) {
        if (target.equals("all-readers")) {
            // one coverage-guided run over every reader (CoverageGuidedFuzzTest): the first byte picks the reader
            if (input.length == 0) {
                return null;
            }
            String reader = selected(input);
            SELECTED.computeIfAbsent(reader, k -> new AtomicLong()).incrementAndGet();
            return feed(reader, java.util.Arrays.copyOfRange(input, 1, input.length));
        }
        EXECUTIONS.incrementAndGet();
        try {
            return switch (target) {
                case "ical" -> ical(input);
                case "availability" ->
                    Availability.find(AvailabilityJson.readRequest(new String(input, StandardCharsets.UTF_8)))
                            .slots()
                            .size();
                case "connection-file" -> connectionFile(input);
                case "caldav-multistatus" ->
                    live("caldav")
                            .answer(
                                    "report",
                                    207,
                                    "application/xml; charset=utf-8",
                                    input,
                                    c -> c.reader().list(EventQuery.of(ALICE, SoakRun.WINDOW)));
                case "ews-soap" ->
                    live("ews")
                            .answer(
                                    "GetItem",
                                    200,
                                    "text/xml; charset=utf-8",
                                    input,
                                    c -> c.reader().get(ALICE, live("ews").eventId));
                case "google-json" ->
                    live("google")
                            .answer(
                                    "events.get",
                                    200,
                                    "application/json; charset=UTF-8",
                                    input,
                                    c -> c.reader().get(ALICE, live("google").eventId));
                case "graph-json" ->
                    live("graph")
                            .answer(
                                    "events.get",
                                    200,
                                    "application/json",
                                    input,
                                    c -> c.reader().get(ALICE, live("graph").eventId));
                default -> throw new IllegalArgumentException(target);
            };
        } catch (CalendarException e) {
            REFUSED.incrementAndGet();
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                CRASHES.incrementAndGet();
                throw new AssertionError("a refusal without a message", e);
            }
            return e;
        } catch (RuntimeException | Error e) {
            CRASHES.incrementAndGet();
            throw new AssertionError("crash of the " + target + " reader: " + e, e);
        }
    }

    private static Object ical(byte[] input) {
        ParseResult r = ICalendar.read(new String(input, StandardCharsets.UTF_8));
        // what was read must also expand within bounds (a runaway RRULE is cut by ExpansionLimits)
        TimeWindow tenYears = TimeWindow.of(
                java.time.Instant.parse("2020-01-01T00:00:00Z"), java.time.Instant.parse("2030-01-01T00:00:00Z"));
        for (Event e : r.events()) {
            Recurrences.expand(e, tenYears, ZoneOffset.UTC).limit(100_000).count();
        }
        return r;
    }

    private static Object connectionFile(byte[] input) {
        try {
            Path f = Files.createTempFile("fuzz-connection", ".json");
            try {
                Files.write(f, input);
                return ConnectionFile.read(f, name -> "env-value", warning -> {})
                        .toConfig();
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Live live(String provider) {
        return LIVE.computeIfAbsent(provider, Live::new);
    }

    /** A started fake with an event of alice's, and a connection without retries. */
    private static final class Live {
        final Target target;
        final CalendarConnection connection;
        final String eventId;

        Live(String provider) {
            target = Target.start(provider);
            connection = target.connect(RetryPolicy.none(), d -> {});
            Event e = Event.builder()
                    .summary("fuzz seed")
                    .start(EventTime.of(SoakRun.DAY0.atTime(9, 0).atZone(ZoneOffset.UTC)))
                    .end(EventTime.of(SoakRun.DAY0.atTime(10, 0).atZone(ZoneOffset.UTC)))
                    .build();
            eventId = connection
                    .writer()
                    .create(ALICE, EventKey.of("fuzz-seed"), e)
                    .id()
                    .orElseThrow();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                connection.close();
                target.close();
            }));
        }

        synchronized Object answer(
                String operation,
                int status,
                String type,
                byte[] body,
                java.util.function.Function<CalendarConnection, Object> call) {
            target.faults().clear();
            target.faults()
                    .add(FaultRule.on(operation)
                            .times(1)
                            .inject(Fault.respond(new FakeResponse(status, Map.of("Content-Type", type), body))));
            try {
                Object result = call.apply(connection);
                if (!target.faults().pending().isEmpty()) {
                    throw new AssertionError("the hostile answer was never asked for (" + operation + ")");
                }
                return result;
            } finally {
                target.faults().clear();
            }
        }
    }

    /** Bounded time for one input: a reader that spins is a defect too. */
    static final Duration PER_INPUT = Duration.ofSeconds(10);
}
