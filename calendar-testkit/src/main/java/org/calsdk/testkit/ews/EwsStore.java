package org.calsdk.testkit.ews;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;

/**
 * The fake EWS server's state: mailboxes, each with one calendar folder of items kept in the core event
 * model, a change log per folder for {@code SyncFolderItems}, the service accounts and the mailboxes each
 * may impersonate. Guarded by its own monitor; handlers lock it for a whole operation.
 */
final class EwsStore {
    /** One calendar item: a single event or a series master (overrides and EXDATEs inside {@link #event}). */
    static final class Item {
        final String id;
        final String mailbox;
        final String folderId;
        final Instant created;
        Instant modified;
        int change = 1;
        Event event;
        String myResponse = "Organizer";
        final Map<String, String> extended = new LinkedHashMap<>();

        Item(String id, String mailbox, String folderId, Instant now, Event event) {
            this.id = id;
            this.mailbox = mailbox;
            this.folderId = folderId;
            this.created = now;
            this.modified = now;
            this.event = event;
        }

        String changeKey() {
            return "CQAAABYAAA" + Integer.toString(change, 36) + id.substring(id.length() - 6);
        }
    }

    /** One entry of a folder's change log. */
    record Change(long seq, String kind, String itemId) {}

    static final class Box {
        final String email;
        final String folderId =
                "AAMkAGCal" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        final Map<String, Item> items = new LinkedHashMap<>();
        final List<Change> log = new ArrayList<>();
        long generation = 1;
        String displayName;
        final List<String> aliases = new ArrayList<>();

        Box(String email) {
            this.email = email;
        }

        /** The sequence number of the latest change in this folder, 0 before any. */
        long lastSeq() {
            return log.isEmpty() ? 0 : log.get(log.size() - 1).seq();
        }
    }

    final Map<String, Box> boxes = new LinkedHashMap<>();
    /** Meeting messages the fake "sent" (it delivers none): what tests check notification control against. */
    final List<FakeEwsServer.SentMessage> sent = new ArrayList<>();
    /** Pull subscriptions by id. */
    final Map<String, EwsSubscriptions.Sub> subscriptions = new LinkedHashMap<>();

    final Map<String, String> accounts = new LinkedHashMap<>();
    /** Service account name → mailboxes it may impersonate (null: every mailbox). */
    final Map<String, Set<String>> impersonationScopes = new LinkedHashMap<>();

    boolean anyExampleMailbox;
    /** NTLM instead of Basic: the NetBIOS domain offered, or null for Basic. */
    String ntlmDomain;
    /** The NTLM Type 3 messages accepted (most recent last, at most 1,000 kept). */
    final List<FakeEwsServer.NtlmLogin> ntlmLogins = new ArrayList<>();

    long seq;
    int serverBusyCalls;
    long serverBusyBackOff;

    Box box(String email) {
        String e = email.toLowerCase(Locale.ROOT);
        Box b = boxes.get(e);
        if (b == null && anyExampleMailbox && e.endsWith("@example.com")) {
            b = new Box(e);
            boxes.put(e, b);
        }
        return b;
    }

    Box boxByFolder(String folderId) {
        return boxes.values().stream()
                .filter(b -> b.folderId.equals(folderId))
                .findFirst()
                .orElse(null);
    }

    void log(Box b, String kind, String itemId) {
        b.log.add(new Change(++seq, kind, itemId));
        if (b.log.size() > 100_000) {
            b.log.remove(0);
        }
    }

    void send(String kind, String from, List<String> to, String itemId) {
        if (!to.isEmpty() && sent.size() < 10_000) {
            sent.add(new FakeEwsServer.SentMessage(kind, from, List.copyOf(to), itemId));
        }
    }

    static String newItemId() {
        return "AAMkAGI" + UUID.randomUUID().toString().replace("-", "");
    }

    /** An occurrence's item id: the master's id and the occurrence's original start. */
    static String occurrenceId(String masterId, EventTime originalStart, ZoneId zone) {
        return masterId + "~" + originalStart.toInstant(zone).getEpochSecond();
    }

    static String syncState(Box b, long seq) {
        String raw = "calsdk-fake-ews:" + b.email + ":" + b.generation + ":" + seq;
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The log position a sync state names, or -1 when it is not one this box issued in its current generation. */
    static long parseSyncState(Box b, String state) {
        try {
            String raw = new String(Base64.getDecoder().decode(state), StandardCharsets.UTF_8);
            String[] p = raw.split(":");
            if (p.length != 4
                    || !p[0].equals("calsdk-fake-ews")
                    || !p[1].equals(b.email)
                    || Long.parseLong(p[2]) != b.generation) {
                return -1;
            }
            return Long.parseLong(p[3]);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
