package org.calsdk.graph.internal;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.model.CalendarRef;

/**
 * What every part of one Graph connection shares (and the views {@code actAs} hands out share too): the
 * client, the event mapper, the sync window, and the retry policy and sleeper for sub-requests of a
 * {@code $batch} that Graph throttled.
 */
public record GraphSession(
        GraphClient client,
        EventMapper mapper,
        ZoneId zone,
        Duration syncPast,
        Duration syncFuture,
        RetryPolicy retryPolicy,
        Sleeper sleeper,
        Executor executor) {

    /** {@code /users/{mailbox}/...}: the default calendar's collection, or a named calendar's. */
    public HttpUrl.Builder calendarUrl(CalendarRef calendar, String... rest) {
        List<String> segs = new ArrayList<>(List.of("users", calendar.mailbox().email()));
        if (!calendar.isPrimary()) {
            segs.add("calendars");
            segs.add(calendar.id());
        }
        segs.addAll(List.of(rest));
        return client.url(segs.toArray(String[]::new));
    }

    /** {@code /users/{mailbox}/events/{id}/...}. */
    public HttpUrl.Builder eventUrl(CalendarRef calendar, String eventId, String... rest) {
        List<String> segs = new ArrayList<>(List.of("users", calendar.mailbox().email(), "events", eventId));
        segs.addAll(List.of(rest));
        return client.url(segs.toArray(String[]::new));
    }
}
