package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.calsdk.api.Subscription;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema V4 (each subscription keeps its own secret) on a database that version 2 left with a subscription
 * in it: the old row, which has no secret and cannot be verified, is forgotten; the rest of the state stays,
 * and subscriptions are stored with their secret and found by id afterwards.
 */
class SubscriptionSecretsMigrationTest {
    @TempDir
    Path dir;

    @Test
    void aVersion2SubscriptionWithoutSecretIsForgottenAndTheRestKept() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("v2").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            SchemaV1.create(c);
            try (Statement s = c.createStatement()) {
                for (String sql : statements("V2__push_subscriptions.sql")) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO sync_schema_version (version, applied_at) VALUES (2, 0)");
                s.execute(
                        "INSERT INTO sync_subscription (email_norm, calendar_id, subscription_id, resource_id, expires_at)"
                                + " VALUES ('alice@example.com', 'primary', 'old-sub', NULL, 4102444800000)");
            }
        }
        CalendarRef cal = CalendarRef.primary(SchemaV1.ALICE);
        try (JdbcSyncStateStore st = JdbcSyncStateStore.open(url, "sa", Secret.of(""))) {
            assertThat(st.subscription(cal))
                    .as("a V2 subscription has no secret of its own")
                    .isEmpty();
            assertThat(st.cursor(cal).value()).as("other state kept").isEqualTo("c7");
            Subscription sub = new Subscription(
                    "new-sub", cal, "res", Instant.parse("2030-01-01T00:00:00Z"), Secret.of("per-subscription"));
            st.saveSubscription(sub);
            assertThat(st.subscriptionById("team", "new-sub")).hasValueSatisfying(found -> {
                assertThat(found.calendar()).isEqualTo(cal);
                assertThat(found.matchesClientState("per-subscription")).isTrue();
            });
        }
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(SchemaV1.versions(c)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    private static java.util.List<String> statements(String file) throws Exception {
        String sql;
        try (InputStream in =
                SubscriptionSecretsMigrationTest.class.getResourceAsStream("/org/calsdk/sync/internal/db/" + file)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder noComments = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) {
                noComments.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(noComments.toString().split(";"))
                .filter(x -> !x.isBlank())
                .toList();
    }
}
