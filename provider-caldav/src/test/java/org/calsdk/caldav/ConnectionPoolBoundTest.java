package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.calsdk.api.CalendarConnection;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.Test;

/**
 * Many open CalDAV connections share one bounded pool of idle sockets: 150 connections, each discovered
 * and used once and left open, hold far fewer than 150 sockets. (With a pool per connection every open
 * connection kept its socket for 5 minutes, and 10,000 of them ran the process out of file descriptors.)
 * Counts this process's open file descriptors, so it runs where {@code /proc/self/fd} exists.
 */
class ConnectionPoolBoundTest {
    private static long openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void openConnectionsDoNotEachKeepASocket() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        int n = 150;
        List<CalendarConnection> open = new ArrayList<>();
        try (FakeCalDavServer dav =
                FakeCalDavServer.builder().openDomain(true).build().start()) {
            CalDavProvider provider = CalDavProvider.builder().build();
            CalendarConnection first =
                    provider.connect(dav.connectionConfig("user0").build());
            open.add(first);
            first.changes().changedCalendars(Mailbox.of("user0@example.com"), Map.of());
            long before = openFiles();
            for (int i = 1; i <= n; i++) {
                CalendarConnection c =
                        provider.connect(dav.connectionConfig("user" + i).build());
                open.add(c);
                assertThat(c.changes().changedCalendars(Mailbox.of("user" + i + "@example.com"), Map.of()))
                        .isNotEmpty();
            }
            // client and server end of each kept socket live in this process: 2 descriptors per socket
            assertThat(openFiles() - before).isLessThan(2L * CalDavProvider.MAX_IDLE + 20);
        } finally {
            for (CalendarConnection c : open) {
                c.close();
            }
        }
    }
}
