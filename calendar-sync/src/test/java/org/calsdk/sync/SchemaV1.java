package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;

/** A database as version 1 of the SDK left it (schema V1 and some state), for the migration tests. */
final class SchemaV1 {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    /** What a pre-V8 record of a write held. */
    static final org.calsdk.model.Event WRITTEN = org.calsdk.model.Event.builder()
            .summary("Interview (moved)")
            .start(org.calsdk.model.EventTime.of(java.time.ZonedDateTime.parse("2026-03-02T10:00:00Z")))
            .end(org.calsdk.model.EventTime.of(java.time.ZonedDateTime.parse("2026-03-02T11:00:00Z")))
            .build();

    private SchemaV1() {}

    static void create(Connection c) throws SQLException, IOException {
        String sql;
        try (InputStream in = SchemaV1.class.getResourceAsStream("/org/calsdk/sync/internal/db/V1__sync_state.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder noComments = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) {
                noComments.append(line).append('\n');
            }
        }
        try (Statement s = c.createStatement()) {
            for (String statement : noComments.toString().split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
            s.execute("CREATE TABLE sync_schema_version (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)");
            s.execute("INSERT INTO sync_schema_version (version, applied_at) VALUES (1, 0)");
            s.execute("INSERT INTO sync_integration (name, provider, status) VALUES ('team', 'memory', 'ACTIVE')");
            s.execute("INSERT INTO sync_mailbox (email_norm, email, integration, enabled, connected, next_sync_at)"
                    + " VALUES ('alice@example.com', 'alice@example.com', 'team', TRUE, TRUE, 0)");
            s.execute(
                    "INSERT INTO sync_cursor (email_norm, calendar_id, cursor_value) VALUES ('alice@example.com', 'primary', 'c7')");
        }
    }

    /** The old state is there, and the version 2 table works. */
    static void checkMigrated(SyncStateStore store) {
        CalendarRef cal = CalendarRef.primary(ALICE);
        assertThat(store.integration("team")).isPresent();
        assertThat(store.mailbox(ALICE)).isPresent();
        assertThat(store.cursor(cal)).isEqualTo(SyncCursor.of("c7"));
        Subscription sub = new Subscription(
                "sub-1", cal, null, Instant.parse("2026-03-02T10:00:00Z"), org.calsdk.auth.Secret.of("s3cret"));
        store.saveSubscription(sub);
        assertThat(store.subscription(cal)).contains(sub);
    }

    /** Runs a migration file of this SDK as the migrator would (statements split at semicolons). */
    private static void run(Connection c, String file) throws SQLException, IOException {
        String sql;
        try (InputStream in = SchemaV1.class.getResourceAsStream("/org/calsdk/sync/internal/db/" + file)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder noComments = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) {
                noComments.append(line).append('\n');
            }
        }
        try (Statement s = c.createStatement()) {
            for (String statement : noComments.toString().split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    /**
     * A database as version 6 left it (one mailbox per email), holding state in every table: two integrations,
     * three mailboxes (one leased, one with a requested sync), cursors, app and external mappings, pending and
     * given-up pushes, and a subscription.
     */
    static void createV6(Connection c) throws SQLException, IOException {
        for (String f : List.of(
                "V1__sync_state.sql",
                "V2__push_subscriptions.sql",
                "V3__store_marker.sql",
                "V4__subscription_secrets.sql",
                "V5__lease_generation.sql",
                "V6__due_queue.sql")) {
            run(c, f);
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sync_schema_version (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)");
            s.execute("INSERT INTO sync_schema_version (version, applied_at) VALUES (1, 0), (2, 0), (3, 0), (4, 0),"
                    + " (5, 0), (6, 0)");
            s.execute("INSERT INTO sync_integration (name, provider, status) VALUES ('team', 'memory', 'ACTIVE'),"
                    + " ('solo', 'caldav', 'ACTIVE')");
            s.execute(
                    "INSERT INTO sync_mailbox (email_norm, email, integration, enabled, connected, last_sync_at,"
                            + " last_error, failures, next_sync_at, lease_owner, lease_until, lease_generation, sync_requested)"
                            + " VALUES ('alice@example.com', 'Alice@Example.com', 'team', TRUE, TRUE, 5, NULL, 0, 900,"
                            + " 'node#1', 99999999999999, 7, FALSE),"
                            + " ('bob@example.com', 'bob@example.com', 'team', FALSE, TRUE, NULL, 'boom', 3, 1000, NULL, NULL, 2, TRUE),"
                            + " ('carol@example.com', 'carol@example.com', 'solo', TRUE, TRUE, NULL, NULL, 0, 0, NULL, NULL, 0, FALSE)");
            s.execute("INSERT INTO sync_cursor (email_norm, calendar_id, cursor_value) VALUES"
                    + " ('alice@example.com', 'primary', 'a1'), ('alice@example.com', 'work', 'a2'),"
                    + " ('carol@example.com', 'primary', 'c1')");
            s.execute("INSERT INTO sync_event (email_norm, calendar_id, event_id, event_key, version, base) VALUES"
                    + " ('alice@example.com', 'primary', 'ev-1', 'k1', 'v1', NULL),"
                    + " ('alice@example.com', 'primary', 'ev-2', NULL, 'v2', NULL),"
                    + " ('carol@example.com', 'primary', 'ev-3', 'k3', 'v3', NULL)");
            // records of writes kept the pre-V8 way: one about ev-1 (moves into its row), one about a gone event
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO sync_event (email_norm, calendar_id,"
                    + " event_id, event_key, version, base) VALUES ('alice@example.com', 'primary', ?, NULL, ?, ?)")) {
                ps.setString(1, "calsdk:w:ev-1");
                ps.setString(2, "v1");
                ps.setString(3, org.calsdk.sync.internal.EventCodec.write(WRITTEN));
                ps.executeUpdate();
                ps.setString(1, "calsdk:w:ev-gone");
                ps.setString(2, "v0");
                ps.setString(3, org.calsdk.sync.internal.EventCodec.write(WRITTEN));
                ps.executeUpdate();
            }
            s.execute("INSERT INTO sync_outbox (email_norm, calendar_id, event_key, operation, payload, attempts,"
                    + " next_attempt_at, last_error, failed) VALUES"
                    + " ('alice@example.com', 'primary', 'k9', 'DELETE', NULL, 0, 0, NULL, FALSE)");
            s.execute("INSERT INTO sync_outbox (email_norm, calendar_id, event_key, operation, payload, attempts,"
                    + " next_attempt_at, last_error, failed) VALUES"
                    + " ('bob@example.com', 'primary', 'k8', 'DELETE', NULL, 5, 0, 'gave up', TRUE)");
            s.execute(
                    "INSERT INTO sync_subscription (email_norm, calendar_id, subscription_id, resource_id, expires_at,"
                            + " client_state) VALUES ('carol@example.com', 'primary', 'sub-c', 'res-c', 12345, 'secret-c')");
        }
    }

    /** Everything {@link #createV6} stored is there after the migration, in its integration, and works. */
    static void checkV6Migrated(SyncStateStore store) {
        Mailbox bob = Mailbox.of("bob@example.com");
        Mailbox carol = Mailbox.of("carol@example.com");
        assertThat(store.mailboxes())
                .extracting(m -> m.mailbox().email() + "/" + m.integration())
                .containsExactly("Alice@Example.com/team", "bob@example.com/team", "carol@example.com/solo");
        MailboxStatus a = store.mailbox(ALICE).orElseThrow();
        assertThat(a.lastSyncAt()).isEqualTo(Instant.ofEpochMilli(5));
        assertThat(a.nextSyncAt()).isEqualTo(Instant.ofEpochMilli(900));
        assertThat(a.pendingPushes()).isEqualTo(1);
        assertThat(store.holdsLease(new MailboxLease(ALICE, "node#1", 7, "team")))
                .as("lease and generation kept")
                .isTrue();
        MailboxStatus b = store.mailbox(bob).orElseThrow();
        assertThat(b.enabled()).isFalse();
        assertThat(b.failures()).isEqualTo(3);
        assertThat(b.lastError()).isEqualTo("boom");
        assertThat(store.cursor(CalendarRef.primary(ALICE))).isEqualTo(SyncCursor.of("a1"));
        assertThat(store.cursor(CalendarRef.of(ALICE, "work"))).isEqualTo(SyncCursor.of("a2"));
        assertThat(store.cursor(CalendarRef.primary(carol))).isEqualTo(SyncCursor.of("c1"));
        assertThat(store.mappings(CalendarRef.primary(ALICE)))
                .as("V8: records of writes are no mapping rows any more")
                .extracting(EventMapping::eventId)
                .containsExactly("ev-1", "ev-2");
        SyncStateStore.PendingWrite moved =
                store.pendingWrite(CalendarRef.primary(ALICE), "ev-1").orElseThrow();
        assertThat(moved.version()).isEqualTo("v1");
        assertThat(moved.written().summary()).isEqualTo(WRITTEN.summary());
        assertThat(store.pendingWrite(CalendarRef.primary(ALICE), "ev-2")).isEmpty();
        assertThat(store.appMappings("solo")).extracting(EventMapping::eventId).containsExactly("ev-3");
        assertThat(store.outbox(ALICE)).hasSize(1);
        long aliceId = store.outbox(ALICE).get(0).id();
        assertThat(store.outbox(bob))
                .extracting(OutboxEntry::id, OutboxEntry::failed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(aliceId + 1, true));
        Subscription sub = store.subscriptionById("solo", "sub-c").orElseThrow();
        assertThat(sub.calendar()).isEqualTo(CalendarRef.primary(carol));
        assertThat(sub.matchesClientState("secret-c")).isTrue();
        // and the new shape works: the same email in a second integration, new outbox ids after the old ones
        store.addMailbox("solo", ALICE);
        assertThatThrownByAmbiguous(store);
        long id = store.enqueue(
                "solo", OutboxEntry.delete(CalendarRef.primary(ALICE), org.calsdk.model.EventKey.of("k1")));
        assertThat(id).isGreaterThan(aliceId + 1);
        assertThat(store.inIntegration("team").outbox(ALICE))
                .extracting(OutboxEntry::id)
                .containsExactly(aliceId);
        store.inIntegration("solo").removeMailbox(ALICE);
        assertThat(store.cursor(CalendarRef.primary(ALICE))).isEqualTo(SyncCursor.of("a1"));
    }

    private static void assertThatThrownByAmbiguous(SyncStateStore store) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.mailbox(ALICE))
                .isInstanceOf(AmbiguousMailboxException.class)
                .hasMessageContaining("[solo, team]");
    }

    static List<Integer> versions(Connection c) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM sync_schema_version ORDER BY version")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }
}
