package org.calsdk.examples;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import org.calsdk.spi.CalendarProvider;
import org.calsdk.spi.CalendarProviders;

import picocli.CommandLine.Command;

/**
 * Walks through what the SDK can do, on embedded fakes: no account, no credentials, no network. Each
 * step runs real SDK code; steps are added as capabilities land.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Shows the SDK working end to end on embedded fakes (no account, no network).")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        PrintStream out = System.out;
        out.println("Calendar SDK demo (embedded, offline)");
        out.println();
        out.println("Providers on the classpath:");
        CalendarProviders providers = CalendarProviders.load();
        if (providers.ids().isEmpty()) {
            out.println("  (none yet)");
        }
        for (String id : providers.ids()) {
            CalendarProvider p = providers.get(id);
            out.println("  " + id + ": " + p.capabilities());
        }
        return 0;
    }
}
