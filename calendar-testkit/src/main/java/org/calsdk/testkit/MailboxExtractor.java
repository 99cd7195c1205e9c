package org.calsdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.internal.Checks;

/**
 * Which mailboxes a call is about when its body names several (Google {@code freeBusy} {@code items},
 * Graph {@code getSchedule} {@code schedules}). Such a call counts once per mailbox in
 * {@link RequestAccounting#callsFor}, and {@link FaultRule.Builder#forMailbox} rules hit it when they name
 * one of its mailboxes. Extractors must not throw: an unreadable body names no mailbox.
 *
 * <pre>{@code
 * .route(RouteSpec.of("POST", "/calendar/v3/freeBusy", "freebusy", Google::freeBusy)
 *         .mailboxes(MailboxExtractor.jsonArray("items", "id"))
 *         .mailboxErrors(Google::injectCalendarErrors))
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MailboxExtractor {
    /** At most this many mailboxes are read from one body. */
    int MAX_MAILBOXES = 10_000;

    /**
     * The mailboxes, in body order, possibly empty.
     *
     * @param request the request whose body is read
     * @return the addresses; empty when the body names none or cannot be read
     */
    List<String> mailboxes(FakeRequest request);

    /**
     * The strings of the top-level JSON array {@code array}, or, with {@code field}, the text of that field
     * of each of its objects: {@code jsonArray("items", "id")} for Google, {@code jsonArray("schedules", null)}
     * for Graph.
     *
     * @param array the name of the top-level array
     * @param field the field of each object to read, or null when the array holds strings
     * @return the extractor
     */
    static MailboxExtractor jsonArray(String array, String field) {
        Checks.notBlank(array, "array");
        ObjectMapper json = new ObjectMapper();
        return request -> {
            List<String> out = new ArrayList<>();
            try {
                JsonNode root = json.readTree(request.body());
                JsonNode a = root == null ? null : root.get(array);
                if (a != null && a.isArray()) {
                    for (JsonNode item : a) {
                        JsonNode v = field == null ? item : item.get(field);
                        if (v != null && v.isTextual() && out.size() < MAX_MAILBOXES) {
                            out.add(v.asText());
                        }
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                return List.of();
            }
            return out;
        };
    }
}
