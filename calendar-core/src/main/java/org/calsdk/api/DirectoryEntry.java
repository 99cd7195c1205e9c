package org.calsdk.api;

import java.util.List;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * A person, room or piece of equipment in an organization's directory (Google Admin SDK users and
 * calendar resources, Graph {@code /users} and {@code /places}, EWS name resolution). Rooms and equipment
 * have mailboxes too: their busy time is read like anyone's.
 *
 * @param id          the directory's own id
 * @param mailbox     the primary address, by which the host matches its own users
 * @param displayName name, or null
 * @param enabled     false for suspended or disabled accounts
 * @param kind        person, room or equipment
 * @param aliases     the entry's other addresses (Google aliases, Graph {@code proxyAddresses} of type
 *                    SMTP), without the primary one, no duplicates
 * @param capacity    for a room, how many people it seats, or null when unknown; null for others
 * @param building    for a room, its building (name or id as the directory has it), or null; null for others
 * @since 0.1
 */
public record DirectoryEntry(
        String id,
        Mailbox mailbox,
        @Nullable String displayName,
        boolean enabled,
        Kind kind,
        List<Mailbox> aliases,
        @Nullable Integer capacity,
        @Nullable String building) {

    /** What a directory entry is. */
    public enum Kind {
        /** A user. */
        PERSON,
        /** A bookable room. */
        ROOM,
        /** Bookable equipment (a projector, a car). */
        EQUIPMENT
    }

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param id the directory's own id
     * @param mailbox the primary address, by which the host matches its own users
     * @param displayName name, or null
     * @param enabled false for suspended or disabled accounts
     * @param kind person, room or equipment
     * @param aliases the entry's other addresses (Google aliases, Graph {@code proxyAddresses} of type SMTP), without
     *     the primary one, no duplicates
     * @param capacity for a room, how many people it seats, or null when unknown; null for others
     * @param building for a room, its building (name or id as the directory has it), or null; null for others
     */
    public DirectoryEntry {
        Checks.notBlank(id, "id");
        Checks.notNull(mailbox, "mailbox");
        Checks.notNull(kind, "kind");
        aliases = List.copyOf(new java.util.LinkedHashSet<>(Checks.immutableList(aliases, "aliases")));
        Checks.check(!aliases.contains(mailbox), "aliases", "aliases must not repeat the primary address");
        Checks.check(
                kind == Kind.ROOM || (capacity == null && building == null),
                "capacity",
                "only a room has a capacity and a building");
        Checks.check(capacity == null || capacity >= 0, "capacity", "capacity must not be negative");
    }

    /**
     * A person with no aliases.
     *
     * @param id the provider's id of the entry
     * @param mailbox the primary address
     * @param displayName the name, or null
     * @param enabled false for a suspended account
     * @return the entry
     */
    public static DirectoryEntry person(String id, Mailbox mailbox, @Nullable String displayName, boolean enabled) {
        return new DirectoryEntry(id, mailbox, displayName, enabled, Kind.PERSON, List.of(), null, null);
    }

    /**
     * A room.
     *
     * @param id the provider's id of the entry
     * @param mailbox the room's address
     * @param displayName the name, or null
     * @param capacity seats, or null when unknown
     * @param building the building's name, or null
     * @return the entry, enabled and without aliases
     */
    public static DirectoryEntry room(
            String id,
            Mailbox mailbox,
            @Nullable String displayName,
            @Nullable Integer capacity,
            @Nullable String building) {
        return new DirectoryEntry(id, mailbox, displayName, true, Kind.ROOM, List.of(), capacity, building);
    }

    /**
     * This entry with {@code aliases} as its other addresses.
     *
     * @param aliases the other addresses
     * @return a copy; this entry is unchanged
     */
    public DirectoryEntry withAliases(List<Mailbox> aliases) {
        return new DirectoryEntry(id, mailbox, displayName, enabled, kind, aliases, capacity, building);
    }

    /**
     * Whether {@code address} is this entry's primary address or one of its aliases.
     *
     * @param address the address, compared ignoring case
     * @return true when it names this entry
     */
    public boolean hasAddress(Mailbox address) {
        return mailbox.equals(address) || aliases.contains(address);
    }
}
