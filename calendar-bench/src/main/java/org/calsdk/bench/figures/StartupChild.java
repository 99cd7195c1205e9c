package org.calsdk.bench.figures;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.model.Mailbox;

/**
 * The child JVM of {@link CalDavFootprintFigure}: from a cold start, finds the provider through
 * {@link CalendarProviders#load()} (as an application would), connects with a password and lists the
 * mailbox's calendars: the first call. Prints {@code FIRST_CALL_MS=} (from JVM start, by the runtime's
 * own start time), {@code CALL_MS=} (from {@code main} to the end of the call), {@code CLASSES=} (classes
 * loaded by then) and {@code CLASSES_AT_MAIN=}. Arguments: provider id, url, user, password (a fake's),
 * mailbox.
 */
public final class StartupChild {
    private StartupChild() {}

    public static void main(String[] args) {
        long mainAt = System.currentTimeMillis();
        int classesAtMain = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        ConnectionConfig cfg = ConnectionConfig.builder(args[0])
                .setting("url", args[1])
                .setting("allowPrivateNetwork", "true")
                .setting("mailbox", args[4])
                .credentials(PasswordCredentials.of(args[2], Secret.of(args[3])))
                .build();
        int calendars;
        try (CalendarConnection c = CalendarProviders.load().connect(cfg)) {
            calendars = c.reader().calendars(Mailbox.of(args[4])).size();
        }
        long end = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("CALENDARS=" + calendars);
        System.out.println("FIRST_CALL_MS=" + (end - jvmStart));
        System.out.println("CALL_MS=" + (end - mainAt));
        System.out.println(
                "CLASSES=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.out.println("CLASSES_AT_MAIN=" + classesAtMain);
        System.out.flush();
        System.err.println(String.format(Locale.ROOT, "startup child: %d calendars", calendars));
    }
}
