package org.calsdk.testkit.radicale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;

/**
 * A real <a href="https://radicale.org">Radicale</a> CalDAV server for tests: started as a child
 * process on a free port of 127.0.0.1, with its own temporary storage folder and a plain-text htpasswd
 * file of the users you add, and stopped by its own process id (never by name).
 *
 * <p>Radicale must be installed ({@code apt-get install radicale}); {@link #assumeInstalled()} turns a
 * missing Radicale into a skipped test with a loud message, except when the environment variable
 * {@code CI=true} is set, where it fails the build instead (so CI cannot silently skip the real-server
 * tests).
 *
 * <pre>{@code
 * try (RadicaleServer radicale = RadicaleServer.builder().user("alice", "secret").startOrSkip()) {
 *     String home = radicale.createCalendar("alice", "work", "Work");   // MKCALENDAR, returns its URL
 *     ConnectionConfig cfg = ConnectionConfig.builder("caldav")
 *         .setting("url", radicale.baseUrl())
 *         .setting("allowPrivateNetwork", "true")
 *         ...
 * }
 * }</pre>
 *
 * <p>Passwords are stored in plain text in the temporary htpasswd file (the server listens on loopback
 * only and the file is deleted on {@link #close()}); that keeps the launcher free of a bcrypt
 * dependency.
 *
 * @since 0.1
 */
