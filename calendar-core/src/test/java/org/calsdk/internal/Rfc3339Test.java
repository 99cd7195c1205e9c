package org.calsdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
    private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Property(tries = 3000)
    void formatsAsInstantToStringDoes(
            @ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long second,
            @ForAll @IntRange(min = 0, max = 3) int precision,
            @ForAll @IntRange(min = 0, max = 999_999_999) int rawNanos) {
        int nanos = switch (precision) {
            case 0 -> 0;
            case 1 -> rawNanos / 1_000_000 * 1_000_000;
            case 2 -> rawNanos / 1000 * 1000;
            default -> rawNanos;
        };
        Instant i = Instant.ofEpochSecond(second, nanos);
        assertThat(Rfc3339.format(i)).isEqualTo(i.toString());
    }

    @Test
    void formatsInstantsOutsideFourDigitYearsAsJavaTimeDoes() {
        for (Instant i : new Instant[] {
            Instant.ofEpochSecond(MIN - 1), Instant.ofEpochSecond(MAX + 1), Instant.MIN, Instant.MAX, Instant.EPOCH
        }) {
            assertThat(Rfc3339.format(i)).isEqualTo(i.toString());
        }
    }

    @Property(tries = 3000)
    void parsesWhatJavaTimeParsesToTheSameInstant(@ForAll("timestamps") String s) {
        assertThat(Rfc3339.parseInstant(s)).isEqualTo(OffsetDateTime.parse(s).toInstant());
    }

    @Property(tries = 5000)
    void agreesWithJavaTimeOnMangledTimestamps(@ForAll("mangled") String s) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> Rfc3339.parseInstant(s)).isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(Rfc3339.parseInstant(s)).isEqualTo(expected);
    }

    @Property(tries = 3000)
    void readsLocalTimesAsUtcWhenAsked(@ForAll("timestamps") String s) {
        String local = s.replaceFirst("(Z|[+-]\\d{2}:\\d{2})$", "");
        Instant wallClockUtc = LocalDateTime.parse(local).toInstant(ZoneOffset.UTC);
        assertThat(Rfc3339.tryParse(local, Rfc3339.Offset.UTC_IF_ABSENT)).isEqualTo(wallClockUtc);
        assertThat(Rfc3339.tryParse(s, Rfc3339.Offset.UTC_IF_ABSENT))
                .isEqualTo(OffsetDateTime.parse(s).toInstant());
        assertThat(Rfc3339.tryParse(s, Rfc3339.Offset.IGNORED)).isEqualTo(wallClockUtc);
        assertThat(Rfc3339.tryParse(local, Rfc3339.Offset.IGNORED)).isEqualTo(wallClockUtc);
        assertThat(Rfc3339.tryParse(local, Rfc3339.Offset.REQUIRED)).isNull();
    }

    @Property(tries = 3000)
    void neverReadsWhatJavaTimeRejects(@ForAll("mangled") String s) {
        for (Rfc3339.Offset mode : Rfc3339.Offset.values()) {
            Instant fast = Rfc3339.tryParse(s, mode);
            if (fast != null) {
                String local = s.replaceFirst("(Z|z|[+-]\\d{2}:\\d{2})$", "");
                assertThat(LocalDateTime.parse(local.replace('t', 'T'))).isNotNull();
            }
        }
    }

    @Test
    void readsTheShapesProvidersSend() {
        assertThat(Rfc3339.tryParse("2026-03-03T14:00:00.0000000", Rfc3339.Offset.IGNORED))
                .isEqualTo(Instant.parse("2026-03-03T14:00:00Z"));
        assertThat(Rfc3339.tryParse("2026-03-03T14:00:00", Rfc3339.Offset.UTC_IF_ABSENT))
                .isEqualTo(Instant.parse("2026-03-03T14:00:00Z"));
        assertThat(Rfc3339.parseInstant("2026-03-03T14:00:00Z")).isEqualTo(Instant.parse("2026-03-03T14:00:00Z"));
        assertThat(Rfc3339.parseInstant("2026-03-03t15:00:00.250+01:00"))
                .isEqualTo(Instant.parse("2026-03-03T14:00:00.250Z"));
        assertThat(Rfc3339.parseInstant("2024-02-29T00:00:00-00:30")).isEqualTo(Instant.parse("2024-02-29T00:30:00Z"));
        assertThat(Rfc3339.parseInstant("2026-03-03T14:00Z")).isEqualTo(Instant.parse("2026-03-03T14:00:00Z"));
        assertThatThrownBy(() -> Rfc3339.parseInstant("2026-02-29T00:00:00Z"))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Rfc3339.parseInstant("2026-03-03T24:00:00Z"))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Rfc3339.parseInstant("2026-03-03T14:00:00"))
                .isInstanceOf(DateTimeParseException.class);
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(MIN + 86_400, MAX - 86_400);
        Arbitrary<Integer> digits = Arbitraries.integers().between(0, 9);
        Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
        Arbitrary<Integer> offsetMinutes = Arbitraries.integers().between(-18 * 60, 18 * 60);
        Arbitrary<Boolean> zulu = Arbitraries.of(true, false);
        return Combinators.combine(seconds, digits, nanos, offsetMinutes, zulu).as((sec, d, n, off, z) -> {
            ZoneOffset zo = z ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(off * 60);
            OffsetDateTime t = Instant.ofEpochSecond(sec).atOffset(zo);
            StringBuilder b = new StringBuilder();
            b.append(String.format(
                    "%04d-%02d-%02dT%02d:%02d:%02d",
                    t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
            if (d > 0) {
                b.append('.').append(String.format("%09d", n), 0, d);
            }
            b.append(z ? "Z" : zo.getId());
            return b.toString();
        });
    }

    @Provide
    Arbitrary<String> mangled() {
        Arbitrary<String> base = timestamps();
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 34);
        Arbitrary<Character> ch =
                Arbitraries.of('0', '1', '2', '3', '5', '9', ':', '-', '+', '.', 'T', 't', 'Z', 'z', ' ', 'x');
        Arbitrary<Integer> op = Arbitraries.integers().between(0, 2);
        return Combinators.combine(base, position, ch, op).as((s, p, c, o) -> {
            int at = Math.min(p, s.length());
            return switch (o) {
                case 0 -> s.substring(0, at) + c + s.substring(at);
                case 1 -> at < s.length() ? s.substring(0, at) + s.substring(at + 1) : s;
                default -> at < s.length() ? s.substring(0, at) + c + s.substring(at + 1) : s + c;
            };
        });
    }
}
