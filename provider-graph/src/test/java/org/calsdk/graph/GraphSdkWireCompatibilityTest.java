package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.requests.BatchRequestBuilder;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.ScheduleInformation;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.calendar.getschedule.GetSchedulePostRequestBody;
import com.microsoft.graph.users.item.calendar.getschedule.GetSchedulePostResponse;
import com.microsoft.graph.users.item.calendarview.delta.DeltaGetResponse;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Microsoft Graph SDK for Java (test scope only), unchanged, against the fake Graph: the proof
 * that the fake speaks Graph's dialect (requests it accepts, answers the SDK's models read).
 */
class GraphSdkWireCompatibilityTest {
    private static final String ALICE = "alice@example.com";
    private FakeGraphServer graph;
    private GraphServiceClient sdk;

    @BeforeEach
    void start() {
        graph = FakeGraphServer.builder()
                .mailbox(ALICE)
                .mailbox("bob@example.com")
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

    @AfterEach
    void stop() {
        graph.close();
    }

    private static DateTimeTimeZone at(String local, String zone) {
        DateTimeTimeZone t = new DateTimeTimeZone();
        t.setDateTime(local);
        t.setTimeZone(zone);
        return t;
    }

    private static com.microsoft.graph.models.Event event(String subject, String start, String end) {
        com.microsoft.graph.models.Event e = new com.microsoft.graph.models.Event();
        e.setSubject(subject);
        ItemBody body = new ItemBody();
        body.setContent("agenda");
        e.setBody(body);
        e.setStart(at(start, "W. Europe Standard Time"));
        e.setEnd(at(end, "W. Europe Standard Time"));
        return e;
    }

    @Test
    void eventsCreateWithTransactionIdGetListAndConflict() {
        com.microsoft.graph.models.Event e = event("sdk meeting", "2031-02-03T10:00:00", "2031-02-03T11:00:00");
        e.setTransactionId("tx-sdk-1");
        com.microsoft.graph.models.Event made =
                sdk.users().byUserId(ALICE).events().post(e);
        // a fresh model: the SDK's backing store sends only changed values, so a posted model reposts as {}
        com.microsoft.graph.models.Event retry = event("sdk meeting", "2031-02-03T10:00:00", "2031-02-03T11:00:00");
        retry.setTransactionId("tx-sdk-1");
        com.microsoft.graph.models.Event again =
                sdk.users().byUserId(ALICE).events().post(retry);
        assertThat(made.getId()).isNotBlank();
        assertThat(again.getId())
                .as("the same transactionId gives the same event")
                .isEqualTo(made.getId());

        com.microsoft.graph.models.Event read = sdk.users()
                .byUserId(ALICE)
                .events()
                .byEventId(made.getId())
                .get(rc -> rc.headers.add("Prefer", "outlook.timezone=\"UTC\""));
        assertThat(read.getSubject()).isEqualTo("sdk meeting");
        assertThat(read.getStart().getDateTime()).startsWith("2031-02-03T09:00:00");
        assertThat(read.getStart().getTimeZone()).isEqualTo("UTC");
        assertThat(read.getOriginalStartTimeZone()).isEqualTo("W. Europe Standard Time");

        for (int i = 0; i < 3; i++) {
            sdk.users()
                    .byUserId(ALICE)
                    .events()
                    .post(event("more " + i, "2031-02-04T1" + i + ":00:00", "2031-02-04T1" + i + ":30:00"));
        }
        List<String> seen = new ArrayList<>();
        com.microsoft.graph.models.EventCollectionResponse page = sdk.users()
                .byUserId(ALICE)
                .calendarView()
                .get(rc -> {
                    rc.queryParameters.startDateTime = "2031-02-01T00:00:00Z";
                    rc.queryParameters.endDateTime = "2031-02-08T00:00:00Z";
                    rc.queryParameters.top = 2;
                });
        int pages = 1;
        page.getValue().forEach(x -> seen.add(x.getSubject()));
        while (page.getOdataNextLink() != null) {
            page = sdk.users()
                    .byUserId(ALICE)
                    .calendarView()
                    .withUrl(page.getOdataNextLink())
                    .get();
            page.getValue().forEach(x -> seen.add(x.getSubject()));
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("sdk meeting", "more 0", "more 1", "more 2");

        com.microsoft.graph.models.Event patch = new com.microsoft.graph.models.Event();
        patch.setSubject("renamed");
        assertThatThrownBy(() -> sdk.users()
                        .byUserId(ALICE)
                        .events()
                        .byEventId(made.getId())
                        .patch(patch, rc -> rc.headers.add("If-Match", "W/\"stale\"")))
                .isInstanceOfSatisfying(ODataError.class, err -> {
                    assertThat(err.getResponseStatusCode()).isEqualTo(412);
                    assertThat(err.getError().getCode()).isEqualTo("ErrorIrresolvableConflict");
                });
    }

    private static GetSchedulePostRequestBody schedule(List<String> who) {
        GetSchedulePostRequestBody body = new GetSchedulePostRequestBody();
        body.setSchedules(who);
        body.setStartTime(at("2031-02-03T00:00:00", "UTC"));
        body.setEndTime(at("2031-02-04T00:00:00", "UTC"));
        body.setAvailabilityViewInterval(60);
        return body;
    }

    @Test
    void getScheduleDirectAndInsideABatch() throws Exception {
        sdk.users().byUserId(ALICE).events().post(event("busy", "2031-02-03T10:00:00", "2031-02-03T11:00:00"));

        GetSchedulePostResponse direct = sdk.users()
                .byUserId(ALICE)
                .calendar()
                .getSchedule()
                .post(schedule(List.of(ALICE, "nobody@example.com")));
        ScheduleInformation alice = direct.getValue().get(0);
        assertThat(alice.getScheduleId()).isEqualTo(ALICE);
        assertThat(alice.getScheduleItems()).hasSize(1);
        assertThat(alice.getScheduleItems().get(0).getStatus()).isEqualTo(FreeBusyStatus.Busy);
        assertThat(alice.getAvailabilityView()).hasSize(24).contains("2");
        assertThat(direct.getValue().get(1).getError().getResponseCode()).isEqualTo("ErrorMailRecipientNotFound");

        BatchRequestContent batch = new BatchRequestContent(sdk);
        String first = batch.addBatchRequestStep(sdk.users()
                .byUserId(ALICE)
                .calendar()
                .getSchedule()
                .toPostRequestInformation(schedule(List.of(ALICE))));
        String second = batch.addBatchRequestStep(sdk.users()
                .byUserId(ALICE)
                .calendar()
                .getSchedule()
                .toPostRequestInformation(schedule(List.of("bob@example.com"))));
        BatchResponseContent answer = new BatchRequestBuilder(sdk.getRequestAdapter()).post(batch, null);
        GetSchedulePostResponse one =
                answer.getResponseById(first, GetSchedulePostResponse::createFromDiscriminatorValue);
        GetSchedulePostResponse two =
                answer.getResponseById(second, GetSchedulePostResponse::createFromDiscriminatorValue);
        assertThat(one.getValue().get(0).getScheduleItems()).hasSize(1);
        assertThat(two.getValue().get(0).getScheduleId()).isEqualTo("bob@example.com");
        assertThat(two.getValue().get(0).getScheduleItems()).isEmpty();
        assertThat(graph.accounting().calls("batch")).isEqualTo(1);
    }

    @Test
    void deltaPagesThenReportsChangesAndRemovals() {
        com.microsoft.graph.models.Event a =
                sdk.users().byUserId(ALICE).events().post(event("a", "2031-02-03T10:00:00", "2031-02-03T11:00:00"));
        sdk.users().byUserId(ALICE).events().post(event("b", "2031-02-04T10:00:00", "2031-02-04T11:00:00"));
        DeltaGetResponse page = sdk.users()
                .byUserId(ALICE)
                .calendarView()
                .delta()
                .get(rc -> {
                    rc.queryParameters.startDateTime = "2031-02-01T00:00:00Z";
                    rc.queryParameters.endDateTime = "2031-03-01T00:00:00Z";
                    rc.headers.add("Prefer", "odata.maxpagesize=1");
                });
        List<String> full = new ArrayList<>();
        page.getValue().forEach(x -> full.add(x.getSubject()));
        while (page.getOdataNextLink() != null) {
            page = sdk.users()
                    .byUserId(ALICE)
                    .calendarView()
                    .delta()
                    .withUrl(page.getOdataNextLink())
                    .get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=1"));
            page.getValue().forEach(x -> full.add(x.getSubject()));
        }
        assertThat(full).containsExactly("a", "b");
        String deltaLink = page.getOdataDeltaLink();
        assertThat(deltaLink).contains("$deltatoken=");

        sdk.users().byUserId(ALICE).events().byEventId(a.getId()).delete();
        DeltaGetResponse changes = sdk.users()
                .byUserId(ALICE)
                .calendarView()
                .delta()
                .withUrl(deltaLink)
                .get();
        assertThat(changes.getValue()).hasSize(1);
        assertThat(changes.getValue().get(0).getId()).isEqualTo(a.getId());
        assertThat(changes.getValue().get(0).getAdditionalData()).containsKey("@removed");

        graph.expireDeltaTokens();
        assertThatThrownBy(() -> sdk.users()
                        .byUserId(ALICE)
                        .calendarView()
                        .delta()
                        .withUrl(changes.getOdataDeltaLink())
                        .get())
                .isInstanceOfSatisfying(ODataError.class, err -> {
                    assertThat(err.getResponseStatusCode()).isEqualTo(410);
                    assertThat(err.getError().getCode()).isEqualTo("syncStateNotFound");
                });
    }
}
