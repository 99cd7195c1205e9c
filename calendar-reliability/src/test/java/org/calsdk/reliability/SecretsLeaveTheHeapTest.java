package org.calsdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.EventQuery;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.ews.EwsProvider;
import org.calsdk.google.GoogleProvider;
import org.calsdk.graph.GraphProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.calsdk.testkit.oauth.ServiceAccountKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise: secrets stay secret, also on the heap. A representative run over the four providers with
 * secrets of their own kinds (CalDAV and EWS passwords, a Google refresh-token grant with its client
 * secret, a Google service-account key, a Graph user token and app client secret): connect, a write, a
 * list, a free/busy, close. The host then lets go of everything it held (its configs, {@link Secret}s and
 * the fakes, which know the secrets too), the heap of this JVM is dumped with only live objects, and the
 * dump is scanned for each secret's bytes in Latin-1 (compact strings, byte buffers), UTF-16 LE and BE
 * (UTF-16 strings and char arrays), and for the passwords also as the Basic {@code Authorization} value.
 * Whatever is found is something the SDK kept reachable after close.
 *
 * <p>The test keeps its own copy of each needle masked (XOR), and unmasks them only after the dump is
 * written, so its own bookkeeping is not found.
 */
class SecretsLeaveTheHeapTest {
    private static final String ALICE = "alice@example.com";
    private static final byte MASK = 0x5A;
    /** needle label -> masked bytes; never holds a secret in the clear. */
    private final Map<String, byte[]> needles = new LinkedHashMap<>();

