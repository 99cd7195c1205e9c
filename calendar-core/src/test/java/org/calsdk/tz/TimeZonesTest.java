package org.calsdk.tz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.tz.internal.ZoneNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeZonesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "W. Europe Standard Time | Europe/Berlin",
                "Eastern Standard Time | America/New_York",
                "Pacific Standard Time | America/Los_Angeles",
                "Romance Standard Time | Europe/Paris",
                "GMT Standard Time | Europe/London",
                "China Standard Time | Asia/Shanghai",
                "Tokyo Standard Time | Asia/Tokyo",
                "India Standard Time | Asia/Calcutta",
                "AUS Eastern Standard Time | Australia/Sydney",
                "Lord Howe Standard Time | Australia/Lord_Howe",
                "Samoa Standard Time | Pacific/Apia",
                "Dateline Standard Time | Etc/GMT+12",
                "eastern standard time | America/New_York",
                "(UTC-05:00) Eastern Time (US & Canada) | America/New_York",
                "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna | Europe/Berlin",
                "America/New_York | America/New_York",
                "europe/berlin | Europe/Berlin",
                "/mozilla.org/20050126_1/America/New_York | America/New_York",
                "/softwarestudio.org/Olson_20011030_5/Europe/Berlin | Europe/Berlin",
                "\"Europe/Berlin\" | Europe/Berlin",
                // RFC 5545's globally unique prefix (Python icalendar test data, a Swedish exporter)
                "/Europe/Stockholm | Europe/Stockholm",
                // Outlook writes "and" where CLDR has "&", and older versions GMT
                "(UTC-05:00) Eastern Time (US and Canada) | America/New_York",
                "(GMT-05:00) Eastern Time (US & Canada) | America/New_York",
            })
    void resolvesWindowsAndIanaNames(String tzid, String iana) {
        assertThat(TimeZones.resolve(tzid)).isEqualTo(ZoneId.of(iana));
    }

    @Test
    void utcSpellings() {
        assertThat(TimeZones.resolve("UTC")).isEqualTo(ZoneOffset.UTC);
        assertThat(TimeZones.resolve("Z")).isEqualTo(ZoneOffset.UTC);
        assertThat(TimeZones.resolve("Etc/UTC")).isEqualTo(ZoneOffset.UTC);
        assertThat(TimeZones.resolve("+02:00")).isEqualTo(ZoneOffset.ofHours(2));
        // a bare offset in parentheses (an Outlook add-in): that fixed offset, nothing guessed
        assertThat(TimeZones.resolve("(GMT +01:00)").getRules().getOffset(java.time.Instant.EPOCH))
                .isEqualTo(ZoneOffset.ofHours(1));
        assertThat(TimeZones.find("(GMT +01:00) Somewhere")).isEmpty();
    }

    @Test
    void everyWindowsNameInTheCldrTableResolves() {
        assertThat(ZoneNames.windowsNames()).hasSizeGreaterThan(130);
        for (String windows : ZoneNames.windowsNames()) {
            assertThat(TimeZones.find(windows)).as(windows).isPresent();
        }
    }

    @Test
    void ianaToWindows() {
        assertThat(TimeZones.windowsName(ZoneId.of("Europe/Berlin"))).contains("W. Europe Standard Time");
        assertThat(TimeZones.windowsName(ZoneId.of("Europe/Amsterdam"))).contains("W. Europe Standard Time");
        assertThat(TimeZones.windowsName(ZoneId.of("America/New_York"))).contains("Eastern Standard Time");
        assertThat(TimeZones.windowsName(ZoneOffset.UTC)).contains("UTC");
        assertThat(TimeZones.windowsName(ZoneOffset.ofHours(3))).isEmpty();
    }

    @Test
    void unknownNamesAreAClearError() {
        assertThatThrownBy(() -> TimeZones.resolve("Mars Standard Time"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Mars Standard Time")
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).contains("tzid"));
        assertThat(TimeZones.find("")).isEmpty();
        assertThat(TimeZones.find("x".repeat(10_000))).isEmpty();
        assertThat(TimeZones.find("Calsdk~0000000000000000")).isEmpty();
    }

    @Test
    void theCldrTableShipsWithItsLicence() throws Exception {
        try (InputStream in = ZoneNames.class.getResourceAsStream("LICENSE-unicode-cldr.txt")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("Unicode", "Permission is hereby granted");
        }
        assertThat(ZoneNames.class.getResource("windowsZones.xml")).isNotNull();
    }
}
