package org.calsdk.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelValidationTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Property(tries = 100, seed = "202604011")
    void mailboxEqualityIgnoresCase(
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String local,
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String domain) {
        Mailbox lower = Mailbox.of(local.toLowerCase(Locale.ROOT) + "@" + domain.toLowerCase(Locale.ROOT) + ".com");
        Mailbox upper = Mailbox.of(local.toUpperCase(Locale.ROOT) + "@" + domain.toUpperCase(Locale.ROOT) + ".COM");

        assertThat(upper).isEqualTo(lower).hasSameHashCodeAs(lower);
        assertThat(upper.compareTo(lower)).isZero();
        assertThat(upper.normalized()).isEqualTo(lower.email());
    }

    @Test
    void eventPropertiesKeepTheirOrderSoWrittenICalendarIsReproducible() {
        Event.Builder b =
                Event.builder().summary("p").start(EventTime.utc(T0)).end(EventTime.utc(T0.plusSeconds(3600)));
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 15; i >= 0; i--) {
            names.add("X-P" + (char) ('A' + i));
            b.property("X-P" + (char) ('A' + i), "v" + i);
        }
        Event e = b.build();
        assertThat(e.properties().keySet()).containsExactlyElementsOf(names);
        assertThat(e.toBuilder().build().properties().keySet()).containsExactlyElementsOf(names);
        String ics = org.calsdk.ical.ICalendar.write(e);
        java.util.List<String> written = ics.lines()
                .filter(l -> l.startsWith("X-P"))
                .map(l -> l.substring(0, 4))
                .toList();
        assertThat(written).containsExactlyElementsOf(names);
        assertThatThrownBy(() -> e.properties().put("X-Q", "no")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Event.builder()
                        .summary("p")
                        .start(EventTime.utc(T0))
                        .end(EventTime.utc(T0.plusSeconds(60)))
                        .properties(java.util.Collections.singletonMap("X-N", null))
                        .build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void mailboxKeepsItsSpellingAndStripsSpaces() {
        Mailbox m = Mailbox.of("  Alice@Example.com ");
        assertThat(m.email()).isEqualTo("Alice@Example.com");
        assertThat(m.domain()).isEqualTo("example.com");
        assertThat(Mailbox.of("room@localhost").domain()).isEqualTo("localhost");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "alice",
                "alice@",
                "@example.com",
                "a b@example.com",
                "a@@example.com",
                "a@b@c.com",
                "alice@example",
                "alice@example."
            })
    void malformedEmailsAreRejectedNamingTheField(String email) {
        assertThatThrownBy(() -> Mailbox.of(email)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).contains("email");
            assertThat(e.getMessage()).contains("email");
        });
    }

    @Test
    void blankAndNullEmailsAreRejected() {
        assertThatThrownBy(() -> Mailbox.of(" "))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("email");
        assertThatThrownBy(() -> Mailbox.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("email == null");
    }

    @Test
    void timeWindowRejectsEmptyAndBackwardsWindowsNamingTheField() {
        assertThatThrownBy(() -> TimeWindow.of(T0, T0)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).contains("end");
            assertThat(e.getMessage()).contains("empty");
        });
        assertThatThrownBy(() -> TimeWindow.of(T0, T0.minusSeconds(1)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).contains("end");
                    assertThat(e.getMessage()).contains("before start");
                });
        assertThatThrownBy(() -> TimeWindow.of(null, T0))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("start == null");
    }

    @Test
    void timeWindowSplitsIntoPiecesThatCoverIt() {
        TimeWindow w = TimeWindow.of(T0, Duration.ofDays(100));
        var pieces = w.split(Duration.ofDays(42));

        assertThat(pieces).hasSize(3);
        assertThat(pieces.get(0).start()).isEqualTo(T0);
        assertThat(pieces.get(2).end()).isEqualTo(w.end());
        assertThat(pieces.get(2).duration()).isEqualTo(Duration.ofDays(16));
        assertThat(w.contains(T0)).isTrue();
        assertThat(w.contains(w.end())).isFalse();
        assertThatThrownBy(() -> w.split(Duration.ZERO)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void eventBuilderValidatesTimes() {
        ZonedDateTime nine = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        Event ok = Event.builder()
                .summary("Standup")
                .time(EventTime.of(nine), EventTime.of(nine.plusMinutes(15)))
                .build();
        assertThat(ok.summary()).isEqualTo("Standup");
        assertThat(ok.isAllDay()).isFalse();

        assertThatThrownBy(() -> Event.builder()
                        .start(EventTime.of(nine))
                        .end(EventTime.of(nine.minusHours(1)))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("end"));
        assertThatThrownBy(() -> Event.builder()
                        .start(EventTime.allDay(LocalDate.of(2026, 3, 2)))
                        .end(EventTime.of(nine))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.getMessage()).contains("all-day"));
        assertThatThrownBy(() -> Event.builder()
                        .start(EventTime.floating(LocalDateTime.of(2026, 3, 2, 9, 0)))
                        .end(EventTime.of(nine.plusHours(1)))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.getMessage()).contains("floating"));
        assertThatThrownBy(() -> Event.builder().end(EventTime.of(nine)).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("start == null");
        assertThatThrownBy(() -> Event.builder()
                        .time(EventTime.of(nine), EventTime.of(nine.plusHours(1)))
                        .addOverride(Event.builder()
                                .time(EventTime.of(nine), EventTime.of(nine.plusHours(1)))
                                .build())
                        .build())
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("overrides"));
    }

    @Test
    void eventKeyLimits() {
        assertThat(EventKey.of("booking-42").value()).isEqualTo("booking-42");
        assertThat(EventKey.of("x".repeat(EventKey.MAX_LENGTH)).value()).hasSize(200);
        assertThatThrownBy(() -> EventKey.of("x".repeat(EventKey.MAX_LENGTH + 1)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("eventKey"));
        assertThatThrownBy(() -> EventKey.of("has space")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventKey.of("ünicode")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventKey.of("")).isInstanceOf(InvalidInputException.class);
    }
}
