package org.calsdk.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.ews.EwsProvider;
import org.calsdk.google.GoogleProvider;
import org.calsdk.graph.GraphProvider;
import org.calsdk.http.RequestCounter;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Transparency;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.graph.FakeGraphServer;

/**
 * The demo's organization: 50 people on four calendar systems, each system a testkit fake on 127.0.0.1,
 * each connected the way an administrator (or, for iCloud, the user) would connect it. Everything is
 * real SDK code talking HTTP to the fakes; only the fakes stand in for Google, Microsoft and Apple.
 */
final class DemoOrganization implements AutoCloseable {
    static final LocalDate MONDAY = LocalDate.of(2027, 3, 1);
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static final String GOOGLE_DOMAIN = "north.example.com";
    static final String M365_DOMAIN = "west.example.com";
    static final String EXCHANGE_DOMAIN = "hq.example.com";
    static final String ICLOUD_DOMAIN = "icloud.example.com";
    static final String SERVICE_ACCOUNT = "calendar-sync@acme-demo.iam.gserviceaccount.com";

    private static final String[] FIRST = {
        "Ada", "Ben", "Chloe", "Dana", "Emil", "Fatima", "Gus", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Marco", "Nia",
        "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara"
    };

    /** The people by provider, in order; the first of each list has a role in the story. */
    final List<Mailbox> google = new ArrayList<>();

    final List<Mailbox> m365 = new ArrayList<>();
    final List<Mailbox> exchange = new ArrayList<>();
    final Mailbox icloudUser = Mailbox.of("ines@" + ICLOUD_DOMAIN);

    /** Outside the service accounts' reach: not in Google's delegation, outside the Graph access policy. */
    final Mailbox outsideGoogle;

    final Mailbox outsideGraph;

    final Map<String, RequestCounter> counters = new LinkedHashMap<>();
    final Map<String, CalendarProvider> providers = new LinkedHashMap<>();
    final Map<String, ConnectionConfig> configs = new LinkedHashMap<>();

    private final FakeGoogleServer googleFake;
    private final FakeGraphServer graphFake;
    private final FakeEwsServer ewsFake;
    private final FakeCalDavServer caldavFake;

    private DemoOrganization(DemoCommand.DemoOutput out) {
        for (int i = 0; i < 20; i++) {
            google.add(Mailbox.of(FIRST[i].toLowerCase() + "@" + GOOGLE_DOMAIN));
        }
        for (int i = 0; i < 15; i++) {
            m365.add(Mailbox.of(FIRST[(i + 3) % 20].toLowerCase() + "." + (i + 1) + "@" + M365_DOMAIN));
        }
        for (int i = 0; i < 14; i++) {
            exchange.add(Mailbox.of(FIRST[(i + 7) % 20].toLowerCase() + "." + (i + 1) + "@" + EXCHANGE_DOMAIN));
        }
        outsideGoogle = google.get(19);
        outsideGraph = m365.get(14);

        out.progress("starting the fake Google, Microsoft Graph, Exchange and iCloud (CalDAV) servers on 127.0.0.1");
        KeyPair key = rsaKey();
        Set<String> delegated = new LinkedHashSet<>();
        google.subList(0, 19).forEach(m -> delegated.add(m.email()));
        delegated.add("admin@" + GOOGLE_DOMAIN);
        FakeGoogleServer.Builder g = FakeGoogleServer.builder()
                .user("admin@" + GOOGLE_DOMAIN, "Admin")
                .serviceAccount(SERVICE_ACCOUNT, key.getPublic(), delegated);
        google.forEach(m -> g.user(m.email(), name(m)));
        googleFake = g.build().start();

        FakeGraphServer.Builder gr = FakeGraphServer.builder()
                .client("demo-app-id", "demo-client-secret")
                .appToken("demo-app-token")
                .accessPolicy(m365.subList(0, 14).stream().map(Mailbox::email).toList());
        m365.forEach(m -> gr.mailbox(m.email(), name(m)));
        graphFake = gr.build();
        graphFake.start();

        FakeEwsServer.Builder e = FakeEwsServer.builder()
                .serviceAccount("svc-calendar", "demo-ews-password")
                .impersonationScope(
                        "svc-calendar", exchange.stream().map(Mailbox::email).toArray(String[]::new));
        exchange.forEach(m -> e.mailbox(m.email()));
        ewsFake = e.build().start();

        caldavFake = FakeCalDavServer.builder()
                .domain(ICLOUD_DOMAIN)
                .user("ines", "abcd-efgh-ijkl-mnop")
                .calendar("ines", "home", "Home")
                .build()
                .start();

        out.progress("seeding their calendars");
        seed();
        out.progress("connecting: Google by domain-wide delegation, Microsoft 365 by admin consent, Exchange by"
                + " ApplicationImpersonation, iCloud by the user's app-specific password");
        for (String p : List.of("google", "graph", "ews", "caldav")) {
            counters.put(p, new RequestCounter());
        }
        providers.put(
                "google",
                GoogleProvider.builder().listener(counters.get("google")).build());
        providers.put(
                "graph", GraphProvider.builder().listener(counters.get("graph")).build());
        providers.put("ews", EwsProvider.builder().listener(counters.get("ews")).build());
        providers.put(
                "caldav",
                CalDavProvider.builder().listener(counters.get("caldav")).build());
        configs.put(
                "google",
                ConnectionConfig.builder("google")
                        .setting("baseUrl", googleFake.baseUrl())
                        .setting("tokenUrl", googleFake.tokenUrl())
                        .setting("serviceAccountKey", keyJson(key, googleFake.tokenUrl()))
                        .setting("subject", "admin@" + GOOGLE_DOMAIN)
                        .build());
        configs.put(
                "graph",
                ConnectionConfig.builder("graph")
                        .setting("baseUrl", graphFake.baseUrl())
                        .setting("authorityUrl", graphFake.authorityUrl())
                        .setting("tenantId", "acme-demo")
                        .setting("clientId", "demo-app-id")
                        .setting("clientSecret", "demo-client-secret")
                        .build());
        configs.put(
                "ews",
                ewsFake.connectionConfig("svc-calendar")
                        .setting("impersonation", "true")
                        .build());
        configs.put("caldav", caldavFake.connectionConfig("ines").build());
    }

