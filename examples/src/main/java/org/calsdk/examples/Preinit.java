package org.calsdk.examples;

import java.util.List;
import java.util.Set;

/**
 * Start-up work done beside the main thread for the short commands that call a provider ({@code freebusy},
 * {@code calendars}, {@code events}): while the main thread parses the arguments, reads the connection file
 * and sends the request, a daemon thread initializes what comes next (the HTTP client, then the classes that
 * read the answer and print the result). On a machine with a second core that work leaves the critical path;
 * nothing depends on it finishing (a class is initialized once, by whichever thread gets there first), and
 * a failure here only means the main thread does the work itself. Off on a single core, and with
 * {@code -Dcalsdk.preinit.off=true} (e.g. in {@code CALENDAR_JAVA_OPTS}).
 */
final class Preinit {
    private static final Set<String> COMMANDS = Set.of("freebusy", "calendars", "events");

    // in the order the main thread will need them
    private static final List<String> CLASSES = List.of(
            "org.calsdk.api.ConnectionFile",
            "org.calsdk.api.CalendarProviders",
            "org.calsdk.http.HttpTransport",
            "okhttp3.internal.platform.Platform", // its detection reads the security providers' list
            "okhttp3.HttpUrl",
            "okhttp3.Request",
            "okhttp3.internal.connection.RealCall",
            "okhttp3.internal.connection.RealConnection",
            "okhttp3.internal.http1.Http1ExchangeCodec",
            "okio.Buffer",
            "com.fasterxml.jackson.core.JsonFactory",
            "org.calsdk.internal.Rfc3339",
            "org.calsdk.model.BusyInterval",
            "org.calsdk.model.FreeBusy",
            "org.calsdk.api.FreeBusyResult",
            "com.fasterxml.jackson.core.util.DefaultPrettyPrinter",
            "com.fasterxml.jackson.core.json.WriterBasedJsonGenerator");

    private Preinit() {}

    /** Starts the thread when {@code args} name one of the short provider commands; otherwise nothing. */
    static void start(String[] args) {
        if (args.length == 0
                || !COMMANDS.contains(args[0])
                || Boolean.getBoolean("calsdk.preinit.off")
                || Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread t = new Thread(Preinit::run, "calendar-preinit");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        ClassLoader loader = Preinit.class.getClassLoader();
        try {
            // a transport on the shared client: OkHttp's dispatcher, pool and task runner (TLS waits for https)
            org.calsdk.http.HttpTransport.defaults("preinit").close();
            for (String name : CLASSES) {
                Class.forName(name, true, loader);
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // nothing to do: the main thread initializes what it needs as it goes
        }
    }
}
