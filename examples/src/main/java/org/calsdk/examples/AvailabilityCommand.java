package org.calsdk.examples;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.calsdk.availability.Availability;
import org.calsdk.availability.AvailabilityRequest;
import org.calsdk.availability.AvailabilityResult;
import org.calsdk.availability.Reason;
import org.calsdk.availability.RejectedSlot;
import org.calsdk.availability.Slot;
import org.calsdk.availability.Unavailability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar availability --request FILE --json}: finds the slots when the participants of a JSON
 * request can meet and prints {@code {"slots": [{"start": "…Z", "end": "…Z", "participants": [...]}]}}.
 * With {@code --explain} it adds {@code "rejected"}: every candidate slot that was not returned and
 * why, per participant (busy time redacted to "busy" unless {@code --show-busy-details}).
 */
@Command(name = "availability", mixinStandardHelpOptions = true,
        description = "Finds the slots when everyone required can meet (working hours, busy time, buffers, groups).")
final class AvailabilityCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--request", required = true, paramLabel = "FILE", description = "The JSON request.")
    Path request;

    @Option(names = "--json", description = "Print JSON (otherwise one line per slot).")
    boolean json;

    @Option(names = "--explain", description = "Also list rejected candidate slots and why each participant was unavailable.")
    boolean explain;

    @Option(names = "--show-busy-details", description = "Let explanations show busy status and event ids, not just \"busy\".")
    boolean showBusyDetails;

    @Override
    public Integer call() throws Exception {
        AvailabilityRequest req = AvailabilityRequestReader.read(Files.readString(request, StandardCharsets.UTF_8));
        if (explain) {
            req = req.toBuilder().explain(true).showBusyDetails(showBusyDetails).build();
        }
        AvailabilityResult result = Availability.find(req);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(result)));
        } else {
            for (Slot s : result.slots()) {
                out.println(s.start() + "  " + s.end() + "  " + String.join(", ", s.participants())
                        + s.host().map(h -> "  host=" + h).orElse(""));
            }
            out.println(result.slots().size() + " slot(s)");
            for (RejectedSlot r : result.rejected()) {
                out.println("rejected " + r.start() + "  " + r.end() + "  " + String.join("; ", r.unmet()));
                for (Unavailability u : r.unavailable()) {
                    out.println("  " + u.participant() + ": " + u.reasons());
                }
            }
        }
        out.flush();
        return 0;
    }

    static ObjectNode toJson(AvailabilityResult result) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode slots = root.putArray("slots");
        for (Slot s : result.slots()) {
            ObjectNode o = slots.addObject();
            o.put("start", s.start().toString());
            o.put("end", s.end().toString());
            ArrayNode ps = o.putArray("participants");
            s.participants().forEach(ps::add);
            s.host().ifPresent(h -> o.put("host", h));
        }
        if (!result.rejected().isEmpty() || result.explanationsTruncated()) {
            ArrayNode rejected = root.putArray("rejected");
            for (RejectedSlot r : result.rejected()) {
                ObjectNode o = rejected.addObject();
                o.put("start", r.start().toString());
                o.put("end", r.end().toString());
                ArrayNode av = o.putArray("available");
                r.available().forEach(av::add);
                ArrayNode unmet = o.putArray("unmet");
                r.unmet().forEach(unmet::add);
                ArrayNode un = o.putArray("unavailable");
                for (Unavailability u : r.unavailable()) {
                    ObjectNode uo = un.addObject();
                    uo.put("participant", u.participant());
                    ArrayNode reasons = uo.putArray("reasons");
                    for (Reason reason : u.reasons()) {
                        ObjectNode ro = reasons.addObject();
                        ro.put("kind", reason.kind().name());
                        reason.interval().ifPresent(w -> {
                            ro.put("start", w.start().toString());
                            ro.put("end", w.end().toString());
                        });
                        ro.put("label", reason.label());
                    }
                }
            }
            root.put("explanationsTruncated", result.explanationsTruncated());
        }
        return root;
    }
}
