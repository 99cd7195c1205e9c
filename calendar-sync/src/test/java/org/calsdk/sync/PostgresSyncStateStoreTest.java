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
        pg.close();
    }

    @Override
    SyncStateStore newStore() throws Exception {
        String db = "store_" + (++dbCounter);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        return JdbcSyncStateStore.open(pg.getJdbcUrl("postgres", db), "postgres", Secret.of("postgres"));
    }
}
