package org.calsdk.bench.comparators;

import com.google.api.client.googleapis.batch.BatchRequest;
import com.google.api.client.googleapis.batch.json.JsonBatchCallback;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.FreeBusyCalendar;
import com.google.api.services.calendar.model.FreeBusyRequest;
import com.google.api.services.calendar.model.FreeBusyRequestItem;
import com.google.api.services.calendar.model.FreeBusyResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Google's own Java client ({@code google-api-services-calendar}). Careful: {@code freebusy.query} calls of
 * 50 calendars each (Google's {@code calendarExpansionMax}), all queued in one HTTP batch (up to 1,000
 * calls a batch). Naive: one {@code freebusy.query} per mailbox, one after another.
 */
public final class GoogleComparator implements FreeBusyComparator {
    static final int PER_CALL = 50;
    static final int PER_BATCH = 1_000;
    private final Calendar client;

    /** @param rootUrl the API root (Google's, or a fake's); @param token a bearer token */
    public GoogleComparator(String rootUrl, String token) {
        this.client = new Calendar.Builder(
                        new NetHttpTransport(),
                        GsonFactory.getDefaultInstance(),
                        req -> req.getHeaders().setAuthorization("Bearer " + token))
                .setRootUrl(rootUrl)
                .setApplicationName("calsdk-bench-comparator")
                .build();
    }

    @Override
    public Result freeBusy(Style style, List<String> mailboxes, Instant from, Instant to) throws IOException {
        long[] busy = {0};
        int[] answered = {0};
        int requests = 0;
        if (style == Style.NAIVE) {
            for (String m : mailboxes) {
                FreeBusyResponse r =
                        client.freebusy().query(request(List.of(m), from, to)).execute();
                absorb(r, List.of(m), busy, answered);
                requests++;
            }
            return new Result(answered[0], busy[0], requests);
        }
        List<List<String>> calls = FreeBusyComparator.chunks(mailboxes, PER_CALL);
        for (List<List<String>> batchCalls : FreeBusyComparator.chunks(calls, PER_BATCH)) {
            BatchRequest batch = client.batch();
            List<String> failures = new ArrayList<>();
            for (List<String> chunk : batchCalls) {
                client.freebusy()
                        .query(request(chunk, from, to))
                        .queue(batch, new JsonBatchCallback<FreeBusyResponse>() {
                            @Override
                            public void onSuccess(FreeBusyResponse r, HttpHeaders headers) {
                                absorb(r, chunk, busy, answered);
                            }

                            @Override
                            public void onFailure(GoogleJsonError e, HttpHeaders headers) {
                                failures.add(e.getCode() + " " + e.getMessage());
                            }
                        });
            }
            batch.execute();
            requests++;
            if (!failures.isEmpty()) {
                throw new IOException("freebusy.query failed in the batch: " + failures.get(0));
            }
        }
        return new Result(answered[0], busy[0], requests);
    }

    private static FreeBusyRequest request(List<String> who, Instant from, Instant to) {
        List<FreeBusyRequestItem> items = new ArrayList<>();
        who.forEach(m -> items.add(new FreeBusyRequestItem().setId(m)));
        return new FreeBusyRequest()
                .setTimeMin(new DateTime(from.toEpochMilli()))
                .setTimeMax(new DateTime(to.toEpochMilli()))
                .setTimeZone("UTC")
                .setItems(items);
    }

    private static void absorb(FreeBusyResponse r, List<String> asked, long[] busy, int[] answered) {
        Map<String, FreeBusyCalendar> calendars = r.getCalendars();
        for (String m : asked) {
            FreeBusyCalendar c = calendars == null ? null : calendars.get(m);
            if (c == null || (c.getErrors() != null && !c.getErrors().isEmpty())) {
                throw new IllegalStateException("no free/busy for " + m + (c == null ? "" : ": " + c.getErrors()));
            }
            answered[0]++;
            busy[0] += c.getBusy() == null ? 0 : c.getBusy().size();
        }
    }
}
