package org.calsdk.google;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.Subscription;
import org.calsdk.api.WebhookRequest;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.calsdk.testkit.tck.FakeServerFixture;
import org.calsdk.testkit.tck.ProviderTck;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.calsdk.testkit.tck.TckFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provider TCK against the fake Google: another mailbox, lost answers, invalidated sync tokens,
 * injected statuses and delays, throttling with the pauses the provider took, cut answers, and the
 * If-Match each write sent, and the push notifications of watch channels. Change reads are cut into pages of 3 so CH-101/102 page.
 */
class FakeGoogleTckTest extends ProviderTck {
    static final String ALICE = "alice@example.com";
    static final String BOB = "bob@example.com";
    /** A user of the domain outside the service account's delegation. */
    static final String CAROL = "carol@example.com";

    private static FakeGoogleServer google;
    private static ServiceAccounts sa;
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final AtomicLong seen = new AtomicLong();

    @BeforeAll
    static void startFake() {
        sa = ServiceAccounts.generate(null);
        google = FakeGoogleServer.builder()
                .user(ALICE, "Alice")
                .user(BOB, "Bob")
                .user(CAROL, "Carol")
                .serviceAccount(ServiceAccounts.CLIENT_EMAIL, sa.pair.getPublic(), Set.of(ALICE, BOB))
                .build()
                .start();
    }

    @AfterAll
    static void stopFake() {
        if (google != null) {
            google.close();
        }
    }

    @Override
    protected Optional<String> limitation(String ruleId) {
        if (ruleId.equals("IM-004")) {
            return Optional.of("Google's organization free/busy is one freeBusy call as the subject, which domain-wide "
                    + "delegation does not bound: a mailbox outside the delegation answers its busy time when the subject "
                    + "may see it, and otherwise the per-calendar error notFound, which Google also gives for a calendar "
                    + "that does not exist, so it is reported as NotFoundException, not PermissionDenied");
        }
        return Optional.empty();
    }

    @Override
    protected CalendarConnection connect() {
        return GoogleProvider.builder()
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5))
                        .maxRetryAfter(Duration.ofSeconds(5))
                        .build())
                .sleeper(sleeper)
                .build()
                .connect(google.connectionConfig(ALICE).setting("pageSize", "3").build());
    }

    @Override
    protected TckFixture fixture() {
        return new TckFixture() {
            @Override
            public Set<Feature> features() {
                return EnumSet.of(
                        Feature.OTHER_MAILBOX,
                        Feature.ORGANIZATION,
                        Feature.DROP_RESPONSE,
                        Feature.INVALIDATE_CURSORS,
                        Feature.INJECT_STATUS,
                        Feature.DELAY,
                        Feature.RETRY_AFTER,
                        Feature.WIRE_FAULTS,
                        Feature.REQUEST_LOG,
                        Feature.WEBHOOKS,
                        Feature.EXPIRE_SUBSCRIPTION);
            }

            @Override
            public List<WebhookRequest> takeWebhooks() {
                return google.takeNotifications().stream()
                        .map(n -> {
                            Map<String, List<String>> headers = new LinkedHashMap<>();
                            n.headers().forEach((k, v) -> headers.put(k, List.of(v)));
                            return new WebhookRequest("POST", headers, Map.of(), new byte[0]);
                        })
                        .toList();
            }

            @Override
            public void expireSubscription(Subscription subscription) {
                google.expireChannel(subscription.id());
            }

            @Override
            public Optional<Mailbox> otherMailbox() {
                return Optional.of(Mailbox.of(BOB));
            }

            @Override
            public CalendarConnection connectOrganization() {
                return GoogleProvider.builder()
                        .sleeper(sleeper)
                        .build()
                        .connect(ConnectionConfig.builder("google")
                                .setting("baseUrl", google.baseUrl())
                                .setting("tokenUrl", google.tokenUrl())
                                .setting("serviceAccountKey", sa.json)
                                .setting("subject", ALICE)
                                .build());
            }

            @Override
            public Optional<Mailbox> outOfScopeMailbox() {
                return Optional.of(Mailbox.of(CAROL));
            }

            @Override
            public void dropNextResponse(SpiOperation operation) {
                google.faults().add(FaultRule.on(wire(operation)).times(1).inject(Fault.dropResponseAfterCommit()));
            }

            @Override
            public void invalidateCursors(CalendarRef calendar) {
                google.invalidateSyncTokens();
            }

            @Override
            public void failNext(SpiOperation operation, int status, Duration retryAfter) {
                Fault f =
                        status == 429 && retryAfter != null ? Fault.tooManyRequests(retryAfter) : Fault.status(status);
                google.faults().add(FaultRule.on(wire(operation)).always().inject(f));
            }

            @Override
            public void delayNext(SpiOperation operation, Duration delay) {
                google.faults().add(FaultRule.on(wire(operation)).times(1).inject(Fault.latency(delay)));
            }

            @Override
            public void throttleNext(SpiOperation operation, Duration retryAfter) {
                google.faults().add(FaultRule.on(wire(operation)).times(1).inject(Fault.tooManyRequests(retryAfter)));
            }

            @Override
            public List<Duration> takePauses() {
                return sleeper.take();
            }

            @Override
            public void wireFault(SpiOperation operation, WireFault fault) {
                Fault f = fault == WireFault.TRUNCATED_BODY ? Fault.truncatedBody() : Fault.connectionReset();
                google.faults().add(FaultRule.on(wire(operation)).always().inject(f));
            }

            @Override
            public List<String> takeVersionsSent(SpiOperation operation) {
                return FakeServerFixture.takeSent(google.accounting(), List.of(wire(operation)), seen);
            }

            @Override
            public void clearFaults() {
                google.faults().clear();
            }
        };
    }

    /** The fake's operation that carries an SDK call (free/busy travels in a batch). */
    static String wire(SpiOperation op) {
        return switch (op) {
            case FREE_BUSY -> "batch";
            case LIST_CALENDARS -> "calendarList.list";
            case LIST_EVENTS, CHANGES -> "events.list";
            case GET_EVENT, FIND_BY_KEY -> "events.get";
            case CREATE_EVENT -> "events.insert";
            case UPDATE_EVENT, UPDATE_OCCURRENCE -> "events.update";
            case DELETE_EVENT, CANCEL_OCCURRENCE -> "events.delete";
            case RESPOND -> "events.patch";
            default -> throw new UnsupportedOperationException("no Google wire operation for " + op);
        };
    }
}
