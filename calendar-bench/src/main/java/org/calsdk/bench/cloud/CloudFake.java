package org.calsdk.bench.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.graph.FakeGraphServer;

/**
 * One of the cloud providers' fakes (Google, Graph, EWS) on 127.0.0.1, seeded for the free/busy figures:
 * {@code user1..userN@example.com} with 3 one-hour meetings each in the first two weeks of the 30-day window,
 * plus the organizer who asks. It hands out the same endpoint and credentials three ways: a
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

    private final String provider;
    private final FakeGoogleServer google;
    private final FakeGraphServer graph;
    private final FakeEwsServer ews;
    private final String googleToken;

    private CloudFake(String provider, FakeGoogleServer google, FakeGraphServer graph, FakeEwsServer ews) {
        this.provider = provider;
        this.google = google;
        this.graph = graph;
        this.ews = ews;
        this.googleToken = google == null ? null : google.issueAccessToken(ORGANIZER);
    }

    /** Starts the fake of {@code provider} with {@code n} seeded mailboxes, no latency yet. */
    public static CloudFake start(String provider, int n) {
        SeedData seed = SeedData.organization("example.com")
                .users(n)
                .eventsPerUser(3)
                .startingOn(LocalDate.of(2026, 3, 2))
                .user(ORGANIZER, "Organizer")
                .build();
        return switch (provider) {
            case "google" -> {
                FakeGoogleServer g = FakeGoogleServer.builder().build();
                g.seed(seed);
                yield new CloudFake(provider, g.start(), null, null);
            }
            case "graph" -> {
                FakeGraphServer g = FakeGraphServer.builder().build().start(); // its seeding needs the base URL
                g.seed(seed);
                yield new CloudFake(provider, null, g, null);
            }
            case "ews" -> {
                FakeEwsServer e = FakeEwsServer.builder()
                        .serviceAccount(EWS_ACCOUNT, EWS_PASSWORD)
                        .build();
                e.seed(seed);
                yield new CloudFake(provider, null, null, e.start());
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