    @Test
    void noSecretIsReachableAfterTheConnectionsClose(@TempDir Path dir) throws Exception {
        canary = CANARY_PREFIX + UUID.randomUUID(); // reachable from a static until the scan
        caldav();
        google();
        googleServiceAccount();
        graph();
        ews();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Path dump = dir.resolve("heap.hprof");
        long t0 = System.nanoTime();
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
        long dumpMs = (System.nanoTime() - t0) / 1_000_000;
        long size = Files.size(dump);

        List<byte[]> patterns = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, byte[]> n : needles.entrySet()) {
            byte[] plain = unmask(n.getValue());
            String text = new String(plain, StandardCharsets.ISO_8859_1);
            patterns.add(plain);
            labels.add(n.getKey() + " (Latin-1)");
            if (!n.getKey().endsWith("DER")) {
                patterns.add(text.getBytes(StandardCharsets.UTF_16LE));
                labels.add(n.getKey() + " (UTF-16LE)");
                patterns.add(text.getBytes(StandardCharsets.UTF_16BE));
                labels.add(n.getKey() + " (UTF-16BE)");
            }
        }
        t0 = System.nanoTime();
        Map<String, Integer> found = scan(dump, patterns, labels);
        long scanMs = (System.nanoTime() - t0) / 1_000_000;
        Files.delete(dump);
        Figures.record(
                "secrets",
                "heap dump (live objects, after close): " + size / (1024 * 1024) + " MiB in " + dumpMs
                        + " ms, " + size + " bytes scanned in " + scanMs + " ms for " + needles.size() + " secrets "
                        + needles.keySet() + " in " + patterns.size() + " encodings: "
                        + found.values().stream().mapToInt(Integer::intValue).sum() + " found " + found);
        // the scan works: a canary kept reachable on purpose (a Latin-1 String) is found
        assertThat(CANARY_FOUND).as("the scanner finds a reachable canary").isTrue();
        assertThat(found).as("secrets still reachable after close").isEmpty();
    }

    // --- the scanner --------------------------------------------------------------------------------------

    private static final String CANARY_PREFIX = "heap-canary-";
    private static volatile String canary;
    private static boolean CANARY_FOUND;

    /** Streams the dump once, looking for every pattern (and the canary) at every offset. */
    private static Map<String, Integer> scan(Path dump, List<byte[]> patterns, List<String> labels) throws IOException {
        byte[] canaryBytes = canary.getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> all = new ArrayList<>(patterns);
        all.add(canaryBytes);
        int longest = all.stream().mapToInt(p -> p.length).max().orElse(1);
        // patterns indexed by their first two bytes
        @SuppressWarnings("unchecked")
        List<Integer>[] byStart = new List[65536];
        for (int i = 0; i < all.size(); i++) {
            int k = (all.get(i)[0] & 0xff) << 8 | (all.get(i)[1] & 0xff);
            if (byStart[k] == null) {
                byStart[k] = new ArrayList<>();
            }
            byStart[k].add(i);
        }
        Map<String, Integer> found = new LinkedHashMap<>();
        byte[] buf = new byte[(1 << 20) + longest];
        int have = 0;
        boolean canaryFound = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dump), 1 << 16)) {
            while (true) {
                int n = in.readNBytes(buf, have, buf.length - have);
                have += n;
                boolean last = n == 0 || have < buf.length;
                int end = last ? have : have - longest + 1; // start offsets fully inside this window
                for (int i = 0; i + 1 < have && i < end; i++) {
                    List<Integer> cands = byStart[(buf[i] & 0xff) << 8 | (buf[i + 1] & 0xff)];
                    if (cands == null) {
                        continue;
                    }
                    for (int c : cands) {
                        byte[] p = all.get(c);
                        if (i + p.length <= have && Arrays.equals(buf, i, i + p.length, p, 0, p.length)) {
                            if (c == all.size() - 1) {
                                canaryFound = true;
                            } else {
                                found.merge(labels.get(c), 1, Integer::sum);
                            }
                        }
                    }
                }
                if (last) {
                    break;
                }
                System.arraycopy(buf, end, buf, 0, have - end);
                have -= end;
            }
        }
        CANARY_FOUND = canaryFound;
        return found;
    }

    // --- the flows ---------------------------------------------------------------------------------------

    private String secret(String what) {
        String s = what + "-" + UUID.randomUUID().toString().replace("-", "");
        needle(what, s.getBytes(StandardCharsets.ISO_8859_1));
        return s;
    }

    private void needle(String label, byte[] plain) {
        byte[] m = plain.clone();
        for (int i = 0; i < m.length; i++) {
            m[i] ^= MASK;
        }
        Arrays.fill(plain, (byte) 0);
        needles.put(label, m);
    }

    private static byte[] unmask(byte[] masked) {
        byte[] p = masked.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] ^= MASK;
        }
        return p;
    }

    private void basic(String label, String user, String password) {
        needle(
                label,
                Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void exercise(CalendarConnection c) {
        try (c) {
            CalendarRef cal = CalendarRef.primary(Mailbox.of(ALICE));
            c.writer()
                    .create(
                            cal,
                            EventKey.of("heap-" + UUID.randomUUID()),
                            Event.builder()
                                    .summary("heap")
                                    .start(EventTime.of(
                                            SoakRun.DAY0.atTime(9, 0).atZone(ZoneOffset.UTC)))
                                    .end(EventTime.of(SoakRun.DAY0.atTime(10, 0).atZone(ZoneOffset.UTC)))
                                    .build());
            c.reader().list(EventQuery.of(cal, SoakRun.WINDOW));
            c.freeBusy().query(FreeBusyRequest.of(List.of(Mailbox.of(ALICE)), SoakRun.WINDOW));
        }
    }

    private void caldav() {
        String pw = secret("caldav-password");
        basic("caldav-basic-authorization", "alice", pw);
        try (FakeCalDavServer dav = FakeCalDavServer.builder()
                .user("alice", pw)
                .calendar("alice", "calendar", "Calendar")
                .build()
                .start()) {
            exercise(CalDavProvider.builder()
                    .build()
                    .connect(dav.connectionConfig("alice").build()));
        }
    }

    private void google() {
        String refresh = secret("google-refresh-token");
        String clientSecret = secret("google-client-secret");
        String access = secret("google-access-token");
        try (FakeGoogleServer google = FakeGoogleServer.builder()
                .user(ALICE, "Alice")
                .accessToken(access, ALICE)
                .refreshToken(refresh, ALICE)
                .build()
                .start()) {
            RefreshTokenCredentials grant = new RefreshTokenCredentials(
                    "client-1", Secret.of(clientSecret), Secret.of(refresh), google.tokenUrl(), Mailbox.of(ALICE));
            ConnectionConfig cfg = ConnectionConfig.builder("google")
                    .setting("baseUrl", google.baseUrl())
                    .setting("mailbox", ALICE)
                    .credentials(new TokenCredentials(
                            grant.tokenSource(null).provider("google").build()))
                    .build();
            exercise(GoogleProvider.builder().build().connect(cfg));
        }
    }

    private void googleServiceAccount() {
        ServiceAccountKey key = ServiceAccountKey.generate("calsdk-heap@calsdk-test.iam.gserviceaccount.com");
        String pem = key.privateKeyPem();
        String[] lines = pem.split("\n");
        needle("google-service-account-key PEM line", lines[lines.length / 2].getBytes(StandardCharsets.ISO_8859_1));
        byte[] der = key.privateKey().getEncoded();
        needle("google-service-account-key DER", Arrays.copyOfRange(der, der.length / 2, der.length / 2 + 48));
        String json = "{\"type\":\"service_account\",\"project_id\":\"calsdk-test\",\"private_key_id\":\"" + key.keyId()
                + "\",\"private_key\":\"" + pem.replace("\n", "\\n") + "\",\"client_email\":\"" + key.clientEmail()
                + "\",\"client_id\":\"1\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}";
        try (FakeGoogleServer google = FakeGoogleServer.builder()
                .user(ALICE, "Alice")
                .serviceAccount(key.clientEmail(), key.publicKey(), java.util.Set.of(ALICE))
                .build()
                .start()) {
            try (CalendarConnection org = GoogleProvider.builder()
                    .build()
                    .connect(ConnectionConfig.builder("google")
                            .setting("baseUrl", google.baseUrl())
                            .setting("tokenUrl", google.tokenUrl())
                            .setting("serviceAccountKey", json)
                            .setting("subject", ALICE)
                            .build())) {
                exercise(org.impersonator().actAs(Mailbox.of(ALICE)));
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
            exercise(GraphProvider.builder()
                    .build()
                    .connect(graph.connectionConfig(ALICE)
                            .setting("syncWindowFuture", "P3650D")
                            .build()));
            ConnectionConfig app = ConnectionConfig.builder("graph")
                    .setting("baseUrl", graph.baseUrl())
                    .setting("authorityUrl", graph.authorityUrl())
                    .setting("allowPrivateNetwork", "true")
                    .credentials(ClientCredentials.withSecret("tenant-1", "app-1", Secret.of(clientSecret)))
                    .build();
            try (CalendarConnection org = GraphProvider.builder().build().connect(app)) {
                org.freeBusy().query(FreeBusyRequest.of(List.of(Mailbox.of(ALICE)), SoakRun.WINDOW));
            }
        }
    }

    private void ews() {
        String pw = secret("ews-password");
        basic("ews-basic-authorization", "svc", pw);
        try (FakeEwsServer ews = FakeEwsServer.builder()
                .serviceAccount("svc", pw)
                .mailbox(ALICE)
                .impersonationScope("svc", ALICE)
                .build()
                .start()) {
            exercise(EwsProvider.builder()
                    .build()
                    .connect(ews.connectionConfig("svc")
                            .setting("impersonation", "true")
                            .setting("mailbox", ALICE)
                            .build()));
        }
    }
}
