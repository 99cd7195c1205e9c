package org.calsdk.bench.comparators;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.requests.BatchRequestBuilder;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.ScheduleInformation;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.calendar.getschedule.GetSchedulePostRequestBody;
import com.microsoft.graph.users.item.calendar.getschedule.GetSchedulePostResponse;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Microsoft Graph SDK for Java ({@code microsoft-graph}). Careful: getSchedule calls of 20 schedules
 * each, packed 20 to a {@code $batch} request, the batches sent one after another. Naive: one getSchedule
 * per mailbox, one after another. Both ask as the signed-in user ({@code users/{me}/calendar/getSchedule}).
 */
public final class GraphComparator implements FreeBusyComparator {
    static final int SCHEDULES_PER_CALL = 20;
    static final int CALLS_PER_BATCH = 20;
    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private final GraphServiceClient sdk;
    private final String me;

    /** @param baseUrl Graph's (or a fake's) base URL; @param token a bearer token; @param me the user asking */
    public GraphComparator(String baseUrl, String token, String me) {
        String host = URI.create(baseUrl).getHost();
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return token;
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator(host);
            }
        };
        this.sdk = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens));
        this.sdk.getRequestAdapter().setBaseUrl(baseUrl);
        this.me = me;
    }

    @Override
    public Result freeBusy(Style style, List<String> mailboxes, Instant from, Instant to) throws Exception {
        long busy = 0;
        int answered = 0;
        int requests = 0;
        if (style == Style.NAIVE) {
            for (String m : mailboxes) {
                GetSchedulePostResponse r =
                        sdk.users().byUserId(me).calendar().getSchedule().post(body(List.of(m), from, to));
                busy += count(r, List.of(m));
                answered++;
                requests++;
            }
            return new Result(answered, busy, requests);
        }
        List<List<String>> calls = FreeBusyComparator.chunks(mailboxes, SCHEDULES_PER_CALL);
        for (List<List<String>> batchCalls : FreeBusyComparator.chunks(calls, CALLS_PER_BATCH)) {
            BatchRequestContent batch = new BatchRequestContent(sdk);
            List<String> ids = new ArrayList<>();
            for (List<String> chunk : batchCalls) {
                ids.add(batch.addBatchRequestStep(sdk.users()
                        .byUserId(me)
                        .calendar()
                        .getSchedule()
                        .toPostRequestInformation(body(chunk, from, to))));
            }
            BatchResponseContent answer = new BatchRequestBuilder(sdk.getRequestAdapter()).post(batch, null);
            requests++;
            for (int i = 0; i < ids.size(); i++) {
                GetSchedulePostResponse r =
                        answer.getResponseById(ids.get(i), GetSchedulePostResponse::createFromDiscriminatorValue);
                if (r == null) {
                    throw new IllegalStateException("the $batch answer has no getSchedule response " + ids.get(i));
                }
                busy += count(r, batchCalls.get(i));
                answered += batchCalls.get(i).size();
            }
        }
        return new Result(answered, busy, requests);
    }

    private static GetSchedulePostRequestBody body(List<String> who, Instant from, Instant to) {
        GetSchedulePostRequestBody body = new GetSchedulePostRequestBody();
        body.setSchedules(new ArrayList<>(who));
        body.setStartTime(utc(from));
        body.setEndTime(utc(to));
        body.setAvailabilityViewInterval(30);
        return body;
    }

    private static DateTimeTimeZone utc(Instant t) {
        DateTimeTimeZone z = new DateTimeTimeZone();
        z.setDateTime(LOCAL.format(t));
        z.setTimeZone("UTC");
        return z;
    }

    private static long count(GetSchedulePostResponse r, List<String> asked) {
        List<ScheduleInformation> infos = r.getValue();
        if (infos == null || infos.size() != asked.size()) {
            throw new IllegalStateException("getSchedule answered " + (infos == null ? 0 : infos.size()) + " of "
                    + asked.size() + " schedules");
        }
        long busy = 0;
        for (ScheduleInformation info : infos) {
            if (info.getError() != null) {
                throw new IllegalStateException("getSchedule failed for " + info.getScheduleId() + ": "
                        + info.getError().getResponseCode());
            }
            busy += info.getScheduleItems() == null
                    ? 0
                    : info.getScheduleItems().size();
        }
        return busy;
    }
}
