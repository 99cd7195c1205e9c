package org.calsdk.availability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdSubsetTest {
    @Test
    void behavesAsTheSortedListOfTheFlaggedIds() {
        Random r = new Random(3);
        for (int n : new int[] {0, 1, 63, 64, 65, 200, 1000}) {
            String[] ids = new String[n];
            for (int i = 0; i < n; i++) {
                ids[i] = String.format("p%05d", i);
            }
            boolean[] flags = new boolean[n];
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                flags[i] = r.nextInt(3) > 0;
                if (flags[i]) {
                    expected.add(ids[i]);
                }
            }
            IdSubset s = IdSubset.of(ids, flags, null);
            assertThat(s).isEqualTo(expected).hasSameHashCodeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(s.get(i)).isEqualTo(expected.get(i));
            }
            assertThat(IdSubset.of(ids, flags.clone(), s)).isSameAs(s);
        }
    }
}
