package org.calsdk.testkit;

import org.calsdk.internal.Checks;

/**
 * How one provider says "your sync token is no longer valid", "your subscription has expired" and
 * "your grant was revoked" on the wire: each fake maps the generic {@link Fault#invalidSyncToken()},
 * {@link Fault#expiredSubscription()} and {@link Fault#revokedToken()} to its provider's form. Presets
 * for the providers of this SDK are given; a fake may supply its own.
 *
 * <pre>{@code
 * FakeServer.builder(state).protocolFaults(ProtocolFaults.caldav())...
 * }</pre>
 *
 * @since 0.1
 */
public interface ProtocolFaults {

    /**
     * The answer to a read with an invalid or expired sync token / delta link / sync state.
     *
     * @param request the call that gets the fault
     * @return the answer in the provider's form
     */
    FakeResponse invalidSyncToken(FakeRequest request);

    /**
     * The answer to a call on a subscription (watch channel) that has expired.
     *
     * @param request the call that gets the fault
     * @return the answer in the provider's form
     */
    FakeResponse expiredSubscription(FakeRequest request);

    /**
     * The answer when the grant behind the access token was revoked (OAuth 2 {@code invalid_grant}).
     *
     * @param request the call that gets the fault
     * @return the answer in the provider's form; by default 401 with {@code invalid_grant}
     */
    default FakeResponse revokedToken(FakeRequest request) {
        return FakeResponse.json(
                        401,
                        "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}")
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    /**
     * Generic JSON answers: 410 {@code invalid_sync_token}, 404 {@code subscription_expired}, 401 {@code
     * invalid_grant}.
     *
     * @return the generic answers
     */
    static ProtocolFaults defaults() {
        return of(
                FakeResponse.json(
                        410, "{\"error\":\"invalid_sync_token\",\"message\":\"Sync token is no longer valid\"}"),
                FakeResponse.json(
                        404, "{\"error\":\"subscription_expired\",\"message\":\"Subscription has expired\"}"));
    }

    /**
     * Google Calendar: 410 {@code fullSyncRequired}; 404 for an unknown channel.
     *
     * @return Google's answers
     */
    static ProtocolFaults google() {
        return of(
                FakeResponse.json(
                        410,
                        "{\"error\":{\"code\":410,\"message\":\"Sync token is no longer valid, a full sync is required.\","
                                + "\"errors\":[{\"domain\":\"global\",\"reason\":\"fullSyncRequired\",\"message\":\"Sync token is no longer valid, a full sync is required.\"}]}}"),
                FakeResponse.json(
                        404,
                        "{\"error\":{\"code\":404,\"message\":\"Channel 'unknown' not found for project\","
                                + "\"errors\":[{\"domain\":\"global\",\"reason\":\"notFound\"}]}}"));
    }

    /**
     * Microsoft Graph: 410 {@code syncStateNotFound} for an expired delta token; 404 for an expired subscription.
     *
     * @return Graph's answers
     */
    static ProtocolFaults graph() {
        return of(
                FakeResponse.json(
                        410,
                        "{\"error\":{\"code\":\"syncStateNotFound\",\"message\":\"The sync state generation is not found.\"}}"),
                FakeResponse.json(
                        404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The object was not found.\"}}"));
    }

    /**
     * CalDAV (RFC 6578): 403 with the {@code DAV:valid-sync-token} precondition; no subscriptions (404).
     *
     * @return CalDAV's answers
     */
    static ProtocolFaults caldav() {
        return of(
                FakeResponse.xml(
                        403,
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                + "<D:error xmlns:D=\"DAV:\"><D:valid-sync-token/></D:error>"),
                FakeResponse.of(404));
    }

    /**
     * EWS: {@code ErrorInvalidSyncStateData} in a SOAP response (HTTP 200, as EWS reports errors).
     *
     * @return EWS's answers
     */
    static ProtocolFaults ews() {
        String body =
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                        + "<s:Body><m:SyncFolderItemsResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
                        + "<m:ResponseMessages><m:SyncFolderItemsResponseMessage ResponseClass=\"Error\">"
                        + "<m:MessageText>Synchronization state data is corrupt or otherwise invalid.</m:MessageText>"
                        + "<m:ResponseCode>ErrorInvalidSyncStateData</m:ResponseCode>"
                        + "</m:SyncFolderItemsResponseMessage></m:ResponseMessages></m:SyncFolderItemsResponse></s:Body></s:Envelope>";
        String expired = body.replace("SyncFolderItems", "GetStreamingEvents")
                .replace("ErrorInvalidSyncStateData", "ErrorSubscriptionNotFound")
                .replace(
                        "Synchronization state data is corrupt or otherwise invalid.",
                        "The specified subscription was not found.");
        return of(FakeResponse.xml(200, body), FakeResponse.xml(200, expired));
    }

    /**
     * Fixed answers.
     *
     * @param invalidSyncToken the answer to a stale sync token
     * @param expiredSubscription the answer to an expired subscription
     * @return answers that are always these
     */
    static ProtocolFaults of(FakeResponse invalidSyncToken, FakeResponse expiredSubscription) {
        Checks.notNull(invalidSyncToken, "invalidSyncToken");
        Checks.notNull(expiredSubscription, "expiredSubscription");
        return new ProtocolFaults() {
            @Override
            public FakeResponse invalidSyncToken(FakeRequest request) {
                return invalidSyncToken;
            }

            @Override
            public FakeResponse expiredSubscription(FakeRequest request) {
                return expiredSubscription;
            }
        };
    }
}
