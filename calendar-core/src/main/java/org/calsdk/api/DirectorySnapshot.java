package org.calsdk.api;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/**
 * What a directory held at the last {@link DirectorySync}: the ids of its entries. The host stores it (as
 * {@link #encode()}'s text, in a column or a file) and hands it back next time, so the sync can tell who
 * is new. Ids, not addresses, so a renamed user is not "new". Immutable.
 *
 * <pre>{@code
 * DirectorySnapshot last = DirectorySnapshot.decode(settings.get("directory-snapshot"));
 * DirectorySync.Report r = DirectorySync.run(connection, hostUsers, last);
 * settings.put("directory-snapshot", r.snapshot().encode());
 * }</pre>
 *
 * @since 0.2
 */
public final class DirectorySnapshot {
    /** The most entries a snapshot holds (and {@link DirectorySync} reads), to bound memory. */
    public static final int MAX_ENTRIES = DirectoryReader.MAX_ENTRIES;

    private static final String HEADER = "calsdk-directory-snapshot-v1";
    private static final DirectorySnapshot EMPTY = new DirectorySnapshot(Set.of(), false);

    private final Set<String> ids;
    private final boolean taken;

    private DirectorySnapshot(Set<String> ids, boolean taken) {
        this.ids = ids;
        this.taken = taken;
    }

    /**
     * No snapshot yet: the first sync reports nobody as new (everyone is a first sighting, not news).
     *
     * @return the empty, not-{@link #taken()} snapshot; it {@link #encode() encodes} as empty text
     */
    public static DirectorySnapshot none() {
        return EMPTY;
    }

    /**
     * A snapshot of these entry ids (an empty collection is a real, taken snapshot of an empty directory,
     * unlike {@link #none()}). Duplicates count once.
     *
     * @param entryIds the {@link DirectoryEntry} ids the directory held
     * @return the snapshot
     * @throws NullPointerException when {@code entryIds} or one of the ids is null
     * @throws InvalidInputException when an id is blank or there are more than {@link #MAX_ENTRIES}
     */
    public static DirectorySnapshot of(Collection<String> entryIds) {
        Checks.notNull(entryIds, "entryIds");
        Checks.check(
                entryIds.size() <= MAX_ENTRIES,
                "entryIds",
                "a directory snapshot holds at most " + MAX_ENTRIES + " entries, got " + entryIds.size());
        TreeSet<String> copy = new TreeSet<>();
        for (String id : entryIds) {
            copy.add(Checks.notBlank(id, "entry id"));
        }
        return new DirectorySnapshot(Set.copyOf(copy), true);
    }

    /**
     * Whether this is a real snapshot rather than {@link #none()}.
     *
     * @return false only for {@link #none()} (and decoded empty text)
     */
    public boolean taken() {
        return taken;
    }

    /**
     * Whether the entry with this id was in the directory then.
     *
     * @param entryId a {@link DirectoryEntry} id
     * @return true when the snapshot holds it; always false for {@link #none()}
     */
    public boolean contains(String entryId) {
        return ids.contains(entryId);
    }

    /**
     * How many entries it holds.
     *
     * @return the number of distinct ids; 0 for {@link #none()}
     */
    public int size() {
        return ids.size();
    }

    /**
     * Text the host stores: a header line, then one URL-encoded id per line, sorted.
     *
     * @return the text {@link #decode} reads back; empty for {@link #none()}
     */
    public String encode() {
        if (!taken) {
            return "";
        }
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (String id : new TreeSet<>(ids)) {
            b.append(URLEncoder.encode(id, StandardCharsets.UTF_8)).append('\n');
        }
        return b.toString();
    }

    /**
     * Reads what {@link #encode()} wrote; null or empty text is {@link #none()}. Blank lines are skipped.
     *
     * @param text the stored text, or null
     * @return the snapshot it holds
     * @throws InvalidInputException when the text is not a snapshot (wrong header, a line that is not
     *         URL-encoded) or holds more than {@link #MAX_ENTRIES}
     */
    public static DirectorySnapshot decode(String text) {
        if (text == null || text.isEmpty()) {
            return none();
        }
        String[] lines = text.split("\n", -1);
        if (!HEADER.equals(lines[0].strip())) {
            throw new InvalidInputException(
                    "snapshot", "not a directory snapshot (it does not start with '" + HEADER + "')");
        }
        TreeSet<String> ids = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            if (ids.size() >= MAX_ENTRIES) {
                throw new InvalidInputException(
                        "snapshot", "a directory snapshot holds at most " + MAX_ENTRIES + " entries");
            }
            try {
                ids.add(URLDecoder.decode(l, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        "snapshot", "line " + (i + 1) + " of the directory snapshot is not a " + "URL-encoded id");
            }
        }
        return new DirectorySnapshot(Set.copyOf(ids), true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirectorySnapshot s && s.taken == taken && s.ids.equals(ids);
    }

    @Override
    public int hashCode() {
        return ids.hashCode() * 31 + Boolean.hashCode(taken);
    }

    @Override
    public String toString() {
        return taken ? "DirectorySnapshot[" + ids.size() + " entries]" : "DirectorySnapshot[none]";
    }
}
