package org.calsdk.reliability;

import java.time.Duration;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.ews.EwsProvider;
import org.calsdk.google.GoogleProvider;
import org.calsdk.graph.GraphProvider;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.spi.ProviderBuilder;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.graph.FakeGraphServer;

/**
 * One provider and its stateful fake, as the reliability suite drives it: a fresh fake per run, a USER
 * connection for alice (bob and carol also exist), and the wire operation names the faults aim at.
 */
abstract class Target implements AutoCloseable {
    static final String ALICE = "alice@example.com";
    static final String BOB = "bob@example.com";
    static final String CAROL = "carol@example.com";

    /** The four providers, each with a fresh fake. */
    static List<String> names() {
        return List.of("caldav", "google", "graph", "ews");
    }

    static Target start(String name) {
        return switch (name) {
            case "caldav" -> new CalDav();
            case "google" -> new Google();
            case "graph" -> new Graph();
            case "ews" -> new Ews();
            default -> throw new IllegalArgumentException(name);
        };
    }

    abstract String name();

    /** alice's connection with {@code policy} and {@code sleeper}. */
    CalendarConnection connect(RetryPolicy policy, Sleeper sleeper) {
        return connect(policy, sleeper, null);
    }

    /** alice's connection with {@code policy}, {@code sleeper} and a deadline per call (null: the provider's). */
    abstract CalendarConnection connect(RetryPolicy policy, Sleeper sleeper, Duration deadline);

    /** {@code b} with the retry policy, sleeper and, when given, the deadline. */
    static <B extends ProviderBuilder<B>> B http(B b, RetryPolicy policy, Sleeper sleeper, Duration deadline) {
        b.retryPolicy(policy).sleeper(sleeper);
        return deadline == null ? b : b.timeout(deadline);
    }

    /** The wire operation of a window listing ({@code EventReader.list}). */
    abstract String listOperation();

    abstract FaultScript faults();

    abstract RequestAccounting accounting();

    /** The wire operation of an incremental change read. */
    abstract String changesOperation();

    /** The wire operation inside a multi-mailbox free/busy call (a batch part for Google and Graph). */
    abstract String freeBusyOperation();

    /** Whether free/busy travels in a batch (one failing sub-request is then a batch fault). */
    abstract boolean freeBusyBatched();

    @Override
    public abstract void close();

    static RetryPolicy quickRetries() {
        return RetryPolicy.custom()
                .maxAttempts(4)
                .baseBackoff(Duration.ofMillis(2))
                .maxBackoff(Duration.ofMillis(10))
                .maxRetryAfter(Duration.ofSeconds(30))
                .build();
    }

    static final class CalDav extends Target {
        final FakeCalDavServer dav = FakeCalDavServer.builder()
                .user("alice", "alice-pw")
                .user("bob", "bob-pw")
                .user("carol", "carol-pw")
                .calendar("alice", "calendar", "Calendar")
                .calendar("bob", "calendar", "Calendar")
                .calendar("carol", "calendar", "Calendar")
                .build()
                .start();

        CalDav() {
            dav.maxSyncResults(5);
        }

        @Override
        String name() {
            return "caldav";
        }

        @Override
        String listOperation() {
            return "report";
        }

        @Override
        CalendarConnection connect(RetryPolicy policy, Sleeper sleeper, Duration deadline) {
            return http(CalDavProvider.builder(), policy, sleeper, deadline)
                    .build()
                    .connect(dav.connectionConfig("alice").build());
        }

        @Override
        FaultScript faults() {
            return dav.faults();
        }

        @Override
        RequestAccounting accounting() {
            return dav.accounting();
        }

        @Override
        String changesOperation() {
            return "report";
        }

        @Override
        String freeBusyOperation() {
            return "outbox";
        }

        @Override
        boolean freeBusyBatched() {
            return false;
        }

        @Override
        public void close() {
            dav.close();
        }
    }

    static final class Google extends Target {
        final FakeGoogleServer google = FakeGoogleServer.builder()
                .user(ALICE, "Alice")
                .user(BOB, "Bob")
                .user(CAROL, "Carol")
                .build()
                .start();

        @Override
        String name() {
            return "google";
        }

        @Override
        String listOperation() {
            return "events.list";
        }

        @Override
        CalendarConnection connect(RetryPolicy policy, Sleeper sleeper, Duration deadline) {
            return http(GoogleProvider.builder(), policy, sleeper, deadline)
                    .build()
                    .connect(google.connectionConfig(ALICE)
                            .setting("pageSize", "5")
                            .build());
        }

        @Override
        FaultScript faults() {
            return google.faults();
        }

        @Override
        RequestAccounting accounting() {
            return google.accounting();
        }

        @Override
        String changesOperation() {
            return "events.list";
        }

        @Override
        String freeBusyOperation() {
            return "freebusy.query";
        }

        @Override
        boolean freeBusyBatched() {
            return true;
        }

        @Override
        public void close() {
            google.close();
        }
    }

    static final class Graph extends Target {
        final FakeGraphServer graph = FakeGraphServer.builder()
                .mailbox(ALICE, "Alice")
                .mailbox(BOB, "Bob")
                .mailbox(CAROL, "Carol")
                .build()
                .start();

        @Override
        String name() {
            return "graph";
        }

        @Override
        String listOperation() {
            return "calendarView";
        }

        @Override
        CalendarConnection connect(RetryPolicy policy, Sleeper sleeper, Duration deadline) {
            return http(GraphProvider.builder(), policy, sleeper, deadline)
                    .build()
                    .connect(graph.connectionConfig(ALICE)
                            .setting("syncWindowFuture", "P3650D")
                            .build());
        }

        @Override
        FaultScript faults() {
            return graph.faults();
        }

        @Override
        RequestAccounting accounting() {
            return graph.accounting();
        }

        @Override
        String changesOperation() {
            return "delta";
        }

        @Override
        String freeBusyOperation() {
            return "getSchedule";
        }

        @Override
        boolean freeBusyBatched() {
            return true;
        }

        @Override
        public void close() {
            graph.close();
        }
    }

    static final class Ews extends Target {
        final FakeEwsServer ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox(ALICE)
                .mailbox(BOB)
                .mailbox(CAROL)
                .impersonationScope("svc", ALICE, BOB, CAROL)
                .build()
                .start();

        @Override
        String name() {
            return "ews";
        }

        @Override
        String listOperation() {
            return "FindItem";
        }

        @Override
        CalendarConnection connect(RetryPolicy policy, Sleeper sleeper, Duration deadline) {
            return http(EwsProvider.builder(), policy, sleeper, deadline)
                    .build()
                    .connect(ews.connectionConfig("svc")
                            .setting("impersonation", "true")
                            .setting("mailbox", ALICE)
                            .build());
        }

        @Override
        FaultScript faults() {
            return ews.faults();
        }

        @Override
        RequestAccounting accounting() {
            return ews.accounting();
        }

        @Override
        String changesOperation() {
            return "SyncFolderItems";
        }

        @Override
        String freeBusyOperation() {
            return "GetUserAvailability";
        }

        @Override
        boolean freeBusyBatched() {
            return false;
        }

        @Override
        public void close() {
            ews.close();
        }
    }
}
