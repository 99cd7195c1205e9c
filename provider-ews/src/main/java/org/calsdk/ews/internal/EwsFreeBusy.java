package org.calsdk.ews.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.calsdk.api.FreeBusyQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.internal.Rfc3339;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * Free/busy through {@code GetUserAvailability}: at most {@value #MAILBOXES_PER_CALL} mailboxes and
 * {@link #MAX_WINDOW} per call, so N mailboxes over a window W take ⌈N/100⌉ × ⌈W/42 d⌉ calls, run in
 * parallel up to the session's bound. Each mailbox's own {@code ResponseMessage} error fails that mailbox
 * only; a call that fails as a whole fails the mailboxes it carried. The request's time zone is UTC, so
 * the local times of the answer are UTC too. Busy types map to {@link BusyStatus}: Busy, Tentative, OOF
 * (out of office), WorkingElsewhere; Free and NoData are not busy time.
 */
public final class EwsFreeBusy implements FreeBusyQuery {
    public static final int MAILBOXES_PER_CALL = 100;
    public static final Duration MAX_WINDOW = Duration.ofDays(42);
    private static final String UTC_ZONE =
            "<t:TimeZone><t:Bias>0</t:Bias><t:StandardTime><t:Bias>0</t:Bias><t:Time>02:00:00</t:Time>"
                    + "<t:DayOrder>5</t:DayOrder><t:Month>10</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime>"
                    + "<t:Bias>0</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>4</t:Month><t:DayOfWeek>Sunday"
                    + "</t:DayOfWeek></t:DaylightTime></t:TimeZone>";

    private static final java.time.format.DateTimeFormatter LOCAL =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private final EwsSession session;

    public EwsFreeBusy(EwsSession session) {
        this.session = session;
    }

    @Override
    public FreeBusyResult query(FreeBusyRequest request) {
        List<TimeWindow> windows = request.window().split(MAX_WINDOW);
        List<List<Mailbox>> chunks = request.chunks(MAILBOXES_PER_CALL);
        Map<Mailbox, List<BusyInterval>> busy = new LinkedHashMap<>();
        Map<Mailbox, CalendarException> errors = new LinkedHashMap<>();
        request.mailboxes().forEach(m -> busy.put(m, new ArrayList<>()));
        List<Runnable> calls = new ArrayList<>();
        List<Map<Mailbox, Object>> answers = new ArrayList<>();
        for (List<Mailbox> chunk : chunks) {
            for (TimeWindow w : windows) {
                Map<Mailbox, Object> answer = new LinkedHashMap<>();
                answers.add(answer);
                calls.add(() -> answer.putAll(call(chunk, w)));
            }
        }
        run(calls);
        for (Map<Mailbox, Object> answer : answers) {
            answer.forEach((m, v) -> {
                if (v instanceof CalendarException e) {
                    errors.putIfAbsent(m, e);
                } else {
                    @SuppressWarnings("unchecked")
                    List<BusyInterval> l = (List<BusyInterval>) v;
                    busy.get(m).addAll(l);
                }
            });
        }
        List<FreeBusy> out = new ArrayList<>();
        for (Mailbox m : request.mailboxes()) {
            if (errors.containsKey(m)) {
                out.add(FreeBusy.failed(m, errors.get(m)));
            } else {
                List<BusyInterval> l = busy.get(m);
                l.sort(java.util.Comparator.comparing(BusyInterval::start).thenComparing(BusyInterval::end));
                out.add(FreeBusy.of(m, dedupe(l)));
            }
        }
        return new FreeBusyResult(out);
    }

    /** Intervals at the seams of split windows arrive twice (an event that spans two windows). */
    private static List<BusyInterval> dedupe(List<BusyInterval> sorted) {
        List<BusyInterval> out = new ArrayList<>();
        for (BusyInterval b : sorted) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /** Runs the calls on the session's executor, at most the session's parallelism at a time. */
    private void run(List<Runnable> calls) {
        if (calls.size() == 1) {
            calls.get(0).run();
            return;
        }
        Semaphore permits = new Semaphore(Math.max(1, session.freeBusyParallelism()));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try {
            for (Runnable c : calls) {
                permits.acquire();
                futures.add(CompletableFuture.runAsync(
                        () -> {
                            try {
                                c.run();
                            } finally {
                                permits.release();
                            }
                        },
                        session.executor()));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get();
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new CancellationException("free/busy query interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }

    /** One GetUserAvailability call: per mailbox its intervals, or its CalendarException. */
    private Map<Mailbox, Object> call(List<Mailbox> chunk, TimeWindow w) {
        Map<Mailbox, Object> out = new LinkedHashMap<>();
        StringBuilder x = new StringBuilder("<m:GetUserAvailabilityRequest>")
                .append(UTC_ZONE)
                .append("<m:MailboxDataArray>");
        for (Mailbox m : chunk) {
            x.append("<t:MailboxData><t:Email><t:Address>")
                    .append(Xml.esc(m.email()))
                    .append("</t:Address></t:Email>")
                    .append(
                            "<t:AttendeeType>Required</t:AttendeeType><t:ExcludeConflicts>false</t:ExcludeConflicts></t:MailboxData>");
        }
        x.append("</m:MailboxDataArray><t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>")
                .append(local(w.start()))
                .append("</t:StartTime><t:EndTime>")
                .append(local(w.end()))
                .append("</t:EndTime></t:TimeWindow>")
                .append("<t:MergedFreeBusyIntervalInMinutes>30</t:MergedFreeBusyIntervalInMinutes>")
                .append(
                        "<t:RequestedView>FreeBusy</t:RequestedView></t:FreeBusyViewOptions></m:GetUserAvailabilityRequest>");
        Xml.Node r;
        try {
            r = session.call("GetUserAvailability", x.toString(), true);
        } catch (CalendarException e) {
            chunk.forEach(m -> out.put(m, e));
            return out;
        }
        List<Xml.Node> responses = r.child("FreeBusyResponseArray")
                .map(a -> a.all("FreeBusyResponse"))
                .orElse(List.of());
        if (responses.size() != chunk.size()) {
            MalformedDataException e = new MalformedDataException(
                    "EWS GetUserAvailability answered " + responses.size() + " mailboxes for " + chunk.size()
                            + " asked",
                    session.context(),
                    null);
            chunk.forEach(m -> out.put(m, e));
            return out;
        }
        for (int i = 0; i < chunk.size(); i++) {
            Mailbox m = chunk.get(i);
            Xml.Node resp = responses.get(i);
            Xml.Node msg = resp.child("ResponseMessage").orElse(null);
            if (msg != null && EwsClient.isError(msg)) {
                out.put(
                        m,
                        EwsClient.error(
                                EwsClient.code(msg),
                                msg.text("MessageText").orElse(""),
                                "GetUserAvailability",
                                session.client().context(m)));
                continue;
            }
            try {
                out.put(m, intervals(resp, w));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                out.put(
                        m,
                        new MalformedDataException(
                                "EWS GetUserAvailability sent an unreadable calendar event for " + m,
                                session.client().context(m),
                                e));
            }
        }
        return out;
    }

    private static List<BusyInterval> intervals(Xml.Node resp, TimeWindow w) {
        List<BusyInterval> l = new ArrayList<>();
        List<Xml.Node> events = resp.path("FreeBusyView", "CalendarEventArray")
                .map(a -> a.all("CalendarEvent"))
                .orElse(List.of());
        for (Xml.Node e : events) {
            BusyStatus status = switch (e.text("BusyType").orElse("Busy")) {
                case "Free", "NoData" -> null;
                case "Tentative" -> BusyStatus.TENTATIVE;
                case "OOF" -> BusyStatus.OUT_OF_OFFICE;
                case "WorkingElsewhere" -> BusyStatus.WORKING_ELSEWHERE;
                default -> BusyStatus.BUSY;
            };
            if (status == null) {
                continue;
            }
            Instant s = parse(e.text("StartTime").orElseThrow(() -> new IllegalArgumentException("no StartTime")));
            Instant en = parse(e.text("EndTime").orElseThrow(() -> new IllegalArgumentException("no EndTime")));
            // an event partly inside the window is returned whole: clip it
            Instant cs = s.isBefore(w.start()) ? w.start() : s;
            Instant ce = en.isAfter(w.end()) ? w.end() : en;
            if (ce.isAfter(cs)) {
                l.add(BusyInterval.of(cs, ce, status));
            }
        }
        return l;
    }

    /** A local time of the UTC request zone; an explicit offset, if the server adds one, is honoured. */
    private static Instant parse(String s) {
        Instant common = Rfc3339.tryParse(s, Rfc3339.Offset.UTC_IF_ABSENT);
        if (common != null) {
            return common;
        }
        if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return java.time.OffsetDateTime.parse(s).toInstant();
        }
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    }

    private static String local(Instant i) {
        return LOCAL.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
    }
}