    static DemoOrganization start(DemoCommand.DemoOutput out) {
        return new DemoOrganization(out);
    }

    /** Everyone, in the order Google, Microsoft 365, Exchange, iCloud. */
    List<Mailbox> everyone() {
        List<Mailbox> all = new ArrayList<>(google);
        all.addAll(m365);
        all.addAll(exchange);
        all.add(icloudUser);
        return all;
    }

    /** The provider id a person's calendar lives with. */
    String providerOf(Mailbox m) {
        String domain = m.email().substring(m.email().indexOf('@') + 1);
        return switch (domain) {
            case GOOGLE_DOMAIN -> "google";
            case M365_DOMAIN -> "graph";
            case EXCHANGE_DOMAIN -> "ews";
            default -> "caldav";
        };
    }

    /** A new connection to {@code provider} as configured (organization-wide, or iCloud's single user). */
    CalendarConnection connect(String provider) {
        return providers.get(provider).connect(configs.get(provider));
    }

    static String name(Mailbox m) {
        String local = m.email().substring(0, m.email().indexOf('@'));
        int dot = local.indexOf('.');
        String first = dot < 0 ? local : local.substring(0, dot);
        return Character.toUpperCase(first.charAt(0)) + first.substring(1);
    }

    long roundTrips(String provider) {
        return counters.get(provider).total();
    }

    private void seed() {
        // the mentor's and the panel's working weeks, an all-day training day, and an offsite marked free
        Mailbox mentor = google.get(0);
        Mailbox recruiter = m365.get(0);
        Mailbox manager = exchange.get(0);
        Mailbox engineer = google.get(1);
        googleFake.seed(SeedData.organization(GOOGLE_DOMAIN)
                .user(
                        mentor.email(),
                        name(mentor),
                        u -> u.primary(c -> c.event(timed("Team stand-up", MONDAY.plusDays(1), 9, 10, BERLIN))
                                .event(timed("Quarterly planning", MONDAY.plusDays(1), 13, 17, BERLIN))))
                .user(
                        engineer.email(),
                        name(engineer),
                        u -> u.primary(c -> c.event(timed("On call", MONDAY.plusDays(2), 9, 13, BERLIN))))
                .build());
        graphFake.seed(SeedData.organization(M365_DOMAIN)
                .user(
                        recruiter.email(),
                        name(recruiter),
                        u -> u.primary(c -> c.event(timed("Candidate screen", MONDAY.plusDays(2), 10, 12, LONDON))
                                .event(allDay(
                                        "Offsite (shown as free)", MONDAY.plusDays(3), Transparency.TRANSPARENT))))
                .build());
        ewsFake.seed(SeedData.organization(EXCHANGE_DOMAIN)
                .user(
                        manager.email(),
                        name(manager),
                        u -> u.primary(c -> c.event(allDay("Training day", MONDAY.plusDays(1), Transparency.OPAQUE))
                                .event(timed("Budget review", MONDAY.plusDays(2), 14, 16, LONDON))))
                .build());
        caldavFake.seed(SeedData.organization(ICLOUD_DOMAIN)
                .user(
                        icloudUser.email(),
                        "Ines",
                        u -> u.primary(c -> c.event(timed("Evening class", MONDAY.plusDays(1), 9, 12, NEW_YORK))))
                .build());
    }

    static Event timed(String summary, LocalDate day, int from, int to, ZoneId zone) {
        return Event.builder()
                .summary(summary)
                .start(EventTime.of(day.atTime(from, 0).atZone(zone)))
                .end(EventTime.of(day.atTime(to, 0).atZone(zone)))
                .build();
    }

    static Event allDay(String summary, LocalDate day, Transparency transparency) {
        return Event.builder()
                .summary(summary)
                .start(EventTime.allDay(day))
                .end(EventTime.allDay(day.plusDays(1)))
                .transparency(transparency)
                .build();
    }

    static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has RSA", e);
        }
    }

    /** The key file Google Cloud hands out for a service account, for this run's throwaway key. */
    static String keyJson(KeyPair key, String tokenUrl) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("type", "service_account");
        n.put("project_id", "acme-demo");
        n.put("private_key_id", "demo-key");
        n.put("private_key", pem);
        n.put("client_email", SERVICE_ACCOUNT);
        n.put("client_id", "100000000000000000001");
        n.put("token_uri", tokenUrl);
        return n.toString();
    }

    @Override
    public void close() {
        for (AutoCloseable c :
                new AutoCloseable[] {googleFake::close, graphFake::close, ewsFake::close, caldavFake::close}) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the demo is over
            }
        }
    }
}
