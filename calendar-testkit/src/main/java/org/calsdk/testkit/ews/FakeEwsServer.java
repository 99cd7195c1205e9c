package org.calsdk.testkit.ews;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.model.Event;
import org.calsdk.testkit.ErrorDialect;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.OperationExtractor;
import org.calsdk.testkit.RequestAccounting;
import org.calsdk.testkit.RouteSpec;

/**
 * A fake Exchange Web Services endpoint: one SOAP URL ({@code /EWS/Exchange.asmx}, every call a POST with
 * the operation in the SOAP body), stateful, answering with the shapes of Microsoft's EWS reference
 * (response messages with {@code ResponseClass}/{@code ResponseCode}, SOAP faults for request-level
 * errors). Operations: {@code GetFolder} (the distinguished calendar), {@code FindItem} (with a
 * {@code CalendarView} that expands series, with an {@code IndexedPageItemView}, with an extended-property
 * restriction), {@code GetItem} (items, occurrences by {@code OccurrenceItemId}, masters by
 * {@code RecurringMasterItemId}), {@code CreateItem} (calendar items; accept/tentative/decline
 * responses), {@code UpdateItem} ({@code ChangeKey} checked: {@code ErrorIrresolvableConflict}),
 * {@code DeleteItem}, {@code SyncFolderItems} ({@code MaxChangesReturned} 1-512,
 * {@code IncludesLastItemInRange}, {@code ErrorInvalidSyncStateData}), {@code GetUserAvailability} (at most
 * 100 mailboxes and 42 days; a per-mailbox error in its own response message), {@code ResolveNames}, and
 * pull subscriptions ({@code Subscribe} with a watermark, {@code GetEvents}, {@code Unsubscribe}; expiry
 * after the subscription's timeout without a poll). Writes record the meeting messages Exchange would send
 * ({@link #sentMessages}): invitations and updates per {@code SendMeetingInvitations(OrCancellations)},
 * cancellations per {@code SendMeetingCancellations} or {@code CancelCalendarItem}, and meeting responses
 * unless saved only ({@code MessageDisposition="SaveOnly"}).
 *
 * <p>Impersonation: the {@code ExchangeImpersonation} header is checked against each service account's
 * scope ({@code ErrorImpersonateUserDenied}); a mailbox that does not exist is
 * {@code ErrorNonExistentMailbox}. Authentication: Basic for seeded service accounts; with none seeded,
 * any Basic password or bearer token is accepted. A request without credentials gets a 401 Basic
 * challenge. Throttling: {@link #serverBusy} makes calls fail with {@code ErrorServerBusy} carrying
 * {@code BackOffMilliseconds}.
 *
 * <p>Built on the testkit's {@link FakeServer}: one route per operation, matched on the SOAP body's first
 * element; fault rules and accounting are keyed by the operation ({@code GetUserAvailability},
 * {@code CreateItem}, ...) and the mailbox acted as (the impersonated one, else {@code X-AnchorMailbox});
 * a GetUserAvailability call counts for each mailbox it names. Injected errors
 * ({@link org.calsdk.testkit.Fault#status}, {@link org.calsdk.testkit.Fault#tooManyRequests}) are SOAP faults.
 *
 * <pre>{@code
 * try (FakeEwsServer ews = FakeEwsServer.builder().serviceAccount("svc", "pw")
 *         .mailbox("alice@example.com").mailbox("bob@example.com")
 *         .impersonationScope("svc", "alice@example.com").build().start()) {
 *     ConnectionConfig cfg = ews.connectionConfig("svc").setting("impersonation", "true").build();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeEwsServer implements AutoCloseable {
    /** The path of the SOAP endpoint. */
    public static final String PATH = "/EWS/Exchange.asmx";
    /** Most mailboxes one GetUserAvailability call may name. */
    public static final int MAX_AVAILABILITY_MAILBOXES = 100;
    /** Longest window one GetUserAvailability call may cover. */
    public static final Duration MAX_AVAILABILITY_WINDOW = Duration.ofDays(42);
    /** The operations the fake answers: the route (and accounting) name, then the SOAP body element. */
    static final String[][] OPERATIONS = {
        {"GetFolder", "GetFolder"},
        {"FindItem", "FindItem"},
        {"GetItem", "GetItem"},
        {"CreateItem", "CreateItem"},
        {"UpdateItem", "UpdateItem"},
        {"DeleteItem", "DeleteItem"},
        {"SyncFolderItems", "SyncFolderItems"},
        {"GetUserAvailability", "GetUserAvailabilityRequest"},
        {"ResolveNames", "ResolveNames"},
        {"Subscribe", "Subscribe"},
        {"GetEvents", "GetEvents"},
        {"Unsubscribe", "Unsubscribe"}
    };

    private final EwsStore store;
    private final EwsOperations operations;
    private final FakeServer<EwsStore> server;

    private FakeEwsServer(Builder b) {
        this.store = b.store;
        this.operations = new EwsOperations(store, b.clock);
        FakeServer.Builder<EwsStore> fb = FakeServer.builder(store)
                .name("ews")
                .errorDialect(ErrorDialect.soap())
                .protocolFaults(org.calsdk.testkit.ProtocolFaults.ews())
                .mailboxResolver(FakeEwsServer::actingMailbox)
                .port(b.port);
        for (String[] op : OPERATIONS) {
            RouteSpec<EwsStore> route = RouteSpec.<EwsStore>of("POST", PATH, op[0], (req, st) -> operations.handle(req))
                    .whenBody(OperationExtractor.soapBodyElement(), op[1]);
            if (op[0].equals("GetUserAvailability")) {
                route = route.mailboxes(FakeEwsServer::availabilityMailboxes);
            }
            fb.route(route);
        }
        // any other SOAP operation: a fault in Exchange's words
        fb.route("POST", PATH, "unsupported", (req, st) -> operations.handle(req));
        this.server = fb.build();
    }

    /**
     * Starts building a fake.
     *
     * @return a builder with no accounts or mailboxes, Basic authentication and a free port
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds 127.0.0.1 (a free port unless the builder named one). Idempotent.
     *
     * @return this server, running
     */
    public FakeEwsServer start() {
        server.start();
        return this;
    }

    /**
     * The endpoint URL, {@code http://127.0.0.1:PORT/EWS/Exchange.asmx}.
     *
     * @return the endpoint URL
     * @throws IllegalStateException if the server is not running
     */
    public String url() {
        return server.url(PATH).toString();
    }

    /**
     * The server's root URL, {@code http://127.0.0.1:PORT/}.
     *
     * @return the root URL
     * @throws IllegalStateException if the server is not running
     */
    public HttpUrl baseUrl() {
        return server.baseUrl();
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     * @throws IllegalStateException if the server is not running
     */
    public int port() {
        return server.port();
    }

    /**
     * Latency before every HTTP request is answered (see {@link FakeServer#latency}): for benchmarks.
     *
     * @param perRequest the wait per request, zero or positive
     * @return this server
     */
    public FakeEwsServer latency(Duration perRequest) {
        server.latency(perRequest);
        return this;
    }

    /**
     * Fault rules, by operation ({@code GetUserAvailability}, {@code CreateItem}, ...) and mailbox acted as.
     *
     * @return the live rule set
     */
    public FaultScript faults() {
        return server.faults();
    }

    /**
     * Calls received, by operation and mailbox acted as (the impersonated one, else {@code X-AnchorMailbox}).
     *
     * @return the live accounting
     */
    public RequestAccounting accounting() {
        return server.accounting();
    }

    /**
     * A connection config for the service account {@code account}: url, its password,
     * {@code allowPrivateNetwork=true} (the fake listens on loopback). Add {@code impersonation} as needed.
     *
     * @param account the service account's name
     * @return a builder for provider {@code ews}, ready to build or to add settings to
     */
    public ConnectionConfig.Builder connectionConfig(String account) {
        String pw;
        synchronized (store) {
            pw = store.accounts.getOrDefault(account, "any-password");
        }
        return ConnectionConfig.builder("ews")
                .setting("url", url())
                .setting("allowPrivateNetwork", "true")
                .credentials(PasswordCredentials.of(account, Secret.of(pw)));
    }

    /**
     * The next {@code calls} calls fail with {@code ErrorServerBusy} asking to back off {@code backOff}.
     *
     * @param calls how many calls fail, 0 to stop
     * @param backOff the back-off asked for ({@code BackOffMilliseconds})
     */
    public void serverBusy(int calls, Duration backOff) {
        synchronized (store) {
            store.serverBusyCalls = calls;
            store.serverBusyBackOff = backOff.toMillis();
        }
    }

    /**
     * A meeting message Exchange would have sent for a write: {@code kind} is {@code MeetingRequest} (an
     * invitation or update), {@code MeetingCancellation} or {@code MeetingResponse} (an answer to the
     * organizer); {@code to} are the recipients' addresses.
     *
     * @param kind   {@code MeetingRequest}, {@code MeetingCancellation} or {@code MeetingResponse}
     * @param from   the sender's address, or null
     * @param to     the recipients' addresses
     * @param itemId the item the message concerns, or null
     */
    public record SentMessage(
            String kind,
            @org.jspecify.annotations.Nullable String from,
            List<String> to,
            @org.jspecify.annotations.Nullable String itemId) {
        /**
         * Checks the kind and copies the recipients.
         *
         * @param kind {@code MeetingRequest}, {@code MeetingCancellation} or {@code MeetingResponse}
         * @param from the sender's address, or null
         * @param to the recipients' addresses
         * @param itemId the item the message concerns, or null
         * @throws NullPointerException if {@code kind} or {@code to} is null
         */
        public SentMessage {
            java.util.Objects.requireNonNull(kind, "kind");
            to = List.copyOf(to);
        }
    }

    /**
     * An NTLM login the fake accepted: the fields of the client's Type 3 message ({@code ntResponseLength}
     * over 24 bytes means an NTLMv2 response).
     *
     * @param domain           the domain the client named, or null
     * @param user             the user name the client named
     * @param workstation      the workstation the client named, or null
     * @param ntResponseLength the length of the NT response in bytes (over 24: NTLMv2)
     */
    public record NtlmLogin(
            @org.jspecify.annotations.Nullable String domain,
            String user,
            @org.jspecify.annotations.Nullable String workstation,
            int ntResponseLength) {
        /**
         * Checks the user.
         *
         * @param domain the domain the client named, or null
         * @param user the user name the client named
         * @param workstation the workstation the client named, or null
         * @param ntResponseLength the length of the NT response in bytes (over 24: NTLMv2)
         * @throws NullPointerException if {@code user} is null
         */
        public NtlmLogin {
            java.util.Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The NTLM logins accepted so far, oldest first.
     *
     * @return an immutable snapshot
     */
    public List<NtlmLogin> ntlmLogins() {
        synchronized (store) {
            return List.copyOf(store.ntlmLogins);
        }
    }

    /**
     * The meeting messages sent so far, oldest first (at most 10,000 kept).
     *
     * @return an immutable snapshot
     */
    public List<SentMessage> sentMessages() {
        synchronized (store) {
            return List.copyOf(store.sent);
        }
    }

    /** Every sync state issued so far becomes invalid ({@code ErrorInvalidSyncStateData}). */
    public void invalidateSyncStates() {
        synchronized (store) {
            store.boxes.values().forEach(b -> b.generation++);
        }
    }

    /**
     * Stores an event in {@code mailbox}'s calendar as another client would; returns its item id.
     *
     * @param mailbox the mailbox address
     * @param event the event
     * @return the new item's id
     */
    public String putEvent(String mailbox, Event event) {
        return operations.put(mailbox, event);
    }

    /**
     * Adds the seed's users as mailboxes and their primary calendars' events (the fake keeps one calendar
     * per mailbox, so events of other seeded calendars are refused).
     *
     * @param data the seed data
     */
    public void seed(org.calsdk.testkit.SeedData data) {
        Objects.requireNonNull(data, "data == null");
        for (org.calsdk.testkit.SeedData.SeedUser u : data.users()) {
            String e = u.mailbox().normalized();
            synchronized (store) {
                store.boxes.putIfAbsent(e, new EwsStore.Box(e));
            }
            for (org.calsdk.testkit.SeedData.SeedCalendar c : u.calendars()) {
                if (!c.primary() && !c.events().isEmpty()) {
                    throw new org.calsdk.errors.InvalidInputException(
                            "calendar",
                            "the fake EWS server keeps one calendar per " + "mailbox; seed " + u.mailbox()
                                    + "'s events into its primary calendar");
                }
                c.events().forEach(ev -> putEvent(e, ev));
            }
        }
    }

    /**
     * How many items {@code mailbox}'s calendar holds.
     *
     * @param mailbox the mailbox address
     * @return the count; 0 for an unknown mailbox
     */
    public int itemCount(String mailbox) {
        synchronized (store) {
            EwsStore.Box b = store.box(mailbox);
            return b == null ? 0 : b.items.size();
        }
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeEwsServer[" + server + "]";
    }

    /** The mailbox a call acts as: the impersonated one, else {@code X-AnchorMailbox}. */
    static String actingMailbox(FakeRequest request) {
        String anchor = request.header("X-AnchorMailbox")
                .map(s -> s.toLowerCase(Locale.ROOT))
                .orElse(null);
        try {
            El envelope = El.parse(request.body());
            return envelope.path("Header", "ExchangeImpersonation", "ConnectingSID")
                    .flatMap(s -> s.text("SmtpAddress").or(() -> s.text("PrimarySmtpAddress")))
                    .map(s -> s.toLowerCase(Locale.ROOT))
                    .orElse(anchor);
        } catch (IllegalArgumentException e) {
            return anchor;
        }
    }

    /** The mailboxes a GetUserAvailability call asks about, in body order. */
    static List<String> availabilityMailboxes(FakeRequest request) {
        try {
            return El.parse(request.body())
                    .find("MailboxDataArray")
                    .map(a -> a.all("MailboxData").stream()
                            .map(m -> m.path("Email", "Address")
                                    .map(El::text)
                                    .orElse("")
                                    .toLowerCase(Locale.ROOT))
                            .filter(x -> !x.isEmpty())
                            .toList())
                    .orElse(List.of());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Builds a {@link FakeEwsServer}. */
    public static final class Builder {
        private final EwsStore store = new EwsStore();
        private Clock clock = Clock.systemUTC();
        private int port;

        private Builder() {}

        /**
         * A service account with Basic credentials; once one is seeded, only seeded accounts get in.
         *
         * @param name the account name
         * @param password its password
         * @return this builder
         */
        public Builder serviceAccount(String name, String password) {
            store.accounts.put(Objects.requireNonNull(name), Objects.requireNonNull(password));
            return this;
        }

        /**
         * Authenticate with NTLM instead of Basic, as an on-premises Exchange with only Windows authentication
         * does: a request without an NTLM {@code Authorization} gets {@code 401 WWW-Authenticate: NTLM}, a Type 1
         * message a Type 2 challenge for {@code domain}, and a well-formed Type 3 message naming a seeded
         * service account (user name compared without the domain) is let in. The fake computes no NTLM
         * cryptography, so the password is not checked in this mode; the accepted messages are in
         * {@link #ntlmLogins()}. It keeps no per-connection state: every request goes through the handshake.
         *
         * @param domain the NTLM domain accepted
         * @return this builder
         */
        public Builder ntlm(String domain) {
            store.ntlmDomain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /**
         * The mailboxes {@code account} may impersonate (default: every mailbox).
         *
         * @param account the service account
         * @param mailboxes the addresses it may act as
         * @return this builder
         */
        public Builder impersonationScope(String account, String... mailboxes) {
            Set<String> s = new LinkedHashSet<>();
            for (String m : mailboxes) {
                s.add(m.toLowerCase(Locale.ROOT));
            }
            store.impersonationScopes.put(account, s);
            return this;
        }

        /**
         * A mailbox with an empty calendar.
         *
         * @param email the mailbox address
         * @return this builder
         */
        public Builder mailbox(String email) {
            String e = email.toLowerCase(Locale.ROOT);
            store.boxes.putIfAbsent(e, new EwsStore.Box(e));
            return this;
        }

        /**
         * A mailbox with a display name and other SMTP addresses (proxy addresses): {@code ResolveNames} finds it by
         * any of them and, with {@code ReturnFullContactData}, lists them in the contact's {@code EmailAddresses}.
         *
         * @param email the primary address
         * @param displayName the display name
         * @param aliases other addresses of the mailbox
         * @return this builder
         */
        public Builder mailbox(String email, String displayName, String... aliases) {
            mailbox(email);
            EwsStore.Box b = store.boxes.get(email.toLowerCase(Locale.ROOT));
            b.displayName = displayName;
            for (String a : aliases) {
                b.aliases.add(a.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * Whether every {@code @example.com} mailbox exists on first use (the standalone fake's default).
         *
         * @param any true to create them on first use
         * @return this builder
         */
        public Builder anyExampleMailbox(boolean any) {
            store.anyExampleMailbox = any;
            return this;
        }

        /**
         * The clock for creation and modification times.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * The port to bind on 127.0.0.1 (default 0: a free one).
         *
         * @param port the port, 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Builds the server; it does not listen until {@link FakeEwsServer#start()}.
         *
         * @return the server, not started
         */
        public FakeEwsServer build() {
            return new FakeEwsServer(this);
        }
    }

    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            return new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
