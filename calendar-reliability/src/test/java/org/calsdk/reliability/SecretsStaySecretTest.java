package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.EncryptedTokenStore;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.errors.CalendarException;
import org.calsdk.ews.EwsProvider;
import org.calsdk.examples.CalendarCli;
import org.calsdk.google.GoogleProvider;
import org.calsdk.graph.GraphProvider;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.Test;

/**
 * Promise: secrets stay secret. A representative run over the four providers (reads, writes, free/busy,
 * injected 401/500/resets, a wrong password, a revoked grant) and the CLI, with every log line at TRACE
 * captured by {@link CapturingSlf4jProvider}: no password, access token, refresh token or client secret
 * appears in a log line, an exception's message or stack text, a {@code toString()}, or the CLI's output.
 * A tampered {@link EncryptedTokenStore} record is refused.
 */
class SecretsStaySecretTest {
    private static final String ALICE = "alice@example.com";
    private final Map<String, String> secrets = new HashMap<>();
    private final List<String> texts = new ArrayList<>(); // exception texts, toString()s, CLI output

    private String secret(String what) {
        String s = what + "-" + UUID.randomUUID().toString().replace("-", "");
        secrets.put(what, s);
        CapturingSlf4jProvider.watch(s);
        return s;
    }

    private static RetryPolicy retries() {
        return Target.quickRetries();
    }

    @Test
    void noSecretInLogsErrorsToStringOrCliOutput() throws Exception {
        // the capture works: a watched value logged at TRACE is caught
        String canary = "canary-" + UUID.randomUUID();
        CapturingSlf4jProvider.watch(canary);
        org.slf4j.LoggerFactory.getLogger("org.calsdk.canary").trace("token {}", canary);
        assertThat(CapturingSlf4jProvider.leaks()).as("the capture sees TRACE").anyMatch(l -> l.contains(canary));
        caldavAndCli();
        google();
        graph();
        ews();
        List<String> leaks = new ArrayList<>(CapturingSlf4jProvider.leaks());
        leaks.removeIf(l -> l.contains(canary));
        for (String t : texts) {
            for (Map.Entry<String, String> s : secrets.entrySet()) {
                if (t.contains(s.getValue())) {
                    leaks.add(s.getKey() + " in: " + t);
                }
            }
        }
        Figures.record(
                "secrets",
                CapturingSlf4jProvider.lineCount() + " log lines at TRACE and " + texts.size()
                        + " exception texts / toString()s / CLI outputs checked for " + secrets.size() + " secrets "
                        + secrets.keySet().stream().sorted().toList() + ": " + leaks.size() + " found");
        assertThat(CapturingSlf4jProvider.lineCount())
                .as("the run logged something")
                .isPositive();
        assertThat(leaks).isEmpty();
    }

    private void exercise(CalendarConnection c, FaultScript faults, Supplier<CalendarConnection> reconnect) {
        CalendarRef cal = CalendarRef.primary(Mailbox.of(ALICE));
        texts.add(c.toString());
        Event made = c.writer()
                .create(
                        cal,
                        EventKey.of("secret-run-" + UUID.randomUUID()),
                        Event.builder()
                                .summary("x")
                                .start(EventTime.of(SoakRun.DAY0.atTime(9, 0).atZone(java.time.ZoneOffset.UTC)))
                                .end(EventTime.of(SoakRun.DAY0.atTime(10, 0).atZone(java.time.ZoneOffset.UTC)))
                                .build());
        texts.add(made.toString());
        c.reader().list(EventQuery.of(cal, SoakRun.WINDOW));
        c.freeBusy().query(FreeBusyRequest.of(List.of(Mailbox.of(ALICE)), SoakRun.WINDOW));
        for (Fault f : List.of(
                Fault.revokedToken(),
                Fault.serverError(),
                Fault.connectionReset(),
                Fault.truncatedBody(),
                Fault.status(403),
                Fault.status(400))) {
            faults.add(FaultRule.onAnyOperation().times(8).inject(f));
            capture(() -> c.reader().list(EventQuery.of(cal, SoakRun.WINDOW)));
            capture(() -> c.reader().get(cal, made.id().orElseThrow()));
            faults.clear();
        }
        try (CalendarConnection again = reconnect.get()) {
            capture(() -> again.reader().list(EventQuery.of(cal, SoakRun.WINDOW)));
        }
    }

