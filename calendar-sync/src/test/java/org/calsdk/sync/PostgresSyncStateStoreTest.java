package org.calsdk.sync;

import java.sql.Connection;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
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
                    org.assertj.core.api.Assertions.assertThat(st.integrations()).isEmpty();
                }
            }
            try (Connection c = pg.getDatabase("postgres", "racing").getConnection(); Statement s = c.createStatement();
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
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        if (dbCounter % 2 == 0) {
            // credentials in the URL work too (and are kept out of the pool's logs)
            return JdbcSyncStateStore.open(pg.getJdbcUrl("postgres", db) + "&password=postgres", null, null);
        }
        return JdbcSyncStateStore.open(pg.getJdbcUrl("postgres", db), "postgres", Secret.of("postgres"));
    }

    @org.junit.jupiter.api.Test
    void aVersion1DatabaseIsMigratedKeepingItsState() throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE old_v1");
        }
        try (Connection c = pg.getDatabase("postgres", "old_v1").getConnection()) {
            SchemaV1.create(c);
        }
        try (JdbcSyncStateStore st = JdbcSyncStateStore.open(pg.getJdbcUrl("postgres", "old_v1"), "postgres",
                Secret.of("postgres"))) {
            SchemaV1.checkMigrated(st);
        }
        try (Connection c = pg.getDatabase("postgres", "old_v1").getConnection()) {
            org.assertj.core.api.Assertions.assertThat(SchemaV1.versions(c)).containsExactly(1, 2, 3);
        }
    }
}
