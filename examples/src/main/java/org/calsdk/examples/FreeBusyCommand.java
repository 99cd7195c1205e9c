package org.calsdk.examples;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.FreeBusyResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code calendar freebusy --connection FILE --from INSTANT --to INSTANT [--mailbox EMAIL]... [--json]}:
 * merged busy intervals per mailbox, in UTC.
 */
@Command(name = "freebusy", mixinStandardHelpOptions = true,
        description = "Prints the busy time of mailboxes over a window (default: the connected account).")
final class FreeBusyCommand implements Callable<Integer> {
    @Mixin
    ConnectionOption connection;

    @Option(names = "--from", required = true, paramLabel = "INSTANT", description = "window start, e.g. 2026-03-02T00:00:00Z")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "INSTANT", description = "window end (exclusive)")
    Instant to;

    @Option(names = "--mailbox", paramLabel = "EMAIL", description = "whose busy time (repeatable; default: the connected account)")
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
                who.add(c.self().orElseThrow(() -> new InvalidInputException("mailbox",
                        "this connection serves many mailboxes: name them with --mailbox")));
            }
            FreeBusyResult result = c.freeBusy().query(FreeBusyRequest.of(who, window));
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            ArrayNode arr = root.putArray("mailboxes");
            for (FreeBusy fb : result.results()) {
                ObjectNode n = arr.addObject();
                n.put("mailbox", fb.mailbox().email());
                ArrayNode busy = n.putArray("busy");
                for (BusyInterval b : fb.busy()) {
                    ObjectNode bn = busy.addObject();
                    bn.put("start", b.start().toString());
                    bn.put("end", b.end().toString());
                    bn.put("status", b.status().jsonName());
                }
                if (fb.error() == null) {
                    n.putNull("error");
                } else {
                    n.put("error", Errors.message(fb.error()));
                }
            }
            if (json) {
                System.out.println(m.writeValueAsString(root));
            } else {
                for (FreeBusy fb : result.results()) {
                    System.out.println(fb.mailbox().email() + (fb.ok() ? "" : ": error: " + Errors.message(fb.error())));
                    for (BusyInterval b : fb.busy()) {
                        System.out.println("  " + b.start() + " - " + b.end() + " " + b.status().jsonName());
                    }
                }
            }
            return 0; // a mailbox's own error is part of the answer, not a failure of the command
        }
    }

}
