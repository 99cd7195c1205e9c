package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.graph.models.ChangeNotificationCollection;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.serialization.KiotaJsonSerialization;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.calsdk.api.WebhookRequest;
import org.calsdk.api.WebhookResponse;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official SDK's subscriptions against the fake Graph: create (the fake's validation handshake reaches
 * an in-process endpoint that echoes the token), read, renew, delete, the 404 of a removed one, and the
 * notifications the fake sends read by the SDK's own {@code ChangeNotificationCollection} model.
 */
class GraphSdkSubscriptionsTest {
    private static final String ALICE = "alice@example.com";
    private FakeGraphServer graph;
    private GraphServiceClient sdk;

    @BeforeEach
    void start() {
        graph = FakeGraphServer.builder()
                .mailbox(ALICE)
                .webhookEndpoint(GraphSdkSubscriptionsTest::echo)
                .build()
                .start();
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return "sdk-test-token";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("127.0.0.1");
            }
        };
        sdk = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens));
        sdk.getRequestAdapter().setBaseUrl(graph.baseUrl());
    }

    /** A host endpoint: the handshake's token echoed as text, notifications accepted. */
    private static WebhookResponse echo(WebhookRequest r) {
        String token = r.query().get("validationToken");
        return token != null
                ? new WebhookResponse(200, "text/plain", token, List.of())
                : new WebhookResponse(202, null, "", List.of());
    }

    @AfterEach
    void stop() {
        graph.close();
    }

    @Test
    void createReadRenewNotifyAndDelete() throws Exception {
        com.microsoft.graph.models.Subscription s = new com.microsoft.graph.models.Subscription();
        s.setChangeType("created,updated,deleted");
        s.setNotificationUrl("https://hooks.example/graph");
        s.setLifecycleNotificationUrl("https://hooks.example/graph");
        s.setResource("/users/" + ALICE + "/events");
        s.setClientState("sdk-client-state");
        s.setExpirationDateTime(OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
        com.microsoft.graph.models.Subscription made = sdk.subscriptions().post(s);
        assertThat(made.getId()).isNotBlank();
        assertThat(made.getResource()).isEqualTo("/users/" + ALICE + "/events");

        com.microsoft.graph.models.Subscription renew = new com.microsoft.graph.models.Subscription();
        renew.setExpirationDateTime(OffsetDateTime.now(ZoneOffset.UTC).plusHours(2));
        com.microsoft.graph.models.Subscription renewed =
                sdk.subscriptions().bySubscriptionId(made.getId()).patch(renew);
        assertThat(renewed.getExpirationDateTime()).isAfter(made.getExpirationDateTime());
        assertThat(sdk.subscriptions().bySubscriptionId(made.getId()).get().getChangeType())
                .isEqualTo("created,updated,deleted");

        com.microsoft.graph.models.Event e = new com.microsoft.graph.models.Event();
        e.setSubject("pushed");
        com.microsoft.graph.models.DateTimeTimeZone start = new com.microsoft.graph.models.DateTimeTimeZone();
        start.setDateTime("2031-02-03T10:00:00");
        start.setTimeZone("UTC");
        com.microsoft.graph.models.DateTimeTimeZone end = new com.microsoft.graph.models.DateTimeTimeZone();
        end.setDateTime("2031-02-03T11:00:00");
        end.setTimeZone("UTC");
        e.setStart(start);
        e.setEnd(end);
        String eventId = sdk.users().byUserId(ALICE).events().post(e).getId();
        List<WebhookRequest> hooks = graph.takeWebhooks();
        assertThat(hooks).hasSize(1);
        ChangeNotificationCollection notes = KiotaJsonSerialization.deserialize(
                new String(hooks.get(0).body(), StandardCharsets.UTF_8),
                ChangeNotificationCollection::createFromDiscriminatorValue);
        assertThat(notes.getValue()).singleElement().satisfies(n -> {
            assertThat(n.getSubscriptionId().toString()).isEqualTo(made.getId());
            assertThat(n.getClientState()).isEqualTo("sdk-client-state");
            assertThat(n.getChangeType().getValue()).isEqualTo("created");
            assertThat(n.getResource()).endsWith("/Events/" + eventId);
        });

        sdk.subscriptions().bySubscriptionId(made.getId()).delete();
        assertThatThrownBy(
                        () -> sdk.subscriptions().bySubscriptionId(made.getId()).get())
                .isInstanceOfSatisfying(
                        ODataError.class,
                        err -> assertThat(err.getResponseStatusCode()).isEqualTo(404));
    }
}
