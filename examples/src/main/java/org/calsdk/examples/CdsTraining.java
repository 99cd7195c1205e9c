package org.calsdk.examples;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.bench.cloud.CloudFake;
import org.calsdk.model.Mailbox;

/**
 * The training run for the CLI's class-data-sharing archive: the {@code ./calendar} launcher runs
 * {@code java -XX:ArchiveClassesAtExit=calendar-cli.jsa -cp calendar-cli.jar org.calsdk.examples.CdsTraining}
 * once per built jar, and every later {@code calendar} process maps the classes this run loaded from the
 * archive instead of reading, verifying and parsing them from the 25 MB jar again.
 *
 * <p>What it runs: the {@code freebusy} command (JSON and text output) against the Google, Graph and EWS
 * fakes on 127.0.0.1, in this process, with a few mailboxes each, its output thrown away; and the CLI's
 * help. So the archive holds picocli, the providers' free/busy paths, OkHttp and Jackson as the real
 * command uses them. The fakes' own classes end up in the archive too; a class that is never loaded costs
 * only its share of the mapped file. Exits non-zero if a command failed (the launcher then keeps no archive).
 */
public final class CdsTraining {
    private CdsTraining() {}

    /**
     * Runs the training commands and exits: status 0 when every command succeeded, 1 otherwise (with the
     * number of failed commands on stderr). The {@code ./calendar} launcher runs this under
     * {@code -XX:ArchiveClassesAtExit} and keeps the archive only after status 0.
     *
     * @param args ignored
     * @throws Exception if a fake cannot be started or its connection file written
     */
    public static void main(String[] args) throws Exception {
        int failures = train();
        if (failures > 0) {
            System.err.println("calendar: class-data-sharing training: " + failures + " command(s) failed");
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the training commands, their standard output discarded; returns how many failed. */
    static int train() throws Exception {
        PrintStream out = System.out;
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, "UTF-8");
        int failures = 0;
        System.setOut(quiet);
        try {
            failures += CalendarCli.run("--help") == 0 ? 0 : 1;
            failures += CalendarCli.run("freebusy", "--help") == 0 ? 0 : 1;
            for (String provider : CloudFake.PROVIDERS) {
                Path dir = Files.createTempDirectory("calendar-cds");
                try (CloudFake fake = CloudFake.start(provider, 3)) {
                    Path conn = fake.writeConnectionFile(dir);
                    List<String> cli = new ArrayList<>(List.of(
                            "freebusy",
                            "--connection",
                            conn.toString(),
                            "--from",
                            CloudFake.FROM.toString(),
                            "--to",
                            CloudFake.TO.toString()));
                    for (Mailbox m : CloudFake.mailboxes(3)) {
                        cli.add("--mailbox");
                        cli.add(m.email());
                    }
                    failures += CalendarCli.run(cli.toArray(String[]::new)) == 0 ? 0 : 1;
                    cli.add("--json");
                    failures += CalendarCli.run(cli.toArray(String[]::new)) == 0 ? 0 : 1;
                } finally {
                    try (var files = Files.list(dir)) {
                        for (Path p : (Iterable<Path>) files::iterator) {
                            Files.deleteIfExists(p);
                        }
                    }
                    Files.deleteIfExists(dir);
                }
            }
        } finally {
            System.setOut(out);
        }
        return failures;
    }
}
