package org.calsdk.sync.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.model.Attendee;
import org.calsdk.model.Event;
import org.calsdk.sync.OutboxEntry;
import org.jspecify.annotations.Nullable;

/**
 * The {@code payload} column of an outbox row: the event of an upsert ({@link EventCodec}), nothing for a
 * delete, and {@code {"eventId":…,"status":…,"notify":…}} for an answer to an invitation.
 */
public final class OutboxPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutboxPayloads() {}

    public static @Nullable String write(OutboxEntry entry) {
        return switch (entry.operation()) {
            case UPSERT -> EventCodec.write(entry.event());
            case DELETE -> null;
            case RESPOND -> {
                ObjectNode n = JSON.createObjectNode();
                n.put("eventId", entry.response().eventId());
                n.put("status", entry.response().status().name());
                n.put("notify", entry.response().notifyOrganizer());
                yield n.toString();
            }
        };
    }

    public static @Nullable Event event(OutboxEntry.Operation operation, @Nullable String payload) {
        return operation == OutboxEntry.Operation.UPSERT ? EventCodec.read(payload) : null;
    }

    public static OutboxEntry.@Nullable Response response(OutboxEntry.Operation operation, @Nullable String payload) {
        if (operation != OutboxEntry.Operation.RESPOND) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(payload == null ? "" : payload);
            if (n == null || !n.path("eventId").isTextual() || !n.path("status").isTextual()) {
                throw new MalformedDataException("stored answer to an invitation lacks its event id or status");
            }
            return new OutboxEntry.Response(
                    n.get("eventId").asText(),
                    Attendee.ResponseStatus.valueOf(n.get("status").asText()),
                    n.path("notify").asBoolean(true));
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedDataException(
                    "stored answer to an invitation is not valid: " + e.getMessage(), ErrorContext.NONE, e);
        }
    }
}
