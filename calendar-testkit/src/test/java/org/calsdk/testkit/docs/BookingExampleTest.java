package org.calsdk.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.CalendarFakeExtension;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example of docs/TESTKIT.md, run as part of the suite: a host's booking code tested against the
 * in-memory fake through the JUnit extension. Keep the two in step.
 */
class BookingExampleTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** The "host application" code under test: books a meeting unless the slot is taken. */
    static final class Bookings {
        private final CalendarConnection calendar;

        Bookings(CalendarConnection calendar) {
            this.calendar = calendar;
        }

        boolean book(String bookingId, Mailbox who, ZonedDateTime start, ZonedDateTime end) {
            List<BusyInterval> busy = calendar.freeBusy()
                    .query(FreeBusyRequest.of(List.of(who), TimeWindow.of(start.toInstant(), end.toInstant())))
                    .get(who)
                    .orElseThrow()
                    .busy();
            if (!busy.isEmpty()) {
                return false;
            }
            Event meeting = Event.builder()
                    .summary("Booking " + bookingId)
                    .start(EventTime.of(start))
                    .end(EventTime.of(end))
                    .build();
            calendar.writer().create(CalendarRef.primary(who), EventKey.of(bookingId), meeting);
            return true;
        }
    }

    // --- the example from the docs starts here ---
    @RegisterExtension
    final CalendarFakeExtension<InMemoryCalendarService> calendar = CalendarFakeExtension.of(
                    () -> InMemoryCalendarService.builder().build())
            .seed(SeedData.organization("example.com")
                    .user(
                            "alice@example.com",
                            "Alice",
                            u -> u.primary(c -> c.event(Event.builder()
                                    .summary("Dentist")
                                    .start(EventTime.of(ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, BERLIN)))
                                    .end(EventTime.of(ZonedDateTime.of(2026, 3, 2, 10, 0, 0, 0, BERLIN)))
                                    .build())))
                    .build())
            .connectAs("alice@example.com");

    @Test
    void books_free_time_and_refuses_busy_time(CalendarConnection connection) {
        Bookings bookings = new Bookings(connection);

        assertThat(bookings.book(
                        "b-1",
                        ALICE,
                        ZonedDateTime.of(2026, 3, 2, 9, 30, 0, 0, BERLIN),
                        ZonedDateTime.of(2026, 3, 2, 10, 30, 0, 0, BERLIN)))
                .isFalse();
        assertThat(bookings.book(
                        "b-2",
                        ALICE,
                        ZonedDateTime.of(2026, 3, 2, 11, 0, 0, 0, BERLIN),
                        ZonedDateTime.of(2026, 3, 2, 12, 0, 0, 0, BERLIN)))
                .isTrue();

        assertThat(calendar.fake().events(CalendarRef.primary(ALICE)))
                .extracting(Event::summary)
                .containsExactlyInAnyOrder("Dentist", "Booking b-2");
        assertThat(calendar.fake().calls(SpiOperation.FREE_BUSY)).isEqualTo(2);
    }

    @Test
    void a_lost_answer_and_a_retry_still_book_once(CalendarConnection connection) {
        calendar.fake().faults().loseResponseAfterCommit(SpiOperation.CREATE_EVENT, 1);
        Bookings bookings = new Bookings(connection);
        ZonedDateTime start = ZonedDateTime.of(2026, 3, 3, 14, 0, 0, 0, BERLIN);

        assertThatThrownBy(() -> bookings.book("b-3", ALICE, start, start.plusHours(1)))
                .isInstanceOf(ProviderUnavailableException.class);
        // the retry sees the slot taken by its own first attempt, which the EventKey identifies
        assertThat(connection.reader().findByKey(CalendarRef.primary(ALICE), EventKey.of("b-3")))
                .isPresent();
        assertThat(calendar.fake().events(CalendarRef.primary(ALICE)))
                .filteredOn(e -> e.summary().equals("Booking b-3"))
                .hasSize(1);
    }
    // --- end of the example ---
}
