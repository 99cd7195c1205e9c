package org.calsdk.api;

import java.util.List;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What the host's endpoint answers to a webhook request, and what the notification means.
 *
 * @param status      HTTP status to answer with (202 for a notification, 200 for a validation handshake)
 * @param contentType content type of {@code body}, or null
 * @param body        the body to answer with (Graph's validation token), possibly empty
 * @param signals     what changed; empty for handshakes and rejected requests
 * @since 0.1
 */
public record WebhookResponse(int status, @Nullable String contentType, String body, List<ChangeSignal> signals) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param status HTTP status to answer with (202 for a notification, 200 for a validation handshake)
     * @param contentType content type of {@code body}, or null
     * @param body the body to answer with (Graph's validation token), possibly empty
     * @param signals what changed; empty for handshakes and rejected requests
     */
    public WebhookResponse {
        body = body == null ? "" : body;
        signals = Checks.immutableList(signals, "signals");
    }
}
