package org.calsdk.bench.cloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.calsdk.testkit.oauth.ServiceAccountKey;

/**
 * One of the cloud providers' fakes (Google, Graph, EWS) on 127.0.0.1, seeded for the free/busy figures:
 * {@code user1..userN@example.com} with 3 one-hour meetings each in the first two weeks of the 30-day window,
 * plus the organizer who asks ({@link #startOrganization}: the same, with today's dates and a service account that
 * may act as every mailbox, for the sync figures). It hands out the same endpoint and credentials three ways: a
 * {@link ConnectionConfig} for the SDK in this JVM, a connection file for the {@code calendar} CLI in a child
 * process, and the arguments of the official-client comparators (whose secret goes in a file, never on the
 * command line). Counts come from the fake's own accounting.
 */
public final class CloudFake implements AutoCloseable {
    /** The providers this covers. */
    public static final List<String> PROVIDERS = List.of("google", "graph", "ews");
    /** The 30-day window of the free/busy figures. */
    public static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");

    public static final Instant TO = FROM.plus(Duration.ofDays(30));
    /** Who asks (a user connection on Google and Graph; EWS asks as a service account). */
    public static final String ORGANIZER = "organizer@example.com";

    static final String EWS_ACCOUNT = "svc";
    private static final String EWS_PASSWORD = "bench-ews-pw";
    private static final String GOOGLE_SERVICE_ACCOUNT = "calsdk-bench@calsdk-bench.iam.gserviceaccount.com";
    private static final String GRAPH_CLIENT_ID = "calsdk-bench-app";
    private static final String GRAPH_CLIENT_SECRET = "bench-graph-secret";

    private final String provider;
    private final FakeGoogleServer google;
    private final FakeGraphServer graph;
    private final FakeEwsServer ews;
    private final String googleToken;
    /** The Google service account of an organization fake ({@link #startOrganization}), else null. */
    private final ServiceAccountKey googleKey;

    private CloudFake(
            String provider,
            FakeGoogleServer google,
            FakeGraphServer graph,
            FakeEwsServer ews,
            ServiceAccountKey googleKey) {
        this.provider = provider;
        this.google = google;
        this.graph = graph;
        this.ews = ews;
        this.googleKey = googleKey;
        this.googleToken = google == null ? null : google.issueAccessToken(ORGANIZER);
    }

    /** Starts the fake of {@code provider} with {@code n} seeded mailboxes, no latency yet. */
    public static CloudFake start(String provider, int n) {
        return start(provider, n, false);
    }

    /**
     * Starts the fake of {@code provider} as {@link #start} does, and also lets an organization's service
     * account act as every mailbox (Google: domain-wide delegation of a key made here; Graph: a confidential
     * client whose app-only tokens reach every mailbox; EWS: the service account's impersonation, which
     * reaches every mailbox by default): what {@link #organizationConfig()} connects with, as the sync engine
     * does ({@code SyncConnections.impersonating}).
     */
    public static CloudFake startOrganization(String provider, int n) {
        return start(provider, n, true);
    }

    private static CloudFake start(String provider, int n, boolean organization) {
        SeedData seed = SeedData.organization("example.com")
                .users(n)
                .eventsPerUser(3)
                // an organization is synced: its events start today, inside every provider's sync window
                .startingOn(organization ? LocalDate.now(ZoneOffset.UTC) : LocalDate.of(2026, 3, 2))
                .user(ORGANIZER, "Organizer")
                .build();
        return switch (provider) {
            case "google" -> {
                FakeGoogleServer.Builder b = FakeGoogleServer.builder();
                ServiceAccountKey key = null;
                if (organization) {
                    key = ServiceAccountKey.generate(GOOGLE_SERVICE_ACCOUNT);
                    Set<String> all = new HashSet<>();
                    all.add(ORGANIZER);
                    mailboxes(n).forEach(m -> all.add(m.email()));
                    b.serviceAccount(key.clientEmail(), key.publicKey(), all);
                }
                FakeGoogleServer g = b.build();
                g.seed(seed);
                yield new CloudFake(provider, g.start(), null, null, key);
            }
            case "graph" -> {
                FakeGraphServer.Builder b = FakeGraphServer.builder();
                if (organization) {
                    b.client(GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET);
                }
                FakeGraphServer g = b.build().start(); // its seeding needs the base URL
                g.seed(seed);
                yield new CloudFake(provider, null, g, null, null);
            }
            case "ews" -> {
                FakeEwsServer e = FakeEwsServer.builder()
                        .serviceAccount(EWS_ACCOUNT, EWS_PASSWORD)
                        .build();
                e.seed(seed);
                yield new CloudFake(provider, null, null, e.start(), null);
            }
            default -> throw new IllegalArgumentException("no cloud fake for provider " + provider);
        };
    }

