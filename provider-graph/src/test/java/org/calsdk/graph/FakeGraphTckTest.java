package org.calsdk.graph;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.WebhookResponse;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.calsdk.testkit.tck.FakeServerFixture;
import org.calsdk.testkit.tck.ProviderTck;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.calsdk.testkit.tck.TckFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provider TCK against the fake Graph: alice's own calendar, bob as the other mailbox, and an
 * organization (app-only) connection whose access policy leaves carol out. Faults are injected on the
 * wire operations that carry each SPI call.
 */
class FakeGraphTckTest extends ProviderTck {
    private static FakeGraphServer graph;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeAll
    static void startFake() {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com", "Alice")
                .mailbox("bob@example.com", "Bob")
                .mailbox("carol@example.com", "Carol")
                .accessPolicy(List.of("alice@example.com", "bob@example.com"))
                // the TCK's callback URL is not reachable: handshakes and notifications go to an in-process
                // endpoint, which answers as a host does, through the provider's own webhook handling
                .webhookEndpoint(request -> {
                    try (CalendarConnection c = GraphProvider.builder()
                            .build()
                            .connect(graph.connectionConfig("alice@example.com").build())) {
                        WebhookResponse handshake = c.push().handle(request, List.of());
                        return request.query().containsKey("validationToken")
                                ? handshake
                                : new WebhookResponse(202, "text/plain", "", List.of()); // the TCK checks these itself
                    }
                })
                .build()
                .start();
    }

    @AfterAll
    static void stopFake() {
        if (graph != null) {
            graph.close();
        }
    }

    private GraphProvider provider() {
        return GraphProvider.builder()
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
        // the TCK writes in 2031: the sync window reaches that far
        return provider()
                .connect(graph.connectionConfig("alice@example.com")
                        .setting("syncWindowFuture", "P3650D")
                        .build());
    }

    @Override
    protected Optional<String> limitation(String ruleId) {
        if (ruleId.equals("CH-103")) {
            return Optional.of("calendarView/delta names a removed event by its id only ({\"id\":…,\"@removed\":"
                    + "{\"reason\":\"deleted\"}}); the key lived in the event's extended property, gone with it");
        }
        return Optional.empty();
    }

    private CalendarConnection organization() {
        return provider()
                .connect(ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .setting("accessToken", "app-token")
                        .setting("allowPrivateNetwork", "true")
                        .build());
    }

    @Override
    protected TckFixture fixture() {
        return FakeServerFixture.builder(graph.server())
                .operation(SpiOperation.FREE_BUSY, "getSchedule")
                .operation(SpiOperation.LIST_CALENDARS, "calendars")
                .operation(SpiOperation.LIST_EVENTS, "calendarView")
                .operation(SpiOperation.GET_EVENT, "events.get")
                .operation(SpiOperation.FIND_BY_KEY, "events.list")
                .operation(SpiOperation.CREATE_EVENT, "events.create")
                .operation(SpiOperation.UPDATE_EVENT, "events.update")
                .operation(SpiOperation.DELETE_EVENT, "events.delete")
                .operation(SpiOperation.UPDATE_OCCURRENCE, "events.update")
                .operation(SpiOperation.CANCEL_OCCURRENCE, "events.delete")
                .operation(SpiOperation.RESPOND, "events.respond")
                .operation(SpiOperation.CHANGES, "delta")
                .attempts(3)
                .otherMailbox(Mailbox.of("bob@example.com"))
                .organization(this::organization, Mailbox.of("carol@example.com"))
                .webhooks(graph::takeWebhooks)
                .expireSubscription(sub -> graph.expireSubscription(sub.id()))
                .sleeper(sleeper)
                .build();
    }
}
