package org.calsdk.bench.comparators;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The comparators' process: {@code java -cp ... org.calsdk.bench.comparators.ComparatorMain PROVIDER STYLE
 * ENDPOINT SECRET_FILE FROM TO MAILBOX_FILE [ME]}, where PROVIDER is google, graph or ews, STYLE careful or
 * naive, SECRET_FILE holds a bearer token (google, graph) or {@code user:password} (ews), MAILBOX_FILE one
 * address a line, and ME the signed-in user (graph). Prints {@code MAILBOXES=}, {@code BUSY=} (busy
 * intervals answered) and {@code REQUESTS=} (HTTP requests made) and exits 0, or exits 1 with the reason on
 * stderr. Secrets come from a file so they never show in a process listing.
 */
public final class ComparatorMain {
    private ComparatorMain() {}

    public static void main(String[] args) {
        try {
            FreeBusyComparator.Result r = run(args);
            System.out.println("MAILBOXES=" + r.mailboxes());
            System.out.println("BUSY=" + r.busyIntervals());
            System.out.println("REQUESTS=" + r.requests());
            System.out.flush();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("comparator failed: " + e);
            System.exit(1);
        }
    }

    static FreeBusyComparator.Result run(String[] args) throws Exception {
        if (args.length < 7) {
            throw new IllegalArgumentException("usage: PROVIDER STYLE ENDPOINT SECRET_FILE FROM TO MAILBOX_FILE [ME]");
        }
        // the EWS library sends the JVM's zone with its window; UTC keeps the comparison exact
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        FreeBusyComparator.Style style = FreeBusyComparator.Style.valueOf(args[1].toUpperCase(Locale.ROOT));
        String secret =
                Files.readString(Path.of(args[3]), StandardCharsets.UTF_8).strip();
        Instant from = Instant.parse(args[4]);
        Instant to = Instant.parse(args[5]);
        List<String> mailboxes = Files.readAllLines(Path.of(args[6]), StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        switch (args[0]) {
            case "google" -> {
                return new GoogleComparator(args[2], secret).freeBusy(style, mailboxes, from, to);
            }
            case "graph" -> {
                if (args.length < 8) {
                    throw new IllegalArgumentException("graph needs ME, the signed-in user");
                }
                return new GraphComparator(args[2], secret, args[7]).freeBusy(style, mailboxes, from, to);
            }
            case "ews" -> {
                int colon = secret.indexOf(':');
                if (colon < 1) {
                    throw new IllegalArgumentException("the ews secret file must hold user:password");
                }
                try (EwsComparator c =
                        new EwsComparator(args[2], secret.substring(0, colon), secret.substring(colon + 1))) {
                    return c.freeBusy(style, mailboxes, from, to);
                }
            }
            default -> throw new IllegalArgumentException("no comparator for provider " + args[0]);
        }
    }
}