public final class RadicaleServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path dir;
    private final int port;
    private final Map<String, String> users;
    private final OkHttpClient http;

    private RadicaleServer(Process process, Path dir, int port, Map<String, String> users) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.users = Map.copyOf(users);
        this.http =
                new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Starts building a server.
     *
     * @return a builder with no users and a 20 s start timeout
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code radicale} executable to run: {@code $RADICALE} when set, else {@code radicale} on the PATH.
     *
     * @return the path or name of the executable
     */
    public static String executable() {
        String env = System.getenv("RADICALE");
        return env == null || env.isBlank() ? "radicale" : env;
    }

    /**
     * Whether the {@code radicale} executable can be found on the PATH (or at {@code $RADICALE}).
     *
     * @return true when it was found
     */
    public static boolean isInstalled() {
        String exe = executable();
        if (exe.contains("/")) {
            return Files.isExecutable(Path.of(exe));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this run is CI ({@code CI=true}), where a missing or broken Radicale must fail the build.
     *
     * @return true when the {@code CI} environment variable is {@code true}
     */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips the calling test (loudly, on stderr) when Radicale is not installed; in CI ({@code CI=true})
     * throws {@link IllegalStateException} instead, failing the build.
     */
    public static void assumeInstalled() {
        if (isInstalled()) {
            return;
        }
        String msg = "Radicale is not installed (no '" + executable() + "' on the PATH): the tests against a real "
                + "CalDAV server cannot run. Install it with 'apt-get install radicale' (./run-tests does this when root).";
        if (isCi()) {
            throw new IllegalStateException("CI=true and " + msg);
        }
        System.err.println("***** SKIPPING REAL-SERVER TESTS: " + msg + " *****");
        Assumptions.abort(msg);
    }

    /**
     * The port it listens on (127.0.0.1).
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * {@code http://127.0.0.1:PORT/}.
     *
     * @return the root URL
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /**
     * The storage folder (inside the temporary folder).
     *
     * @return the folder
     */
    public Path storageFolder() {
        return dir.resolve("collections");
    }

    /**
     * The server's process id.
     *
     * @return the process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether the process is still running.
     *
     * @return true while the process is alive
     */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Creates a calendar collection {@code /USER/NAME/} for {@code user} (MKCALENDAR) holding events.
     *
     * @param user the owner's user name
     * @param name the collection's path segment
     * @param displayName its display name
     * @return the calendar's absolute URL
     * @throws IllegalStateException when Radicale refuses
     */
    public String createCalendar(String user, String name, String displayName) {
        String password = Objects.requireNonNull(users.get(user), () -> "unknown user " + user);
        String url = baseUrl() + user + "/" + name + "/";
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop>"
                + "<D:displayname>" + escape(displayName) + "</D:displayname>"
                + "<C:supported-calendar-component-set><C:comp name=\"VEVENT\"/></C:supported-calendar-component-set>"
                + "</D:prop></D:set></C:mkcalendar>";
        Request req = new Request.Builder()
                .url(url)
                .header("Authorization", Credentials.basic(user, password, StandardCharsets.UTF_8))
                .method("MKCALENDAR", RequestBody.create(body, MediaType.get("application/xml; charset=utf-8")))
                .build();
        try (Response r = http.newCall(req).execute()) {
            if (r.code() != 201) {
                throw new IllegalStateException("Radicale refused MKCALENDAR " + url + ": HTTP " + r.code());
            }
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException("MKCALENDAR " + url + " failed", e);
        }
    }

    /**
     * The last lines Radicale logged (for failure messages).
     *
     * @return the last lines of the log, possibly empty
     */
    public String logTail() {
        return tail(dir.resolve("radicale.log"));
    }

    /** Stops the server by its PID (and its child processes) and deletes the temporary folder. Idempotent. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroy);
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "RadicaleServer[" + baseUrl() + ", pid=" + process.pid() + ", users=" + users.keySet() + "]";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file is not worth failing a test over
                }
            });
        } catch (IOException ignored) {
            // best effort, see above
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Configures and starts a {@link RadicaleServer}. */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private Duration startTimeout = START_TIMEOUT;

        private Builder() {}

        /**
         * Adds a user with a password (letters, digits and {@code ._-} only in the name).
         *
         * @param name the user name
         * @param password the password
         * @return this builder
         */
        public Builder user(String name, String password) {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(password, "password == null");
            if (!name.matches("[A-Za-z0-9._-]+") || password.contains("\n") || password.contains(":")) {
                throw new IllegalArgumentException(
                        "user names must be [A-Za-z0-9._-]+ and passwords must not " + "contain ':' or newlines");
            }
            users.put(name, password);
            return this;
        }

        /**
         * How long to wait for the server to answer before giving up (default 20 s).
         *
         * @param timeout the longest wait
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout == null");
            return this;
        }

        /**
         * For tests: {@link #start()}, but a Radicale that is missing or cannot start skips the calling test
         * with a loud message on stderr, except with {@code CI=true}, where it fails (throws).
         *
         * @return the running server
         */
        public RadicaleServer startOrSkip() {
            assumeInstalled();
            try {
                return start();
            } catch (IllegalStateException e) {
                if (isCi()) {
                    throw e;
                }
                System.err.println(
                        "***** SKIPPING REAL-SERVER TESTS: Radicale did not start: " + e.getMessage() + " *****");
                Assumptions.abort("Radicale did not start: " + e.getMessage());
                throw e; // not reached: abort throws
            }
        }

        /**
         * Starts Radicale and waits until it answers HTTP.
         *
         * @return the running server
         * @throws IllegalStateException when it is not installed or does not come up (with its log)
         */
        public RadicaleServer start() {
            if (users.isEmpty()) {
                throw new IllegalStateException("add at least one user");
            }
            if (!isInstalled()) {
                throw new IllegalStateException("radicale is not installed (apt-get install radicale)");
            }
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return startOnce();
                } catch (IllegalStateException e) {
                    last = e; // most likely the free port was taken between probing and binding: try another
                }
            }
            throw last;
        }

        private RadicaleServer startOnce() {
            Path dir = null;
            Process p = null;
            try {
                dir = Files.createTempDirectory("radicale-");
                Path htpasswd = dir.resolve("users");
                StringBuilder sb = new StringBuilder();
                users.forEach((u, pw) -> sb.append(u).append(':').append(pw).append('\n'));
                Files.writeString(htpasswd, sb.toString(), StandardCharsets.UTF_8);
                Files.createDirectories(dir.resolve("collections"));
                int port = freePort();
                List<String> cmd = new ArrayList<>(List.of(
                        executable(),
                        "--config",
                        "",
                        "--server-hosts",
                        "127.0.0.1:" + port,
                        "--auth-type",
                        "htpasswd",
                        "--auth-htpasswd-filename",
                        htpasswd.toString(),
                        "--auth-htpasswd-encryption",
                        "plain",
                        "--rights-type",
                        "owner_only",
                        "--web-type",
                        "none",
                        "--storage-filesystem-folder",
                        dir.resolve("collections").toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("radicale.log").toFile());
                p = pb.start();
                long deadline = System.nanoTime() + startTimeout.toNanos();
                while (System.nanoTime() < deadline) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(
                                "radicale exited with " + p.exitValue() + ":\n" + tail(dir.resolve("radicale.log")));
                    }
                    if (answers(port)) {
                        return new RadicaleServer(p, dir, port, users);
                    }
                    Thread.sleep(100);
                }
                throw new IllegalStateException("radicale did not answer on 127.0.0.1:" + port + " within "
                        + startTimeout + ":\n" + tail(dir.resolve("radicale.log")));
            } catch (IOException e) {
                cleanup(p, dir);
                throw new IllegalStateException("cannot start radicale: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cleanup(p, dir);
                throw new IllegalStateException("interrupted while starting radicale", e);
            } catch (IllegalStateException e) {
                cleanup(p, dir);
                throw e;
            }
        }

        private static void cleanup(Process p, Path dir) {
            if (p != null) {
                p.destroyForcibly();
            }
            if (dir != null) {
                deleteRecursively(dir);
            }
        }

        private static boolean answers(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                s.setSoTimeout(1000);
                s.getOutputStream()
                        .write(("OPTIONS / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[12];
                int n = s.getInputStream().read(buf);
                return n > 8 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/");
            } catch (IOException e) {
                return false;
            }
        }
    }
}
