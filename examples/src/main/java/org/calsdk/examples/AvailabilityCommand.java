package org.calsdk.examples;

import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityJson;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.AvailabilityResult;
import org.calsdk.availability.RejectedSlot;
import org.calsdk.availability.Slot;
import org.calsdk.availability.Unavailability;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar availability --request FILE --json}: finds the slots when the participants of a JSON
 * request can meet and prints {@code {"slots": [{"start": "…Z", "end": "…Z", "participants": [...]}]}}.
 * With {@code --explain} it adds {@code "rejected"}: every candidate slot that was not returned and
 * why, per participant (busy time redacted to "busy" unless {@code --show-busy-details}).
 */
@Command(
        name = "availability",
        mixinStandardHelpOptions = true,
        description = "Finds the slots when everyone required can meet (working hours, busy time, buffers, groups).")
final class AvailabilityCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--request", required = true, paramLabel = "FILE", description = "The JSON request.")
    Path request;

    @Option(names = "--json", description = "Print JSON (otherwise one line per slot).")
    boolean json;

    @Option(
            names = "--explain",
            description = "Also list rejected candidate slots and why each participant was unavailable.")
    boolean explain;

    @Option(
            names = "--show-busy-details",
            description = "Let explanations show busy status and event ids, not just \"busy\".")
    boolean showBusyDetails;

    @Override
    public Integer call() throws Exception {
        AvailabilityRequest req;
        try (Reader in = Files.newBufferedReader(request, StandardCharsets.UTF_8)) {
            req = AvailabilityJson.readRequest(in);
        }
        if (explain) {
            req = req.toBuilder().explain(true).showBusyDetails(showBusyDetails).build();
        }
        AvailabilityResult result = Availability.find(req);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            // streamed: a result of 10,000 slots of 10,000 participants is never built as one string or tree
            AvailabilityJson.writeResult(result, out);
            out.println();
        } else {
            for (Slot s : result.slots()) {
                out.print(s.start() + "  " + s.end() + "  ");
                boolean first = true;
                for (String p : s.participants()) {
                    out.print(first ? p : ", " + p);
                    first = false;
                }
                out.println(s.host().map(h -> "  host=" + h).orElse(""));
            }
            out.println(result.slots().size() + " slot(s)");
            for (RejectedSlot r : result.rejected()) {
                out.println("rejected " + r.start() + "  " + r.end() + "  " + String.join("; ", r.unmet()));
                for (Unavailability u : r.unavailable()) {
                    out.println("  " + u.participant() + ": " + u.reasons());
                }
            }
            if (result.explanationsTruncated()) {
                out.println("(more candidates were rejected than are explained)");
            }
        }
        out.flush();
        return 0;
    }
}
