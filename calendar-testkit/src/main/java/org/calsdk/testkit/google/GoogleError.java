package org.calsdk.testkit.google;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.calsdk.testkit.FakeResponse;

/** An error answer in Google's JSON form ({@code {"error":{"errors":[{domain,reason,message}],code,message}}}). */
final class GoogleError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String reason;

    GoogleError(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    static ObjectNode body(int status, String reason, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        ObjectNode item = error.putArray("errors").addObject();
        item.put(
                "domain",
                reason.equals("rateLimitExceeded") || reason.equals("userRateLimitExceeded")
                        ? "usageLimits"
                        : "global");
        item.put("reason", reason);
        item.put("message", message);
        error.put("code", status);
        error.put("message", message);
        return root;
    }

    FakeResponse response() {
        return response(status, reason, getMessage());
    }

    static FakeResponse response(int status, String reason, String message) {
        return FakeResponse.json(status, body(status, reason, message).toString());
    }
}
