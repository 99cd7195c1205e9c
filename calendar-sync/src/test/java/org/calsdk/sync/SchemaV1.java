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

import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.api.Subscription;
import org.calsdk.api.SyncCursor;

/** A database as version 1 of the SDK left it (schema V1 and some state), for the migration tests. */
final class SchemaV1 {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");

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
            s.execute("INSERT INTO sync_cursor (email_norm, calendar_id, cursor_value) VALUES ('alice@example.com', 'primary', 'c7')");
        }
    }

    /** The old state is there, and the version 2 table works. */
    static void checkMigrated(SyncStateStore store) {
        CalendarRef cal = CalendarRef.primary(ALICE);
        assertThat(store.integration("team")).isPresent();
        assertThat(store.mailbox(ALICE)).isPresent();
        assertThat(store.cursor(cal)).isEqualTo(SyncCursor.of("c7"));
        Subscription sub = new Subscription("sub-1", cal, null, Instant.parse("2026-03-02T10:00:00Z"),
                org.calsdk.auth.Secret.of("s3cret"));
        store.saveSubscription(sub);
        assertThat(store.subscription(cal)).contains(sub);
    }

    static List<Integer> versions(Connection c) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM sync_schema_version ORDER BY version")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }
}
