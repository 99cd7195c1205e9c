package org.calsdk.examples;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Rfc3339;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code calendar freebusy --connection FILE --from INSTANT --to INSTANT [--mailbox EMAIL]... [--json]}:
 * merged busy intervals per mailbox, in UTC.
 */
@Command(
        name = "freebusy",
        mixinStandardHelpOptions = true,
        description = "Prints the busy time of mailboxes over a window (default: the connected account).")
final class FreeBusyCommand implements Callable<Integer> {
    @Mixin
    ConnectionOption connection;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "INSTANT",
            description = "window start, e.g. 2026-03-02T00:00:00Z")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "INSTANT", description = "window end (exclusive)")
    Instant to;

    @Option(
            names = "--mailbox",
            paramLabel = "EMAIL",
            description = "whose busy time (repeatable; default: the connected account)")
    List<String> mailboxes = new ArrayList<>();

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TimeWindow window = TimeWindow.of(from, to);
        try (CalendarConnection c = connection.open()) {
            List<Mailbox> who = new ArrayList<>();
            for (String m : mailboxes) {
                who.add(Mailbox.of(m));
            }
            if (who.isEmpty()) {
                who.add(c.self()
                        .orElseThrow(() -> new InvalidInputException(
                                "mailbox", "this connection serves many mailboxes: name them with --mailbox")));
            }
            FreeBusyResult result = c.freeBusy().query(FreeBusyRequest.of(who, window));
            // streamed (jackson-core alone): no tree of 10,000 mailboxes in memory, no databind to load
            if (json) {
                // UTF-8 bytes straight to stdout (no char encoder between)
                JsonGenerator g = new JsonFactory()
                        .createGenerator(System.out, JsonEncoding.UTF8)
                        .useDefaultPrettyPrinter();
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeArrayFieldStart("mailboxes");
                for (FreeBusy fb : result.results()) {
                    g.writeStartObject();
                    g.writeStringField("mailbox", fb.mailbox().email());
                    g.writeArrayFieldStart("busy");
                    for (BusyInterval b : fb.busy()) {
                        g.writeStartObject();
                        g.writeStringField("start", Rfc3339.format(b.start()));
                        g.writeStringField("end", Rfc3339.format(b.end()));
                        g.writeStringField("status", b.status().jsonName());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    if (fb.error() == null) {
                        g.writeNullField("error");
                    } else {
                        g.writeStringField("error", Errors.message(fb.error()));
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw(System.lineSeparator());
                g.close();
                System.out.flush();
                return 0; // a mailbox's own error is part of the answer, not a failure of the command
            }
            java.io.Writer w = new java.io.BufferedWriter(
                    new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), 1 << 16);
            for (FreeBusy fb : result.results()) {
                w.write(fb.mailbox().email() + (fb.ok() ? "" : ": error: " + Errors.message(fb.error())));
                w.write(System.lineSeparator());
                for (BusyInterval b : fb.busy()) {
                    w.write("  " + b.start() + " - " + b.end() + " "
                            + b.status().jsonName());
                    w.write(System.lineSeparator());
                }
            }
            w.flush();
            return 0; // a mailbox's own error is part of the answer, not a failure of the command
        }
    }
}
