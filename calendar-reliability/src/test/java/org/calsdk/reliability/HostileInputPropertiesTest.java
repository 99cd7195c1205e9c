package org.calsdk.reliability;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Promise: hostile input is refused with a typed error, bounded in time. jqwik feeds each reader mutated
 * valid documents (byte flips, structural characters, cuts, duplications, huge numbers) and arbitrary
 * strings; the only allowed outcomes are a result or a CalendarException with a message, within
 * {@link HostileInputs#PER_INPUT}. Tries: {@code jqwik.tries.default} (300 by default, 20,000 with
 * {@code -Preliability-long}).
 */
class HostileInputPropertiesTest {

    @Provide
    Arbitrary<Object[]> mutated() {
        return Combinators.combine(Arbitraries.of(HostileInputs.TARGETS), Arbitraries.longs())
                .as((t, seed) -> new Object[] {
                    t, Seeds.mutate(Seeds.BY_TARGET.get(t).getBytes(StandardCharsets.UTF_8), new Random(seed))
                });
    }

    @Provide
    Arbitrary<Object[]> arbitrary() {
        return Combinators.combine(
                        Arbitraries.of(HostileInputs.TARGETS),
                        Arbitraries.strings().ofMaxLength(400))
                .as((t, s) -> new Object[] {t, s.getBytes(StandardCharsets.UTF_8)});
    }

    @Property
    void mutatedDocumentsAreReadOrRefusedWithATypedError(@ForAll("mutated") Object[] input) {
        assertTimeoutPreemptively(
                HostileInputs.PER_INPUT, () -> HostileInputs.feed((String) input[0], (byte[]) input[1]));
    }

    @Property
    void arbitraryTextIsReadOrRefusedWithATypedError(@ForAll("arbitrary") Object[] input) {
        assertTimeoutPreemptively(
                HostileInputs.PER_INPUT, () -> HostileInputs.feed((String) input[0], (byte[]) input[1]));
    }

    @AfterContainer
    static void figures() {
        Figures.record(
                "fuzz",
                "jqwik: " + HostileInputs.EXECUTIONS.get() + " inputs over " + HostileInputs.TARGETS.size()
                        + " readers, " + HostileInputs.REFUSED.get() + " refused with a typed error, "
                        + HostileInputs.CRASHES.get()
                        + " crashes");
    }
}
