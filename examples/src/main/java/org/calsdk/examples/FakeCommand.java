package org.calsdk.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.calsdk.testkit.SeedFile;
import org.calsdk.testkit.StandaloneFake;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calendar fake --provider caldav|google|graph|ews [--port N] [--seed FILE]}: runs a provider's
 * fake server on 127.0.0.1 until the process is killed. The first line on stdout is {@code PORT=<n>}
 * (flushed at once, so a script or test can read it and connect). Without {@code --seed} every mailbox
 * {@code @example.com} exists with an empty primary calendar and any bearer token or password is
 * accepted. Fakes are found as {@link StandaloneFake} services; a provider whose fake is not on the class
 * path exits with status 2 and one line saying so.
 */
@Command(
        name = "fake",
        mixinStandardHelpOptions = true,
        description = "Runs a provider's fake server on 127.0.0.1 until killed; prints PORT=<n> first.")
final class FakeCommand implements Callable<Integer> {
    /** The providers the command knows; each needs a {@link StandaloneFake} on the class path to run. */
    enum Provider {
        caldav,
        google,
        graph,
        ews
    }

    @Option(
            names = "--provider",
            required = true,
            paramLabel = "ID",
            description = "which fake: ${COMPLETION-CANDIDATES}")
    Provider provider;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "0",
            description = "port on 127.0.0.1 (default: a free one)")
    int port;

    @Option(
            names = "--seed",
            paramLabel = "FILE",
            description = "JSON seed file: users, passwords, calendars, .ics events")
    Path seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new org.calsdk.errors.InvalidInputException("port", "--port must be 0..65535, was " + port);
        }
        String id = provider.name().toLowerCase(Locale.ROOT);
        Optional<StandaloneFake> fake = StandaloneFake.find(id, FakeCommand.class.getClassLoader());
        if (fake.isEmpty()) {
            spec.commandLine().getErr().println("error: " + id + " provider fake not available yet");
            spec.commandLine().getErr().flush();
            return Errors.INVALID_INPUT;
        }
        SeedFile data = seed == null ? null : SeedFile.read(seed);
        StandaloneFake.Running running = fake.get().start(port, data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.close();
                            stopped.countDown();
                        },
                        "calendar-fake-stop"));
        PrintStream out = System.out;
        out.println("PORT=" + running.port());
        out.flush();
        System.err.println("fake " + id + " serving " + running.baseUrl() + " (stop with Ctrl-C or kill)");
        System.err.flush();
        stopped.await(); // until the process is killed
        return 0;
    }
}
