package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.calsdk.api.CalendarConnection;
import org.calsdk.errors.ConflictException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise: concurrent writers do not overwrite each other, on every provider. Two hosts hold the same
 * version of an event; the second to write gets ConflictException (an update and a delete alike) and the
 * first one's change stands. Six writers racing from one version: exactly one wins, five conflict.
 */
class ConcurrentWritersTest {
    private static final CalendarRef ALICE = CalendarRef.primary(Mailbox.of(Target.ALICE));

    static List<String> providers() {
        return Target.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aStaleVersionConflictsAndNeverOverwrites(String provider) throws Exception {
        try (Target t = Target.start(provider);
                CalendarConnection a = t.connect(Target.quickRetries(), d -> {});
                CalendarConnection b = t.connect(Target.quickRetries(), d -> {})) {
            Event made = a.writer()
                    .create(
                            ALICE,
                            EventKey.of("race"),
                            Event.builder()
                                    .summary("v0")
                                    .start(EventTime.of(
                                            SoakRun.DAY0.atTime(9, 0).atZone(ZoneOffset.UTC)))
                                    .end(EventTime.of(SoakRun.DAY0.atTime(10, 0).atZone(ZoneOffset.UTC)))
                                    .build());
            String id = made.id().orElseThrow();
            Event seenByB = b.reader().get(ALICE, id).orElseThrow();
            a.writer()
                    .update(
                            ALICE,
                            a.reader().get(ALICE, id).orElseThrow().toBuilder()
                                    .summary("by A")
                                    .build());
            assertThatThrownBy(() -> b.writer()
                            .update(ALICE, seenByB.toBuilder().summary("by B").build()))
                    .isInstanceOf(ConflictException.class);
            assertThatThrownBy(
                            () -> b.writer().delete(ALICE, id, seenByB.version().orElseThrow()))
                    .isInstanceOf(ConflictException.class);
            assertThat(a.reader().get(ALICE, id).orElseThrow().summary()).isEqualTo("by A");

            // six writers from one version, released together
            Event base = a.reader().get(ALICE, id).orElseThrow();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    String summary = "writer " + i;
                    CalendarConnection c = i % 2 == 0 ? a : b;
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            c.writer()
                                    .update(
                                            ALICE,
                                            base.toBuilder().summary(summary).build());
                            return summary;
                        } catch (ConflictException e) {
                            return null;
                        }
                    }));
                }
                go.countDown();
                List<String> winners = new ArrayList<>();
                for (Future<String> f : results) {
                    String w = f.get();
                    if (w != null) {
                        winners.add(w);
                    }
                }
                String now = a.reader().get(ALICE, id).orElseThrow().summary();
                Figures.record(
                        "conflicts",
                        provider + ": stale update and stale delete -> ConflictException; 6 racing "
                                + "writers from one version -> " + winners.size() + " won, " + (6 - winners.size())
                                + " ConflictException, stored '" + now + "'");
                assertThat(winners).as("exactly one racing writer wins").hasSize(1);
                assertThat(now).isEqualTo(winners.get(0));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
