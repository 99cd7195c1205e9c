package org.calsdk.availability.internal;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * An immutable, sorted list of participant ids held as a bitset over the request's sorted ids: a slot
 * of 10,000 available participants costs 1.25 KB instead of 10,000 references, and consecutive slots
 * with the same people share one instance. Iteration walks the set bits; {@link #get(int)} is
 * O(log(ids / 64)) through a per-word rank directory.
 */
public final class IdSubset extends AbstractList<String> implements RandomAccess {
    private final String[] ids;
    private final long[] words;
    /** ranks[w] = set bits in words[0, w). */
    private final int[] ranks;

    private final int size;

    IdSubset(String[] ids, long[] words) {
        this.ids = ids;
        this.words = words;
        this.ranks = new int[words.length];
        int r = 0;
        for (int w = 0; w < words.length; w++) {
            ranks[w] = r;
            r += Long.bitCount(words[w]);
        }
        this.size = r;
    }

    /** The ids whose flag is set, sharing {@code previous} when it holds the same ones. */
    static IdSubset of(String[] ids, boolean[] flags, IdSubset previous) {
        long[] words = new long[(ids.length + 63) >>> 6];
        for (int i = 0; i < ids.length; i++) {
            if (flags[i]) {
                words[i >>> 6] |= 1L << i;
            }
        }
        if (previous != null && previous.ids == ids && java.util.Arrays.equals(previous.words, words)) {
            return previous;
        }
        return new IdSubset(ids, words);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int lo = 0;
        int hi = words.length - 1;
        while (lo < hi) { // the last word whose rank is <= index
            int mid = (lo + hi + 1) >>> 1;
            if (ranks[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        long w = words[lo];
        for (int k = index - ranks[lo]; k > 0; k--) {
            w &= w - 1;
        }
        return ids[(lo << 6) + Long.numberOfTrailingZeros(w)];
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int word;
            private long bits = words.length == 0 ? 0 : words[0];

            @Override
            public boolean hasNext() {
                while (bits == 0 && word + 1 < words.length) {
                    bits = words[++word];
                }
                return bits != 0;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = (word << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                return ids[i];
            }
        };
    }
}