    /** {@code user1..userN@example.com}. */
    public static List<Mailbox> mailboxes(int n) {
        List<Mailbox> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(Mailbox.of("user" + i + "@example.com"));
        }
        return out;
    }

    public String provider() {
        return provider;
    }

    /** Every HTTP request from now on waits {@code d} before it is answered (a batch once). */
    public void latency(Duration d) {
        switch (provider) {
            case "google" -> google.latency(d);
            case "graph" -> graph.latency(d);
            default -> ews.latency(d);
        }
    }

    /** HTTP requests received so far (a batch counts once). */
    public long roundTrips() {
        return accounting().roundTrips();
    }

    /**
     * Free/busy API calls received so far, those inside batches each: {@code freeBusy.query} (Google),
     * {@code getSchedule} (Graph), {@code GetUserAvailability} (EWS).
     */
    public long freeBusyCalls() {
        return switch (provider) {
            case "google" -> google.calls("freebusy.query");
            case "graph" -> graph.scheduleCalls();
            default -> ews.accounting().calls("GetUserAvailability");
        };
    }

    private org.calsdk.testkit.RequestAccounting accounting() {
        return switch (provider) {
            case "google" -> google.accounting();
            case "graph" -> graph.accounting();
            default -> ews.accounting();
        };
    }

    /** A connection config for the SDK in this JVM. */
    public ConnectionConfig config() {
        return switch (provider) {
            case "google" ->
                google.connectionConfig(ORGANIZER)
                        .setting("allowPrivateNetwork", "true")
                        .build();
            case "graph" -> graph.connectionConfig(ORGANIZER).build();
            default ->
                ConnectionConfig.builder("ews")
                        .setting("url", ews.url())
                        .setting("allowPrivateNetwork", "true")
                        .credentials(PasswordCredentials.of(EWS_ACCOUNT, Secret.of(EWS_PASSWORD)))
                        .build();
        };
    }

    /**
     * The organization connection of a fake started with {@link #startOrganization}: Google's service account
     * key (subject: the organizer), Graph's client credentials, EWS's service account with impersonation.
     */
    public ConnectionConfig organizationConfig() {
        return switch (provider) {
            case "google" -> {
                if (googleKey == null) {
                    throw new IllegalStateException("the Google fake was not started with a service account");
                }
                yield ConnectionConfig.builder("google")
                        .setting("baseUrl", google.baseUrl())
                        .setting("tokenUrl", google.tokenUrl())
                        .setting("serviceAccountKey", googleKeyJson())
                        .setting("subject", ORGANIZER)
                        .setting("allowPrivateNetwork", "true")
                        .build();
            }
            case "graph" ->
                ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .setting("authorityUrl", graph.authorityUrl())
                        .setting("tenantId", "calsdk-bench")
                        .setting("clientId", GRAPH_CLIENT_ID)
                        .setting("clientSecret", GRAPH_CLIENT_SECRET)
                        .setting("allowPrivateNetwork", "true")
                        .build();
            default ->
                ConnectionConfig.builder("ews")
                        .setting("url", ews.url())
                        .setting("allowPrivateNetwork", "true")
                        .setting("impersonation", "true")
                        .credentials(PasswordCredentials.of(EWS_ACCOUNT, Secret.of(EWS_PASSWORD)))
                        .build();
        };
    }

    /** The key file Google Cloud would hand out for the service account (what {@code serviceAccountKey} takes). */
    private String googleKeyJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", "service_account");
        n.put("project_id", "calsdk-bench");
        n.put("private_key_id", googleKey.keyId());
        n.put("private_key", googleKey.privateKeyPem());
        n.put("client_email", googleKey.clientEmail());
        n.put("client_id", "1");
        n.put("token_uri", google.tokenUrl());
        return n.toString();
    }

    /** Calls received so far per operation (those inside batches each), from the fake's accounting. */
    public Map<String, Long> callsPerOperation() {
        return accounting().callsPerOperation();
    }

    /** The endpoint: Google's and Graph's base URL, the EWS service URL. */
    public String endpoint() {
        return switch (provider) {
            case "google" -> google.baseUrl();
            case "graph" -> graph.baseUrl();
            default -> ews.url();
        };
    }

    /** The secret the comparators present: a bearer token, or {@code user:password} for EWS. */
    String secret() {
        return switch (provider) {
            case "google" -> googleToken;
            case "graph" -> config().setting("accessToken").orElseThrow();
            default -> EWS_ACCOUNT + ":" + EWS_PASSWORD;
        };
    }

    /** Writes the secret to {@code dir/secret} (owner-only) and returns the file. */
    public Path writeSecret(Path dir) throws IOException {
        Path f = dir.resolve("secret");
        Files.writeString(f, secret());
        f.toFile().setReadable(false, false);
        f.toFile().setReadable(true, true);
        return f;
    }

    /** Writes a connection file for {@code calendar freebusy --connection} into {@code dir}. */
    public Path writeConnectionFile(Path dir) throws IOException {
        Path secret = writeSecret(dir);
        String json = switch (provider) {
            case "google", "graph" ->
                String.format(
                        Locale.ROOT,
                        "{\"provider\": \"%s\", \"baseUrl\": \"%s\", "
                                + "\"mailbox\": \"%s\", \"accessToken\": {\"file\": \"%s\"}, \"allowPrivateNetwork\": true}%n",
                        provider,
                        endpoint(),
                        ORGANIZER,
                        secret.getFileName());
            default -> {
                Path pw = dir.resolve("password");
                Files.writeString(pw, EWS_PASSWORD);
                yield String.format(
                        Locale.ROOT,
                        "{\"provider\": \"ews\", \"url\": \"%s\", \"username\": \"%s\", "
                                + "\"password\": {\"file\": \"password\"}, \"allowPrivateNetwork\": true}%n",
                        endpoint(),
                        EWS_ACCOUNT);
            }
        };
        Path conn = dir.resolve("connection.json");
        Files.writeString(conn, json);
        return conn;
    }

    @Override
    public void close() {
        if (google != null) {
            google.close();
        }
        if (graph != null) {
            graph.close();
        }
        if (ews != null) {
            ews.close();
        }
    }
}
