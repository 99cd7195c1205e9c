package org.calsdk.testkit.caldav;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fake's data: users, calendars, resources and each calendar's change log. Guarded by {@code this}. */
final class DavStore {
    /** user -> password; a null password accepts any password (seeded users without one). */
    final Map<String, String> passwords = new LinkedHashMap<>();

    final Map<String, String> bearerTokens = new LinkedHashMap<>(); // token -> user
    final Map<String, Map<String, Cal>> calendars = new LinkedHashMap<>(); // user -> name -> calendar
    long etagCounter;
    boolean syncCollection = true;
    int maxSyncResults = Integer.MAX_VALUE;
    boolean refuseSyncLimit;
    HostileXml hostile = HostileXml.NONE;
    boolean digest;
    boolean outbox = true;
    /** The mail domain of users' addresses ({@code USER@domain}). */
    String domain = "example.com";
    /** Open mode: every user of the domain exists (created on first use) and any password or token is accepted. */
    boolean open;
    /** Quirk: the time-range filter looks at the master's DTSTART/DTEND only. */
    boolean timeRangeIgnoresRecurrences;
    /** The name of the calendar every user created on demand gets. */
    static final String PRIMARY = "primary";

    /** Whether {@code user} exists; in open mode creates them with an empty primary calendar. */
    boolean ensureUser(String user) {
        if (passwords.containsKey(user)) {
            return true;
        }
        if (!open || !validUserName(user)) {
            return false;
        }
        passwords.put(user, null);
        calendars.computeIfAbsent(user, u -> new LinkedHashMap<>()).putIfAbsent(PRIMARY, new Cal(PRIMARY, "Calendar"));
        return true;
    }

    static boolean validUserName(String user) {
        return user != null && user.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    }

    static final class Cal {
        final String name;
        String displayName;
        String color;
        boolean readOnly;
        final TreeMap<String, Res> resources = new TreeMap<>();
        /** Change log: position i holds the resource name changed at revision i + 1 (tokens are revisions). */
        final List<String> log = new ArrayList<>();
        /** Bumped to invalidate every token issued so far (403 valid-sync-token). */
        int epoch;

        long ctag;

        Cal(String name, String displayName) {
            this.name = name;
            this.displayName = displayName;
        }

        int revision() {
            return log.size();
        }

        void changed(String resource, long etag) {
            log.add(resource);
            ctag = etag;
        }
    }

    record Res(String ics, String etag) {}

    Cal calendar(String user, String name) {
        Map<String, Cal> m = calendars.get(user);
        return m == null ? null : m.get(name);
    }

    String nextEtag() {
        return "\"e" + (++etagCounter) + "\"";
    }
}
