package org.calsdk.testkit.radicale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RadicaleServerTest {

    private static int get(String url, String user, String password) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestProperty(
                "Authorization",
                "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void startsOnLoopbackWithUsersAndStopsByPid() throws Exception {
        Path storage;
        long pid;
        try (RadicaleServer r = RadicaleServer.builder()
                .user("alice", "a-pw")
                .user("bob", "b-pw")
                .startOrSkip()) {
            assertThat(r.baseUrl()).isEqualTo("http://127.0.0.1:" + r.port() + "/");
            assertThat(r.isRunning()).isTrue();
            pid = r.pid();
            storage = r.storageFolder();
            String cal = r.createCalendar("alice", "work", "Work <& more>");
            assertThat(cal).isEqualTo(r.baseUrl() + "alice/work/");
            assertThat(get(cal, "alice", "a-pw")).isEqualTo(200);
            assertThat(get(cal, "alice", "wrong")).isEqualTo(401);
            assertThat(get(cal, "bob", "b-pw")).isEqualTo(403); // owner_only rights
            assertThatThrownBy(() -> r.createCalendar("carol", "x", "X")).isInstanceOf(NullPointerException.class);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(Files.exists(storage)).isFalse();
    }

    @Test
    void refusesUnsafeUserNames() {
        assertThatThrownBy(() -> RadicaleServer.builder().user("a:b", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RadicaleServer.builder().user("ok", "line\nbreak"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RadicaleServer.builder().start()).isInstanceOf(IllegalStateException.class);
    }
}