    private void capture(Runnable r) {
        try {
            r.run();
        } catch (CalendarException e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            texts.add(w.toString());
            texts.add(String.valueOf(e.context()));
        }
    }

    private void caldavAndCli() throws Exception {
        String pw = secret("caldav-password");
        try (FakeCalDavServer dav = FakeCalDavServer.builder()
                .user("alice", pw)
                .calendar("alice", "calendar", "Calendar")
                .build()
                .start()) {
            ConnectionConfig cfg = dav.connectionConfig("alice").build();
            texts.add(cfg.toString());
            texts.add(cfg.credentials().orElseThrow().toString());
            try (CalendarConnection c =
                    CalDavProvider.builder().retryPolicy(retries()).build().connect(cfg)) {
                exercise(
                        c,
                        dav.faults(),
                        () -> CalDavProvider.builder()
                                .build()
                                .connect(ConnectionConfig.builder("caldav")
                                        .setting("url", dav.url())
                                        .setting("allowPrivateNetwork", "true")
                                        .setting("mailbox", ALICE)
                                        .credentials(PasswordCredentials.of("alice", Secret.of(pw + "-wrong")))
                                        .build()));
            }
            // the CLI, with the password in a file next to the connection file
            Path dir = Files.createTempDirectory("secrets-cli");
            Files.writeString(dir.resolve("pw.txt"), pw + "\n");
            Files.writeString(
                    dir.resolve("conn.json"),
                    "{\"provider\": \"caldav\", \"url\": \"" + dav.url()
                            + "\", \"username\": \"alice\", \"password\": {\"file\": \"pw.txt\"}, \"allowPrivateNetwork\": true}");
            Files.writeString(dir.resolve("wrong.txt"), pw + "-wrong\n");
            Files.writeString(
                    dir.resolve("wrong.json"),
                    "{\"provider\": \"caldav\", \"url\": \"" + dav.url()
                            + "\", \"username\": \"alice\", \"password\": {\"file\": \"wrong.txt\"}, \"allowPrivateNetwork\": true}");
            cli("calendars", "--connection", dir.resolve("conn.json").toString());
            cli(
                    "events",
                    "list",
                    "--connection",
                    dir.resolve("conn.json").toString(),
                    "--from",
                    "2031-03-01T00:00:00Z",
                    "--to",
                    "2031-04-01T00:00:00Z",
                    "--json");
            cli("calendars", "--connection", dir.resolve("wrong.json").toString());
            for (String f : List.of("pw.txt", "conn.json", "wrong.txt", "wrong.json")) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private void cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
            System.setOut(both);
            System.setErr(both);
            CalendarCli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        texts.add(out.toString(StandardCharsets.UTF_8));
    }

    private void google() {
        String access = secret("google-access-token");
        String refresh = secret("google-refresh-token");
        String clientSecret = secret("google-client-secret");
        try (FakeGoogleServer google = FakeGoogleServer.builder()
                .user(ALICE, "Alice")
                .accessToken(access, ALICE)
                .refreshToken(refresh, ALICE)
                .build()
                .start()) {
            RefreshTokenCredentials grant = new RefreshTokenCredentials(
                    "client-1", Secret.of(clientSecret), Secret.of(refresh), google.tokenUrl(), Mailbox.of(ALICE));
            texts.add(grant.toString());
            // the Google provider takes a user's grant as a token source (OAuth2TokenSource at the fake's endpoint)
            org.calsdk.auth.OAuth2TokenSource source =
                    grant.tokenSource(null).provider("google").build();
            ConnectionConfig cfg = ConnectionConfig.builder("google")
                    .setting("baseUrl", google.baseUrl())
                    .setting("mailbox", ALICE)
                    .credentials(new org.calsdk.auth.TokenCredentials(source))
                    .build();
            texts.add(cfg.toString());
            texts.add(source.toString());
            try (CalendarConnection c =
                    GoogleProvider.builder().retryPolicy(retries()).build().connect(cfg)) {
                exercise(c, google.faults(), () -> {
                    google.revokeAccessTokens(ALICE); // the known access token is now rejected
                    org.calsdk.auth.AccessToken t = new org.calsdk.auth.AccessToken(Secret.of(access), null);
                    org.calsdk.auth.AccessTokenSource fixed = new org.calsdk.auth.AccessTokenSource() {
                        @Override
                        public org.calsdk.auth.AccessToken token() {
                            return t;
                        }

                        @Override
                        public org.calsdk.auth.AccessToken refresh(org.calsdk.auth.AccessToken rejected) {
                            return t;
                        }
                    };
                    return GoogleProvider.builder()
                            .build()
                            .connect(ConnectionConfig.builder("google")
                                    .setting("baseUrl", google.baseUrl())
                                    .setting("mailbox", ALICE)
                                    .credentials(new org.calsdk.auth.TokenCredentials(fixed))
                                    .build());
                });
            }
        }
    }

    private void graph() {
        String user = secret("graph-access-token");
        String clientSecret = secret("graph-client-secret");
        try (FakeGraphServer graph = FakeGraphServer.builder()
                .mailbox(ALICE, "Alice")
                .userToken(user, ALICE)
                .client("app-1", clientSecret)
                .build()
                .start()) {
            ConnectionConfig cfg = graph.connectionConfig(ALICE)
                    .setting("syncWindowFuture", "P3650D")
                    .build();
            texts.add(cfg.toString());
            try (CalendarConnection c =
                    GraphProvider.builder().retryPolicy(retries()).build().connect(cfg)) {
                ConnectionConfig app = ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .setting("authorityUrl", graph.authorityUrl())
                        .setting("allowPrivateNetwork", "true")
                        .credentials(ClientCredentials.withSecret("tenant-1", "app-1", Secret.of(clientSecret)))
                        .build();
                texts.add(app.toString());
                texts.add(app.credentials().orElseThrow().toString());
                exercise(c, graph.faults(), () -> {
                    CalendarConnection org = GraphProvider.builder().build().connect(app);
                    capture(() -> org.freeBusy().query(FreeBusyRequest.of(List.of(Mailbox.of(ALICE)), SoakRun.WINDOW)));
                    texts.add(org.toString());
                    return org;
                });
            }
        }
    }

    private void ews() {
        String pw = secret("ews-password");
        try (FakeEwsServer ews = FakeEwsServer.builder()
                .serviceAccount("svc", pw)
                .mailbox(ALICE)
                .impersonationScope("svc", ALICE)
                .build()
                .start()) {
            ConnectionConfig cfg = ews.connectionConfig("svc")
                    .setting("impersonation", "true")
                    .setting("mailbox", ALICE)
                    .build();
            texts.add(cfg.toString());
            try (CalendarConnection c =
                    EwsProvider.builder().retryPolicy(retries()).build().connect(cfg)) {
                exercise(
                        c,
                        ews.faults(),
                        () -> EwsProvider.builder()
                                .build()
                                .connect(ConnectionConfig.builder("ews")
                                        .setting("url", ews.url())
                                        .setting("allowPrivateNetwork", "true")
                                        .setting("impersonation", "true")
                                        .setting("mailbox", ALICE)
                                        .credentials(PasswordCredentials.of("svc", Secret.of(pw + "-wrong")))
                                        .build()));
            }
        }
    }

    @Test
    void aTamperedTokenStoreRecordIsRefused() {
        Map<String, byte[]> records = new HashMap<>();
        byte[] key = EncryptedTokenStore.newKey();
        String refresh = secret("stored-refresh-token");
        EncryptedTokenStore store =
                EncryptedTokenStore.builder().key(key).records(records).build();
        store.store("alice", Secret.of(refresh));
        byte[] sealed = records.get("alice");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
                .as("stored encrypted")
                .doesNotContain(refresh);
        assertThat(store.load("alice").orElseThrow().reveal()).isEqualTo(refresh);
        int tried = 0;
        for (int i = 0; i < sealed.length; i++) {
            byte[] bad = sealed.clone();
            bad[i] ^= 0x01;
            records.put("alice", bad);
            tried++;
            assertThatThrownBy(() -> store.load("alice"))
                    .as("byte %d flipped", i)
                    .isInstanceOf(CalendarException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(refresh));
        }
        records.put("alice", java.util.Arrays.copyOf(sealed, sealed.length - 1));
        assertThatThrownBy(() -> store.load("alice")).isInstanceOf(CalendarException.class);
        Figures.record(
                "secrets",
                "EncryptedTokenStore: " + (tried + 1) + " tampered records (every byte flipped, one cut) "
                        + "refused; store.toString() has no secret: "
                        + !store.toString().contains(refresh));
        assertThat(store.toString()).doesNotContain(refresh);
    }
}
