package org.calsdk.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeSignal;
import org.calsdk.api.EventChange;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.api.SyncCursor;
import org.calsdk.api.WebhookRequest;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Recurrence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reference provider as a windowed feed, as Graph-shaped webhooks, and its impersonation views. */
class InMemoryWindowAndPushTest {
    static final Mailbox U1 = Mailbox.of("user1@example.com");
    static final Mailbox U2 = Mailbox.of("user2@example.com");
    static final CalendarRef CAL = CalendarRef.primary(U1);

    final InMemoryCalendarServiceTest.MutableClock clock = new InMemoryCalendarServiceTest.MutableClock();
    final ZonedDateTime now = clock.now.atZone(ZoneOffset.UTC);
    InMemoryCalendarService service;

    @AfterEach
    void tearDown() {
        service.close();
    }

    static Event at(String title, ZonedDateTime start) {
        return Event.builder()
                .summary(title)
                .start(EventTime.of(start))
                .end(EventTime.of(start.plusHours(1)))
                .build();
    }

    private ChangeBatch.Changes read(CalendarConnection c, SyncCursor cursor) {
        ChangeBatch b = c.changes().changes(CAL, cursor);
        assertThat(b).isInstanceOf(ChangeBatch.Changes.class);
        return (ChangeBatch.Changes) b;
    }

    @Test
    void aWindowedFeedCoversItsWindowListsOccurrencesAndRollsForward() {
        service = InMemoryCalendarService.builder()
                .clock(clock)
                .changeWindow(Duration.ofDays(1), Duration.ofDays(10))
                .build();
        service.addUser(U1, "One");
        try (CalendarConnection c = service.connect(U1)) {
            Event inside = c.writer().create(CAL, EventKey.of("i"), at("inside", now.plusDays(2)));
            c.writer().create(CAL, EventKey.of("b"), at("beyond", now.plusDays(40)));
            Event series = c.writer()
                    .create(
                            CAL,
                            EventKey.of("s"),
                            at("daily", now.plusDays(3)).toBuilder()
                                    .recurrence(Recurrence.rule("FREQ=DAILY;COUNT=3"))
                                    .build());

            ChangeBatch.Changes full = read(c, SyncCursor.START);
            assertThat(full.full()).isTrue();
            assertThat(full.coverage()).isInstanceOfSatisfying(ChangeBatch.Coverage.Window.class, w -> {
                assertThat(w.window().start())
                        .isEqualTo(now.minusDays(1)
                                .toLocalDate()
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant());
                assertThat(w.window().contains(now.plusDays(10).toInstant())).isTrue();
            });
            List<EventChange.Upserted> ups = full.changes().stream()
                    .map(EventChange.Upserted.class::cast)
                    .toList();
            assertThat(ups)
                    .extracting(u -> u.event().summary())
                    .containsExactlyInAnyOrder("inside", "daily", "daily", "daily");
            assertThat(ups).filteredOn(u -> u.seriesId() != null).hasSize(3).allSatisfy(u -> {
                assertThat(u.seriesId()).isEqualTo(series.id().orElseThrow());
                assertThat(u.event().recurrenceId()).isPresent();
                assertThat(u.event().isRecurring()).isFalse();
            });
            assertThat(ups)
                    .filteredOn(u -> u.seriesId() == null)
                    .singleElement()
                    .satisfies(
                            u -> assertThat(u.eventId()).isEqualTo(inside.id().orElseThrow()));

            // a cancelled occurrence reads as the deletion of that occurrence
            Event master = c.reader().get(CAL, series.id().orElseThrow()).orElseThrow();
            c.writer().cancelOccurrence(CAL, master.id().orElseThrow(), EventTime.of(now.plusDays(4)), null);
            ChangeBatch.Changes inc = read(c, full.next());
            assertThat(inc.full()).isFalse();
            assertThat(inc.changes())
                    .filteredOn(ch -> ch instanceof EventChange.Deleted)
                    .singleElement()
                    .satisfies(d -> assertThat(d.eventId())
                            .isEqualTo(master.id().orElseThrow() + "@"
                                    + now.plusDays(4).toEpochSecond()));
            assertThat(inc.changes())
                    .filteredOn(ch -> ch instanceof EventChange.Upserted)
                    .hasSize(2);

            // an event leaving the window reads as deleted
            Event current = c.reader().get(CAL, inside.id().orElseThrow()).orElseThrow();
            c.writer()
                    .update(
                            CAL,
                            current.toBuilder()
                                    .start(EventTime.of(now.plusDays(50)))
                                    .end(EventTime.of(now.plusDays(50).plusHours(1)))
                                    .build());
            ChangeBatch.Changes left = read(c, inc.next());
            assertThat(left.changes())
                    .singleElement()
                    .isInstanceOfSatisfying(
                            EventChange.Deleted.class,
                            d -> assertThat(d.eventId()).isEqualTo(inside.id().orElseThrow()));

            // a day on, the window has moved: resync, and the new full read covers the new window
            clock.now = clock.now.plus(Duration.ofDays(1));
            assertThat(c.changes().changes(CAL, left.next())).isInstanceOf(ChangeBatch.ResyncRequired.class);
            assertThat(read(c, SyncCursor.START).coverage()).isNotEqualTo(full.coverage());
        }
    }

