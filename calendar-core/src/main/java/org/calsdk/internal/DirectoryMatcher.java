package org.calsdk.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.DirectorySnapshot;
import org.calsdk.api.DirectorySync;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.LimitExceededException;
import org.calsdk.model.Mailbox;

/** The matching behind {@link DirectorySync}. Not public API. */
public final class DirectoryMatcher {
    private DirectoryMatcher() {}

    /** Every page of people ({@link DirectoryReader#allUsers}: bounded in pages and in entries). */
    public static List<DirectoryEntry> readUsers(DirectoryReader directory) {
        return directory.allUsers();
    }

    private static LimitExceededException tooMany() {
        return new LimitExceededException(
                "directory entries",
                DirectorySnapshot.MAX_ENTRIES,
                "the directory holds more " + "than " + DirectorySnapshot.MAX_ENTRIES
                        + " people; sync it by group (DirectoryReader.groupMembers)");
    }

    public static DirectorySync.Report match(
            Collection<DirectoryEntry> directory,
            Collection<DirectorySync.HostUser> hostUsers,
            DirectorySnapshot previous) {
        if (directory.size() > DirectorySnapshot.MAX_ENTRIES) {
            throw tooMany();
        }
        Checks.check(
                hostUsers.size() <= DirectorySnapshot.MAX_ENTRIES,
                "hostUsers",
                "at most " + DirectorySnapshot.MAX_ENTRIES + " host users per directory sync");
        // every address of every host user, to its one owner
        Map<Mailbox, DirectorySync.HostUser> byAddress = new HashMap<>();
        Set<String> hostIds = new HashSet<>();
        for (DirectorySync.HostUser u : hostUsers) {
            Checks.notNull(u, "host user");
            Checks.check(hostIds.add(u.id()), "hostUsers", "two host users have the id '" + u.id() + "'");
            claim(byAddress, u.email(), u);
            for (Mailbox a : u.aliases()) {
                claim(byAddress, a, u);
            }
        }
        List<DirectoryEntry> people = new ArrayList<>();
        List<DirectoryEntry> disabled = new ArrayList<>();
        Set<String> entryIds = new HashSet<>();
        for (DirectoryEntry e : directory) {
            Checks.notNull(e, "directory entry");
            if (e.kind() != DirectoryEntry.Kind.PERSON) {
                continue;
            }
            Checks.check(entryIds.add(e.id()), "directory", "the directory lists the id '" + e.id() + "' twice");
            (e.enabled() ? people : disabled).add(e);
        }
        people.sort(Comparator.comparing(DirectoryEntry::mailbox));
        disabled.sort(Comparator.comparing(DirectoryEntry::mailbox));

        Map<String, DirectorySync.Match> matchedByEntry = new LinkedHashMap<>();
        Set<String> matchedUsers = new HashSet<>();
        // pass 1: primary address to primary address, the strongest evidence
        for (DirectoryEntry e : people) {
            DirectorySync.HostUser u = byAddress.get(e.mailbox());
            if (u != null && u.email().equals(e.mailbox()) && matchedUsers.add(u.id())) {
                matchedByEntry.put(e.id(), new DirectorySync.Match(u, e, e.mailbox(), isNew(previous, e)));
            }
        }
        // pass 2: any address on either side (the entry's primary first, then its aliases)
        for (DirectoryEntry e : people) {
            if (matchedByEntry.containsKey(e.id())) {
                continue;
            }
            List<Mailbox> addresses = new ArrayList<>();
            addresses.add(e.mailbox());
            addresses.addAll(e.aliases());
            for (Mailbox a : addresses) {
                DirectorySync.HostUser u = byAddress.get(a);
                if (u != null && !matchedUsers.contains(u.id())) {
                    matchedUsers.add(u.id());
                    matchedByEntry.put(e.id(), new DirectorySync.Match(u, e, a, isNew(previous, e)));
                    break;
                }
            }
        }
        List<DirectorySync.Match> matched = new ArrayList<>(matchedByEntry.values());
        matched.sort(Comparator.comparing(DirectorySync.Match::mailbox));
        List<DirectoryEntry> unmatchedDirectory =
                people.stream().filter(e -> !matchedByEntry.containsKey(e.id())).toList();
        List<DirectorySync.HostUser> unmatchedHost = hostUsers.stream()
                .filter(u -> !matchedUsers.contains(u.id()))
                .sorted(Comparator.comparing(DirectorySync.HostUser::email))
                .toList();
        List<DirectoryEntry> newEntries =
                people.stream().filter(e -> isNew(previous, e)).toList();
        List<String> ids = new ArrayList<>(people.size() + disabled.size());
        people.forEach(e -> ids.add(e.id()));
        disabled.forEach(e -> ids.add(e.id()));
        return new DirectorySync.Report(
                matched, unmatchedDirectory, unmatchedHost, disabled, newEntries, DirectorySnapshot.of(ids));
    }

    private static boolean isNew(DirectorySnapshot previous, DirectoryEntry e) {
        return previous.taken() && !previous.contains(e.id());
    }

    private static void claim(
            Map<Mailbox, DirectorySync.HostUser> byAddress, Mailbox address, DirectorySync.HostUser u) {
        DirectorySync.HostUser before = byAddress.putIfAbsent(address, u);
        if (before != null && !before.id().equals(u.id())) {
            throw new InvalidInputException(
                    "hostUsers",
                    "host users '" + before.id() + "' and '" + u.id() + "' both have the address " + address
                            + "; an address belongs to one user");
        }
    }
}
