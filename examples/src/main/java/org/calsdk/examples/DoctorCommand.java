package org.calsdk.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;
import org.calsdk.api.Doctor;
import org.calsdk.api.DoctorReport;
import org.calsdk.api.Finding;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.JdbcSyncStateStore;
import org.calsdk.sync.SyncDiagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar doctor --connection FILE [--mailbox EMAIL]... [--json] [--store [JDBC_URL]]}: the checks
 * an administrator runs ({@link Doctor}), one finding each with its fix. The JSON is a fixed contract:
 * {@code {"findings":[{"check","status","mailbox","message","fix"}]}}, {@code status} ok, warn or fail.
 * Exits 1 when any finding is fail.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Checks a connection the way an administrator would and says how to fix what is wrong.")
final class DoctorCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ConnectionOption connection;

    @Option(
            names = "--mailbox",
            paramLabel = "EMAIL",
            description = "a mailbox to check (repeatable; default: the connected account, or the store's mailboxes)")
    List<String> mailboxes = new ArrayList<>();

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(
            names = "--store",
            paramLabel = "JDBC_URL",
            arity = "0..1",
            fallbackValue = "",
            description = "also check last sync and push subscriptions in this sync state store (no value: the "
                    + "default H2 file in ~/.calsdk); opened read-only")
    String store;

    @Option(
            names = "--weeks",
            paramLabel = "N",
            defaultValue = "4",
            description = "how many weeks ahead the calendar checks look (default 4)")
    int weeks;

    @Option(
            names = "--zone",
            paramLabel = "ZONE",
            defaultValue = "UTC",
            description = "zone of all-day and floating times (default UTC)")
    String zone;

    @Override
    public Integer call() throws Exception {
        if (weeks < 1 || weeks > 52) {
            throw new InvalidInputException("weeks", "--weeks must be 1..52");
        }
        List<Mailbox> who = new ArrayList<>();
        for (String m : mailboxes) {
            who.add(Mailbox.of(m));
        }
        Doctor.Builder doctor = Doctor.builder()
                .mailboxes(who)
                .lookahead(Duration.ofDays(7L * weeks))
                .zone(org.calsdk.tz.TimeZones.resolve(zone));
        ConnectionConfig config = ConnectionFile.read(connection.file, System::getenv, System.err::println)
                .toConfig();
        if (store != null) {
            try (JdbcSyncStateStore state = SyncCommand.openStore(store.isEmpty() ? null : store, true)) {
                doctor.health(SyncDiagnostics.health(state)).integrations(SyncDiagnostics.organizations(state));
            }
        }
        DoctorReport report = doctor.build().run(config);
        print(report);
        return report.failed() ? Errors.FAILURE : 0;
    }

    private void print(DoctorReport report) throws Exception {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            ArrayNode arr = root.putArray("findings");
            for (Finding f : report.findings()) {
                ObjectNode n = arr.addObject();
                n.put("check", f.check());
                n.put("status", f.status().label());
                if (f.mailbox() == null) {
                    n.putNull("mailbox");
                } else {
                    n.put("mailbox", f.mailbox().email());
                }
                n.put("message", f.message());
                n.put("fix", f.fix());
            }
            System.out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return;
        }
        for (Finding f : report.findings()) {
            System.out.printf(
                    "%-4s %s%s: %s%n",
                    f.status().label().toUpperCase(java.util.Locale.ROOT),
                    f.check(),
                    f.mailbox() == null ? "" : " " + f.mailbox().email(),
                    f.message());
            if (!f.fix().isEmpty()) {
                System.out.println("     fix: " + f.fix());
            }
        }
        long fails = report.findings().stream()
                .filter(f -> f.status() == Finding.Status.FAIL)
                .count();
        long warns = report.findings().stream()
                .filter(f -> f.status() == Finding.Status.WARN)
                .count();
        System.out.println(fails + " failed, " + warns + " warning" + (warns == 1 ? "" : "s") + ", "
                + (report.findings().size() - fails - warns) + " ok");
    }
}