    @Test
    void batchedWebhooksNameEverySubscriptionAndAreCheckedAgainstTheStoredSecrets() {
        service = InMemoryCalendarService.builder()
                .clock(clock)
                .batchWebhooks(true)
                .build();
        service.addUser(U1, "One").addUser(U2, "Two");
        try (CalendarConnection org = service.connectOrganization()) {
            CalendarConnection one = org.impersonator().actAs(U1);
            CalendarConnection two = org.impersonator().actAs(U2);
            Subscription s1 = one.push()
                    .subscribe(
                            CAL, new SubscriptionRequest("https://h/x", Secret.of("one-secret"), Duration.ofHours(1)));
            Subscription s2 = two.push()
                    .subscribe(
                            CalendarRef.primary(U2),
                            new SubscriptionRequest("https://h/x", Secret.of("two-secret"), Duration.ofHours(1)));
            assertThat(s1.clientState()).isEqualTo(Secret.of("one-secret"));
            one.writer().create(CAL, EventKey.of("a"), at("a", now.plusDays(1)));
            two.writer().create(CalendarRef.primary(U2), EventKey.of("b"), at("b", now.plusDays(1)));
            List<WebhookRequest> hooks = service.drainWebhooks();
            assertThat(hooks).hasSize(1);
            WebhookRequest h = hooks.get(0);

            assertThat(org.push().subscriptionIds(h)).containsExactly(s1.id(), s2.id());
            assertThat(org.push().handle(h, List.of(s1, s2)).signals())
                    .extracting(ChangeSignal::calendar)
                    .containsExactly(CAL, CalendarRef.primary(U2));
            assertThat(org.push().handle(h, List.of(s2)).signals())
                    .as("only the stored ones count")
                    .extracting(ChangeSignal::subscriptionId)
                    .containsExactly(s2.id());
            assertThat(org.push().handle(h, List.of()).status()).isEqualTo(404);

            Subscription wrongSecret = s1.renewed(s1.expiresAt(), Secret.of("not-the-one"));
            var forged = org.push().handle(h, List.of(wrongSecret));
            assertThat(forged.status()).isEqualTo(403);
            assertThat(forged.signals()).isEmpty();
            WebhookRequest junk = new WebhookRequest("POST", null, null, "{not json".getBytes(StandardCharsets.UTF_8));
            assertThat(org.push().subscriptionIds(junk)).isEmpty();
            assertThat(org.push().handle(junk, List.of(s1)).status()).isEqualTo(400);
        }
    }

    @Test
    void viewsAreCheapAndCloseWithoutTheirParent() {
        service = InMemoryCalendarService.builder().clock(clock).build();
        service.addUser(U1, "One").addUser(U2, "Two");
        CalendarConnection org = service.connectOrganization();
        long before = service.totalCalls();
        List<CalendarConnection> views = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            views.add(org.impersonator().actAs(i % 2 == 0 ? U1 : U2));
        }
        assertThat(service.totalCalls()).as("actAs makes no call").isEqualTo(before);
        views.get(0).close();
        assertThat(views.get(1).reader().calendars(U2)).isNotEmpty();
        assertThat(org.reader().calendars(U1))
                .as("closing a view leaves the parent open")
                .isNotEmpty();
        org.close();
        assertThatThrownBy(() -> views.get(2).reader().calendars(U1))
                .as("a view lives no longer than its parent")
                .isInstanceOf(IllegalStateException.class);
    }
}
