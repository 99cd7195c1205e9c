package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.calsdk.api.SyncCursor;
import org.calsdk.model.CalendarRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2SyncStateStoreTest extends SyncStateStoreContract {
    @TempDir
    Path dir;

    @Override
    SyncStateStore newStore() {
        return JdbcSyncStateStore.h2(dir);
    }

    @Test
    void stateSurvivesReopeningTheFileAndMigrationsRunOnce() {
        store.addMailbox("team", ALICE);
        store.saveCursor(CalendarRef.primary(ALICE), SyncCursor.of("c9"));
        store.close();
        assertThat(Files.exists(dir.resolve(JdbcSyncStateStore.H2_FILE_NAME + ".mv.db")))
                .isTrue();
        store = JdbcSyncStateStore.h2(dir);
        assertThat(store.cursor(CalendarRef.primary(ALICE))).isEqualTo(SyncCursor.of("c9"));
    }

    @Test
    void h2CredentialsInTheUrlNeverShowInToStringOrErrors() throws Exception {
        java.nio.file.Path secured = dir.resolve("secured");
        Files.createDirectories(secured);
        String url = "jdbc:h2:file:" + secured.resolve("db").toAbsolutePath() + ";USER=sa;PASSWORD=h2-s3cret-pw";
        try (JdbcSyncStateStore s = JdbcSyncStateStore.open(url, null, null)) {
            assertThat(s.integrations()).isEmpty();
            assertThat(s.toString()).doesNotContain("h2-s3cret-pw").contains("secured");
        }
        String wrong = "jdbc:h2:file:" + secured.resolve("db").toAbsolutePath() + ";user=sa;password=wrong-s3cret-pw";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbcSyncStateStore.open(wrong, null, null))
                .isInstanceOf(StoreOpenException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-s3cret-pw"));
    }

    @Test
    void aVersion6FileIsMigratedToMailboxesPerIntegrationLosingNothing() throws Exception {
        java.nio.file.Path old = dir.resolve("old6");
        Files.createDirectories(old);
        String url = "jdbc:h2:file:" + old.resolve("v6").toAbsolutePath();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            SchemaV1.createV6(c);
        }
        try (JdbcSyncStateStore st = JdbcSyncStateStore.open(url, "sa", org.calsdk.auth.Secret.of(""))) {
            SchemaV1.checkV6Migrated(st);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            assertThat(SchemaV1.versions(c)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    @Test
    void aVersion1FileIsMigratedKeepingItsState() throws Exception {
        java.nio.file.Path old = dir.resolve("old");
        Files.createDirectories(old);
        String url = "jdbc:h2:file:" + old.resolve("v1").toAbsolutePath();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            SchemaV1.create(c);
        }
        try (JdbcSyncStateStore st = JdbcSyncStateStore.open(url, "sa", org.calsdk.auth.Secret.of(""))) {
            SchemaV1.checkMigrated(st);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            assertThat(SchemaV1.versions(c)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }
}
