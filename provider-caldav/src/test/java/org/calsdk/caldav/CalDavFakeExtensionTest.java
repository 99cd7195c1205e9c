package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.CalendarFakeExtension;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.caldav.CalDavFake;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CalDAV fake inside the JUnit extension: seeded from SeedData, base URL and ConnectionConfig injected. */
class CalDavFakeExtensionTest {
    private static final Mailbox USER1 = Mailbox.of("user1@example.com");

    @RegisterExtension
    final CalendarFakeExtension<CalDavFake> dav = CalendarFakeExtension.of(
                    () -> CalDavFake.of(FakeCalDavServer.builder()))
            .seed(SeedData.organization("example.com")
                    .users(2)
                    .eventsPerUser(3)
                    .startingOn(LocalDate.of(2026, 3, 2))
                    .user(
                            "user1@example.com",
                            "User One",
                            u -> u.calendar(
                                    "team",
                                    "Team",
                                    c -> c.ics(
                                            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:standup\r\n"
                                                    + "DTSTAMP:20260101T000000Z\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T091500Z\r\n"
                                                    + "RRULE:FREQ=DAILY\r\nSUMMARY:Standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")))
                    .build())
            .connectAs("user1@example.com");

    @Test
    void seeded_events_are_served_to_the_caldav_provider(
            CalendarConnection connection, URI baseUrl, ConnectionConfig config, CalDavFake fake) {
        assertThat(baseUrl.getHost()).isEqualTo("127.0.0.1");
        assertThat(config.provider()).isEqualTo("caldav");
        assertThat(config.setting("url")).contains(baseUrl.toString());
        TimeWindow twoWeeks = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(14));
        assertThat(connection.reader().listAll(CalendarRef.primary(USER1), twoWeeks))
                .hasSize(3);
        assertThat(fake.server().eventCount("user1", "team")).isEqualTo(1);
        try (CalendarConnection again = new CalDavProvider().connect(config)) {
            assertThat(again.reader().calendars(USER1))
                    .extracting(c -> c.displayName())
                    .contains("Calendar", "Team");
        }
        try (CalendarConnection user2 = dav.connect(Mailbox.of("user2@example.com"))) {
            assertThat(user2.reader().listAll(CalendarRef.primary(Mailbox.of("user2@example.com")), twoWeeks))
                    .extracting(Event::summary)
                    .allMatch(s -> s.contains("user2@example.com"));
        }
    }
}
