package org.calsdk.testkit.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake Graph's state: mailboxes with calendars and events (kept as the Graph JSON the client wrote,
 * plus a series' exceptions and cancelled occurrences), tokens, the access policy, delta tokens and the
 * per-mailbox concurrency count. Guarded by its own monitor ({@code synchronized (store)}); the
 * concurrency counters are lock-free so that a request waiting on the monitor still counts as in flight.
 */
final class GraphStore {
    /** Delta tokens kept at most (oldest dropped first: a dropped token reads as expired, as on Graph). */
    static final int MAX_DELTA_TOKENS = 10_000;

    final Map<String, MailboxData> mailboxes = new LinkedHashMap<>();
    /** Domain under which every address exists on first use (standalone fake without a seed), or null. */
    String openDomain;
    /** Mailboxes an app-only token may reach; null = all. */
    Set<String> accessPolicy;
    /** Access token → subject (a mailbox address, or {@link #APP} for an app-only token). Empty = any bearer is app-only. */
    final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Set once tokens were revoked: from then on an empty token map accepts no bearer token. */
    volatile boolean strictTokens;
    /** Client id → the X.509 certificate (PEM) its client assertions must be signed with. */
    final Map<String, String> clientCertificates = new ConcurrentHashMap<>();
    /** Client id → secret; empty = any client secret is accepted. */
    final Map<String, String> clients = new ConcurrentHashMap<>();
    /** Groups by id (directory). */
    final Map<String, Group> groups = new LinkedHashMap<>();
    /** Rooms by address (directory; each also a mailbox). */
    final Map<String, Room> rooms = new LinkedHashMap<>();

    /** A group: its address and its members (mailbox addresses or ids of other groups). */
    record Group(String id, String mail, String displayName, List<String> members) {}

    /** A room resource. */
    record Room(String id, String address, String displayName, Integer capacity, String building) {}

    /** Authorization code → what it was issued for (single use). */
    final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** An authorization code's user, redirect URI and PKCE challenge (or null). */
    record Grant(String mailbox, String redirectUri, String challenge) {}

    /** Refresh token → mailbox address. */
    final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

    final LinkedHashMap<String, DeltaState> deltaTokens = new LinkedHashMap<>();
    long sequence;
    long ids;

    /** Whether the tenant's administrator revoked the app's consent (app-only tokens carry no roles then). */
    volatile boolean consentRevoked;

    int maxConcurrentPerMailbox = 4;
    long retryAfterSeconds = 1;
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    final List<String> subRequests = new ArrayList<>();

    /** Subscriptions by id ({@link GraphSubscriptions}). */
    final Map<String, GraphSubscriptions.Sub> subscriptions = new LinkedHashMap<>();
    /** Change notifications waiting for {@code deliverNotifications()}. */
    final List<GraphSubscriptions.Pending> pendingNotifications = new ArrayList<>();

    static final String APP = "\u0000app";

    MailboxData mailbox(String address) {
        String key = address.toLowerCase(Locale.ROOT);
        MailboxData m = mailboxes.get(key);
        if (m == null && openDomain != null && key.endsWith("@" + openDomain)) {
            m = addMailbox(address, null);
        }
        return m;
    }

    MailboxData addMailbox(String address, String displayName) {
        String key = address.toLowerCase(Locale.ROOT);
        return mailboxes.computeIfAbsent(key, k -> {
            MailboxData m = new MailboxData(
                    address,
                    displayName == null ? address.substring(0, address.indexOf('@')) : displayName,
                    "u-" + Long.toHexString(++ids) + "-" + Integer.toHexString(k.hashCode()));
            m.calendars.put("cal-" + m.userId, new CalendarData("cal-" + m.userId, "Calendar", true));
            return m;
        });
    }

    String newId(String prefix) {
        return prefix + Long.toString(++ids, 36) + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /** One mailbox. */
    static final class MailboxData {
        final String address;
        final String displayName;
        final String userId;
        final Map<String, CalendarData> calendars = new LinkedHashMap<>();

        MailboxData(String address, String displayName, String userId) {
            this.address = address;
            this.displayName = displayName;
            this.userId = userId;
        }

        CalendarData primary() {
            return calendars.values().iterator().next();
        }
    }

    /** One calendar. */
    static final class CalendarData {
        final String id;
        final String name;
        final boolean primary;
        final Map<String, Stored> events = new LinkedHashMap<>();

        CalendarData(String id, String name, boolean primary) {
            this.id = id;
            this.name = name;
            this.primary = primary;
        }
    }

    /** One event or series master, as the client wrote it. */
    static final class Stored {
        final String id;
        final String calendarId;
        ObjectNode json;
        final TreeMap<Instant, ObjectNode> exceptions = new TreeMap<>();
        final TreeSet<Instant> cancelled = new TreeSet<>();
        String changeKey;
        long seq;
        boolean deleted;
        Instant created;
        Instant modified;

        Stored(String id, String calendarId) {
            this.id = id;
            this.calendarId = calendarId;
        }
    }

    /** What a delta token stands for. */
    record DeltaState(
            String mailbox,
            String calendarId,
            Instant start,
            Instant end,
            List<com.fasterxml.jackson.databind.JsonNode> pending,
            Map<String, Long> known) {}
}
