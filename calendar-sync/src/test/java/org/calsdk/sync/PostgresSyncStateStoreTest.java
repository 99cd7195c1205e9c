package org.calsdk.sync;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.calsdk.auth.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresSyncStateStoreTest extends SyncStateStoreContract {
    static EmbeddedPostgres pg;
    static int dbCounter;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        TestPostgres.stop(pg);
    }

    @org.junit.jupiter.api.Test
    void twoEnginesMigratingOneFreshDatabaseAtOnceApplyTheSchemaOnce() throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE racing");
        }
        String url = pg.getJdbcUrl("postgres", "racing");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<JdbcSyncStateStore>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                opened.add(pool.submit(() -> {
                    go.await();
                    return JdbcSyncStateStore.open(url, "postgres", Secret.of("postgres"));
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<JdbcSyncStateStore> f : opened) {
                try (JdbcSyncStateStore st = f.get()) {
                    org.assertj.core.api.Assertions.assertThat(st.integrations())
                            .isEmpty();
                }
            }
            try (Connection c = pg.getDatabase("postgres", "racing").getConnection();
                    Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sync_schema_version")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getInt(1))
                        .isEqualTo(org.calsdk.sync.internal.SchemaMigrator.latestVersion());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    SyncStateStore newStore() throws Exception {
        String db = "store_" + (++dbCounter);
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        if (dbCounter % 2 == 0) {
            // credentials in the URL work too (and are kept out of the pool's logs)
            return JdbcSyncStateStore.open(pg.getJdbcUrl("postgres", db) + "&password=postgres", null, null);
        }
        return JdbcSyncStateStore.open(pg.getJdbcUrl("postgres", db), "postgres", Secret.of("postgres"));
    }

    @org.junit.jupiter.api.Test
    void aVersion6DatabaseIsMigratedToMailboxesPerIntegrationLosingNothing() throws Exception {
        String url = freshDatabase("old_v6");
        try (Connection c = pg.getDatabase("postgres", "old_v6").getConnection()) {
            SchemaV1.createV6(c);
        }
        try (JdbcSyncStateStore st = JdbcSyncStateStore.open(url, "postgres", Secret.of("postgres"))) {
            SchemaV1.checkV6Migrated(st);
        }
        try (Connection c = pg.getDatabase("postgres", "old_v6").getConnection()) {
            org.assertj.core.api.Assertions.assertThat(SchemaV1.versions(c)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    @org.junit.jupiter.api.Test
    void aVersion1DatabaseIsMigratedKeepingItsState() throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE old_v1");
        }
        try (Connection c = pg.getDatabase("postgres", "old_v1").getConnection()) {
            SchemaV1.create(c);
        }
        try (JdbcSyncStateStore st =
                JdbcSyncStateStore.open(pg.getJdbcUrl("postgres", "old_v1"), "postgres", Secret.of("postgres"))) {
            SchemaV1.checkMigrated(st);
        }
        try (Connection c = pg.getDatabase("postgres", "old_v1").getConnection()) {
            org.assertj.core.api.Assertions.assertThat(SchemaV1.versions(c)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    static String freshDatabase(String name) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    static java.util.Set<String> tables(String db) throws Exception {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (Connection c = pg.getDatabase("postgres", db).getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Issue 10 §3 on PostgreSQL: a database with other tables and no sync store marker is refused, untouched. */
    @org.junit.jupiter.api.Test
    void aDatabaseWithOtherTablesAndNoMarkerIsRefusedAndLeftAlone() throws Exception {
        String url = freshDatabase("someone_else");
        try (Connection c = pg.getDatabase("postgres", "someone_else").getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
        }
        StoreOpenException e = H2StoreOpenTest.refused(
                () -> JdbcSyncStateStore.open(url, "postgres", Secret.of("postgres")),
                StoreOpenException.Reason.NOT_A_SYNC_STORE);
        org.assertj.core.api.Assertions.assertThat(e.getMessage())
                .contains("[orders]")
                .doesNotContain("postgres@");
        H2StoreOpenTest.refused(
                () -> JdbcSyncStateStore.openReadOnly(url, "postgres", Secret.of("postgres")),
                StoreOpenException.Reason.NOT_A_SYNC_STORE);
        org.assertj.core.api.Assertions.assertThat(tables("someone_else")).containsExactly("orders");
        // the host's own database, shared on purpose through its DataSource, is accepted
        try (JdbcSyncStateStore shared = JdbcSyncStateStore.of(pg.getDatabase("postgres", "someone_else"))) {
            org.assertj.core.api.Assertions.assertThat(shared.integrations()).isEmpty();
        }
        org.assertj.core.api.Assertions.assertThat(tables("someone_else"))
                .contains("orders", "sync_store", "sync_mailbox");
    }

    @org.junit.jupiter.api.Test
    void aNewerSchemaVersionIsRefusedAndAReadOnlyOpenWritesNothing() throws Exception {
        String url = freshDatabase("newer");
        H2StoreOpenTest.refused(
                () -> JdbcSyncStateStore.openReadOnly(url, "postgres", Secret.of("postgres")),
                StoreOpenException.Reason.NOT_FOUND);
        org.assertj.core.api.Assertions.assertThat(tables("newer"))
                .as("a read-only open creates nothing")
                .isEmpty();
        java.util.List<Object> state;
        try (JdbcSyncStateStore st = JdbcSyncStateStore.open(url, "postgres", Secret.of("postgres"))) {
            StoreStates.fill(st, "a");
            state = StoreStates.snapshot(st);
        }
        try (JdbcSyncStateStore ro = JdbcSyncStateStore.openReadOnly(url, "postgres", Secret.of("postgres"))) {
            org.assertj.core.api.Assertions.assertThat(StoreStates.snapshot(ro)).isEqualTo(state);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ro.requestSync(StoreStates.ALICE))
                    .isInstanceOf(org.calsdk.errors.InvalidInputException.class)
                    .hasMessageContaining("read-only");
        }
        try (Connection c = pg.getDatabase("postgres", "newer").getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO sync_schema_version (version, applied_at) VALUES (99, 0)");
        }
        StoreOpenException e = H2StoreOpenTest.refused(
                () -> JdbcSyncStateStore.open(url, "postgres", Secret.of("postgres")),
                StoreOpenException.Reason.NEWER_SCHEMA);
        org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("schema version 99");
    }

    /** Open failures are one attempt and one line: a closed port, a missing database, wrong credentials. */
    @org.junit.jupiter.api.Test
    void openFailuresAreImmediateOneLineAndTyped() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Throwable down = org.assertj.core.api.Assertions.catchThrowable(() -> JdbcSyncStateStore.open(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/x", "postgres", Secret.of("pg-s3cret")));
        org.assertj.core.api.Assertions.assertThat(down)
                .isInstanceOf(org.calsdk.errors.ProviderUnavailableException.class);
        org.assertj.core.api.Assertions.assertThat(((org.calsdk.errors.CalendarException) down).retryable())
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(down.getMessage())
                .doesNotContain("\n")
                .doesNotContain("pg-s3cret")
                .contains("cannot reach the database");
        for (Throwable t = down; t != null; t = t.getCause()) {
            org.assertj.core.api.Assertions.assertThat(t.getClass().getName()).doesNotContain("hikari");
        }
        H2StoreOpenTest.refused(
                () -> JdbcSyncStateStore.open(
                        pg.getJdbcUrl("postgres", "no_such_db"), "postgres", Secret.of("postgres")),
                StoreOpenException.Reason.CANNOT_OPEN);
        StoreOpenException creds = H2StoreOpenTest.refused(
                () -> JdbcSyncStateStore.open(
                        pg.getJdbcUrl("postgres", "postgres"), "nobody", Secret.of("wrong-s3cret")),
                StoreOpenException.Reason.CANNOT_OPEN);
        org.assertj.core.api.Assertions.assertThat(creds.getMessage()).doesNotContain("wrong-s3cret");
    }
}
