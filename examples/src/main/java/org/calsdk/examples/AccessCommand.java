package org.calsdk.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ScopeReport;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code calendar access --connection FILE [--mailbox EMAIL]... [--json]}: which mailboxes the connection
 * can reach and why not ({@link ScopeReport}). The JSON is a fixed contract:
 * {@code {"mailboxes":[{"mailbox","reachable","reason","detail"}]}}, {@code reason} null or one of
 * {@code NOT_IN_SCOPE}, {@code NOT_FOUND}, {@code ROLE_MISSING}, {@code CREDENTIAL_INVALID}, {@code UNKNOWN}.
 */
@Command(
        name = "access",
        mixinStandardHelpOptions = true,
        description = "Reports which mailboxes the connection can reach, and why not for the others.")
final class AccessCommand implements Callable<Integer> {
    @Mixin
    ConnectionOption connection;

    @Option(
            names = "--mailbox",
            paramLabel = "EMAIL",
            description =
                    "a mailbox to check (repeatable; default: the connected account, or the file's mailbox/subject)")
    List<String> mailboxes = new ArrayList<>();

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Mailbox> who = new ArrayList<>();
        for (String m : mailboxes) {
            who.add(Mailbox.of(m));
        }
        try (CalendarConnection c = connection.open()) {
            if (who.isEmpty()) {
                who.add(c.self()
                        .orElseThrow(() -> new InvalidInputException(
                                "mailbox", "this connection serves many mailboxes: name them with --mailbox")));
            }
            ScopeReport report = ScopeReport.check(c, who);
            if (json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode root = m.createObjectNode();
                ArrayNode arr = root.putArray("mailboxes");
                for (AccessCheck a : report.mailboxes()) {
                    ObjectNode n = arr.addObject();
                    n.put("mailbox", a.mailbox().email());
                    n.put("reachable", a.allowed());
                    if (a.reason() == null) {
                        n.putNull("reason");
                    } else {
                        n.put("reason", a.reason().name());
                    }
                    n.put("detail", a.detail());
                }
                System.out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            } else {
                for (AccessCheck a : report.mailboxes()) {
                    System.out.printf(
                            "%-40s %s%s%n",
                            a.mailbox().email(),
                            a.allowed() ? "reachable" : "UNREACHABLE " + a.reason(),
                            a.detail().isEmpty() ? "" : "  " + a.detail());
                }
            }
            return 0;
        }
    }
}
