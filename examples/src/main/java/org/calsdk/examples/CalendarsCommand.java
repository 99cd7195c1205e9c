package org.calsdk.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.calsdk.api.CalendarConnection;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.Mailbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calendar calendars --connection FILE [--json]}: the account's calendars. */
@Command(
        name = "calendars",
        mixinStandardHelpOptions = true,
        description = "Lists the calendars of the account in a connection file.")
final class CalendarsCommand implements Callable<Integer> {
    @Mixin
    ConnectionOption connection;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (CalendarConnection c = connection.openAccount()) {
            Mailbox me = c.self()
                    .orElseThrow(() -> new UnsupportedCapabilityException(
                            "this connection is not a single account; calendars needs a per-user connection",
                            org.calsdk.errors.ErrorContext.of(c.providerId())));
            List<CalendarInfo> cals = c.reader().calendars(me);
            PrintStream out = System.out;
            if (json) {
                ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ArrayNode arr = m.createArrayNode();
                for (CalendarInfo i : cals) {
                    ObjectNode n = arr.addObject();
                    n.put("id", i.ref().id());
                    n.put("name", i.displayName());
                    if (i.color() == null) {
                        n.putNull("color");
                    } else {
                        n.put("color", i.color());
                    }
                    ArrayNode comps = n.putArray("components");
                    i.components().stream().sorted().forEach(comps::add);
                    n.put("readOnly", i.readOnly());
                    n.put("primary", i.primary());
                    if (i.changeTag() == null) {
                        n.putNull("changeTag");
                    } else {
                        n.put("changeTag", i.changeTag());
                    }
                }
                out.println(m.writeValueAsString(arr));
            } else {
                for (CalendarInfo i : cals) {
                    out.printf(
                            "%-40s %-24s %s%s%s%n",
                            i.ref().id(),
                            i.displayName(),
                            i.readOnly() ? "read-only" : "writable",
                            i.primary() ? " primary" : "",
                            i.components().isEmpty()
                                    ? ""
                                    : " "
                                            + String.join(
                                                    ",",
                                                    i.components().stream()
                                                            .sorted()
                                                            .toList()));
                }
            }
            return 0;
        }
    }
}
