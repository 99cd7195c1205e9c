package org.calsdk.ews;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.calsdk.api.CalendarConnection;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.calsdk.testkit.tck.ProviderTck;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.calsdk.testkit.tck.TckFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provider TCK against the fake EWS server. The connection under test is the service account acting
 * as alice through ApplicationImpersonation (every call carries the ExchangeImpersonation header and
 * X-AnchorMailbox); the organization connection is the service account itself, whose impersonation scope
 * holds alice and bob but not carol.
 */
class FakeEwsTckTest extends ProviderTck {
    private static FakeEwsServer ews;
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final AtomicLong seen = new AtomicLong();

    @BeforeAll
    static void startFake() {
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox("alice@example.com")
                .mailbox("bob@example.com")
                .mailbox("carol@example.com")
                .impersonationScope("svc", "alice@example.com", "bob@example.com")
                .build()
                .start();
    }

    @AfterAll
    static void stopFake() {
        if (ews != null) {
            ews.close();
        }
    }

    @Override
    protected Optional<String> limitation(String ruleId) {
        if (ruleId.equals("CH-103")) {
            return Optional.of(
                    "SyncFolderItems reports a deleted item by its ItemId only; the extended property holding "
                            + "the key is gone with the item");
        }
        return Optional.empty();
    }

    private EwsProvider provider() {
        return EwsProvider.builder()
                .retryPolicy(RetryPolicy.custom()
                        .maxAttempts(3)
                        .baseBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5))
                        .maxRetryAfter(Duration.ofSeconds(5))
                        .build())
                .sleeper(sleeper)
                .build();
    }

    @Override
    protected CalendarConnection connect() {
        return provider()
                .connect(ews.connectionConfig("svc")
                        .setting("impersonation", "true")
                        .setting("mailbox", "alice@example.com")
                        .build());
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
                        Feature.NOTICES);
            }

            @Override
            public long noticesSent() {
                return ews.sentMessages().size();
            }

            @Override
            public Optional<Mailbox> otherMailbox() {
                return Optional.of(Mailbox.of("bob@example.com"));
            }

            @Override
            public CalendarConnection connectOrganization() {
                return provider()
                        .connect(ews.connectionConfig("svc")
                                .setting("impersonation", "true")
                                .build());
            }

            @Override
            public Optional<Mailbox> outOfScopeMailbox() {
                return Optional.of(Mailbox.of("carol@example.com"));
            }

            @Override
            public void dropNextResponse(SpiOperation operation) {
                ews.faults()
                        .add(FaultRule.on(wireOperation(operation)).times(1).inject(Fault.dropResponseAfterCommit()));
            }

            @Override
            public void invalidateCursors(CalendarRef calendar) {
                ews.invalidateSyncStates();
            }

            @Override
            public void failNext(SpiOperation operation, int status, Duration retryAfter) {
                FakeResponse r = FakeResponse.text(status, "injected");
                if (retryAfter != null) {
                    r = r.withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
                }
                ews.faults().add(FaultRule.on(wireOperation(operation)).always().inject(Fault.respond(r)));
            }

            @Override
            public void delayNext(SpiOperation operation, Duration delay) {
                ews.faults().add(FaultRule.on(wireOperation(operation)).times(1).inject(Fault.latency(delay)));
            }

            @Override
            public void throttleNext(SpiOperation operation, Duration retryAfter) {
                ews.faults()
                        .add(FaultRule.on(wireOperation(operation)).times(1).inject(Fault.tooManyRequests(retryAfter)));
            }

            @Override
            public List<Duration> takePauses() {
                return sleeper.take();
            }

            @Override
            public void wireFault(SpiOperation operation, WireFault fault) {
                Fault f = fault == WireFault.TRUNCATED_BODY ? Fault.truncatedBody() : Fault.connectionReset();
                ews.faults().add(FaultRule.on(wireOperation(operation)).always().inject(f));
            }

            @Override
            public void clearFaults() {
                ews.faults().clear();
            }
        };
    }

    /** The SOAP operation that the SDK call sends first (or that carries the write). */
    static String wireOperation(SpiOperation op) {
        return switch (op) {
            case FREE_BUSY -> "GetUserAvailability";
            case LIST_CALENDARS, CHANGED_CALENDARS -> "GetFolder";
            case LIST_EVENTS, FIND_BY_KEY -> "FindItem";
            case GET_EVENT -> "GetItem";
            case CHANGES -> "SyncFolderItems";
            case CREATE_EVENT -> "CreateItem";
            case UPDATE_EVENT, UPDATE_OCCURRENCE, RESPOND -> "UpdateItem";
            case DELETE_EVENT, CANCEL_OCCURRENCE -> "DeleteItem";
            default -> throw new UnsupportedOperationException("no EWS wire operation for " + op);
        };
    }
}
