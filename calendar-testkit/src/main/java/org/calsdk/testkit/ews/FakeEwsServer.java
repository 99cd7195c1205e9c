package org.calsdk.testkit.ews;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.model.Event;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultScript;
import org.calsdk.testkit.RequestAccounting;

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
 * 100 mailboxes and 42 days; a per-mailbox error in its own response message) and {@code ResolveNames}.
 *
 * <p>Impersonation: the {@code ExchangeImpersonation} header is checked against each service account's
 * scope ({@code ErrorImpersonateUserDenied}); a mailbox that does not exist is
 * {@code ErrorNonExistentMailbox}. Authentication: Basic for seeded service accounts; with none seeded,
 * any Basic password or bearer token is accepted. A request without credentials gets a 401 Basic
 * challenge. Throttling: {@link #serverBusy} makes calls fail with {@code ErrorServerBusy} carrying
 * {@code BackOffMilliseconds}.
 *
 * <p>Faults and accounting use the testkit's {@link FaultScript} and {@link RequestAccounting}, keyed by the
 * SOAP operation name ({@code GetUserAvailability}, {@code CreateItem}, ...) and the mailbox acted as (the
 * impersonated one, else {@code X-AnchorMailbox}). The routing by SOAP body lives here until the testkit's
 * framework routes by body itself.
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

    private final EwsStore store;
    private final FaultScript faults = new FaultScript();
    private final RequestAccounting accounting = new RequestAccounting();
    private final EwsOperations operations;
    private MockWebServer server;

    private FakeEwsServer(Builder b) {
        this.store = b.store;
        this.operations = new EwsOperations(store, b.clock);
    }

    /** Starts building a fake. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds 127.0.0.1 on a free port. Idempotent. */
    public synchronized FakeEwsServer start() {
        if (server == null) {
            server = new MockWebServer();
            server.setDispatcher(new EwsDispatcher());
            try {
                server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake EWS server", e);
            }
        }
        return this;
    }

    /** The endpoint URL, {@code http://127.0.0.1:PORT/EWS/Exchange.asmx}. */
    public synchronized String url() {
        return baseUrl().resolve(PATH).toString();
    }

    public synchronized HttpUrl baseUrl() {
        if (server == null) {
            throw new IllegalStateException("the fake EWS server is not started");
        }
        return server.url("/");
    }

    public synchronized int port() {
        return baseUrl().port();
    }

    /** Fault rules, by SOAP operation name and mailbox. */
    public FaultScript faults() {
        return faults;
    }

    /** Calls received, by SOAP operation name and mailbox. */
    public RequestAccounting accounting() {
        return accounting;
    }

    /**
     * A connection config for the service account {@code account}: url, its password,
     * {@code allowPrivateNetwork=true} (the fake listens on loopback). Add {@code impersonation} as needed.
     */
    public ConnectionConfig.Builder connectionConfig(String account) {
        String pw;
        synchronized (store) {
            pw = store.accounts.getOrDefault(account, "any-password");
        }
        return ConnectionConfig.builder("ews").setting("url", url()).setting("allowPrivateNetwork", "true")
                .credentials(PasswordCredentials.of(account, Secret.of(pw)));
    }

    /** The next {@code calls} calls fail with {@code ErrorServerBusy} asking to back off {@code backOff}. */
    public void serverBusy(int calls, Duration backOff) {
        synchronized (store) {
            store.serverBusyCalls = calls;
            store.serverBusyBackOff = backOff.toMillis();
        }
    }

    /** Every sync state issued so far becomes invalid ({@code ErrorInvalidSyncStateData}). */
    public void invalidateSyncStates() {
        synchronized (store) {
            store.boxes.values().forEach(b -> b.generation++);
        }
    }

    /** Stores an event in {@code mailbox}'s calendar as another client would; returns its item id. */
    public String putEvent(String mailbox, Event event) {
        return operations.put(mailbox, event);
    }

    /** How many items {@code mailbox}'s calendar holds. */
    public int itemCount(String mailbox) {
        synchronized (store) {
            EwsStore.Box b = store.box(mailbox);
            return b == null ? 0 : b.items.size();
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown();
            } catch (IOException ignored) {
                // the port is released either way
            }
        }
    }

    @Override
    public String toString() {
        return "FakeEwsServer[" + (server == null ? "not started" : url()) + "]";
    }

    /** Routes each POST by the first element of its SOAP body, applying faults and counting calls. */
    private final class EwsDispatcher extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest recorded) {
            byte[] body = recorded.getBody().readByteArray();
            String op = "unmatched";
            String mailbox = recorded.getHeader("X-AnchorMailbox");
            El envelope = null;
            try {
                envelope = El.parse(body);
                El b = envelope.child("Body").orElse(null);
                if (b != null && !b.children().isEmpty()) {
                    op = b.children().get(0).name();
                }
                String imp = envelope.path("Header", "ExchangeImpersonation", "ConnectingSID")
                        .flatMap(s -> s.text("SmtpAddress").or(() -> s.text("PrimarySmtpAddress"))).orElse(null);
                if (imp != null) {
                    mailbox = imp;
                }
            } catch (IllegalArgumentException e) {
                envelope = null;
            }
            if (mailbox != null) {
                mailbox = mailbox.toLowerCase(Locale.ROOT);
            }
            FakeRequest request = new FakeRequest(recorded.getMethod(), recorded.getRequestUrl(), Map.of(),
                    recorded.getHeaders(), body, op, mailbox);
            accounting.begin(op, mailbox, body.length);
            accounting.sent(request);
            Fault fault = null;
            int status = 0;
            long out = 0;
            try {
                fault = faults.next(op, mailbox).orElse(null);
                if (fault instanceof Fault.Latency l) {
                    try {
                        Thread.sleep(l.delay().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                MockResponse answer = fault == null || fault instanceof Fault.Latency
                        ? mock(handle(recorded, envelope, body)) : faulted(fault, recorded, envelope, body);
                if (answer.getSocketPolicy() == SocketPolicy.KEEP_OPEN) {
                    status = Integer.parseInt(answer.getStatus().split(" ")[1]);
                }
                out = answer.getBody() == null ? 0 : answer.getBody().size();
                return answer;
            } finally {
                accounting.end(new RequestAccounting.Call(request.method(), request.path(), op, mailbox, status,
                        fault == null ? null : fault.getClass().getSimpleName(), body.length, out));
            }
        }

        private FakeResponse handle(RecordedRequest recorded, El envelope, byte[] body) {
            if (!PATH.equalsIgnoreCase(recorded.getRequestUrl().encodedPath())) {
                return FakeResponse.text(404, "no such resource on the fake EWS server");
            }
            if (!"POST".equals(recorded.getMethod())) {
                return FakeResponse.text(405, "EWS takes POST only").withHeader("Allow", "POST");
            }
            try {
                return operations.handle(recorded.getHeader("Authorization"), envelope);
            } catch (RuntimeException e) {
                return EwsOperations.fault("ErrorInternalServerError", "fake handler failed: " + e, null);
            }
        }

        private MockResponse faulted(Fault fault, RecordedRequest recorded, El envelope, byte[] body) {
            if (fault instanceof Fault.Status s) {
                return mock(s.response());
            }
            if (fault instanceof Fault.ConnectionReset || fault instanceof Fault.DropResponseAfterCommit) {
                if (fault instanceof Fault.DropResponseAfterCommit) {
                    handle(recorded, envelope, body);
                }
                return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            }
            if (fault instanceof Fault.TruncatedBody) {
                return mock(handle(recorded, envelope, body)).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
            }
            if (fault instanceof Fault.SlowBody s) {
                return mock(handle(recorded, envelope, body))
                        .throttleBody(s.bytesPerPeriod(), s.period().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            if (fault instanceof Fault.NoResponse) {
                return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
            }
            if (fault instanceof Fault.InvalidSyncToken) {
                invalidateSyncStates();
                return mock(handle(recorded, envelope, body));
            }
            if (fault instanceof Fault.RevokedToken) {
                return mock(FakeResponse.text(401, "token revoked")
                        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            }
            return mock(handle(recorded, envelope, body));
        }

        private MockResponse mock(FakeResponse r) {
            MockResponse m = new MockResponse().setResponseCode(r.status());
            r.headers().forEach(m::setHeader);
            m.setBody(new Buffer().write(r.body()));
            return m;
        }
    }

    /** Builds a {@link FakeEwsServer}. */
    public static final class Builder {
        private final EwsStore store = new EwsStore();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** A service account with Basic credentials; once one is seeded, only seeded accounts get in. */
        public Builder serviceAccount(String name, String password) {
            store.accounts.put(Objects.requireNonNull(name), Objects.requireNonNull(password));
            return this;
        }

        /** The mailboxes {@code account} may impersonate (default: every mailbox). */
        public Builder impersonationScope(String account, String... mailboxes) {
            Set<String> s = new LinkedHashSet<>();
            for (String m : mailboxes) {
                s.add(m.toLowerCase(Locale.ROOT));
            }
            store.impersonationScopes.put(account, s);
            return this;
        }

        /** A mailbox with an empty calendar. */
        public Builder mailbox(String email) {
            String e = email.toLowerCase(Locale.ROOT);
            store.boxes.putIfAbsent(e, new EwsStore.Box(e));
            return this;
        }

        /** Whether every {@code @example.com} mailbox exists on first use (the standalone fake's default). */
        public Builder anyExampleMailbox(boolean any) {
            store.anyExampleMailbox = any;
            return this;
        }

        /** The clock for creation and modification times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public FakeEwsServer build() {
            return new FakeEwsServer(this);
        }
    }

    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String raw = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            return raw;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
