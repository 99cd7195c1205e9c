package org.calsdk.tz;

import java.time.ZoneId;
import java.util.Optional;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.tz.internal.ZoneNames;

/**
 * Turns the time zone names found in calendar data into {@link ZoneId}s.
 *
 * <p>Accepted, in this order: IANA ids ({@code Europe/Berlin}, also in other letter case), Windows
 * names as Exchange and Outlook write them ({@code W. Europe Standard Time}) and Outlook's display
 * names ({@code (UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna}), both mapped to the
 * IANA zone CLDR names for territory {@code 001}, and ids with a vendor prefix that end in an IANA
 * id ({@code /mozilla.org/20050126_1/America/New_York}). The Windows table is the Unicode CLDR
 * {@code windowsZones.xml}, shipped with this library (see {@code LICENSE-unicode-cldr.txt} next to it).
 *
 * <pre>{@code
 * ZoneId berlin = TimeZones.resolve("W. Europe Standard Time");    // Europe/Berlin
 * ZoneId ny = TimeZones.resolve("America/New_York");
 * Optional<String> win = TimeZones.windowsName(ZoneId.of("Europe/Berlin")); // "W. Europe Standard Time"
 * }</pre>
 *
 * <p>Thread-safe; the table is loaded once, on first use.
 *
 * @since 0.1
 */
public final class TimeZones {
    private TimeZones() {}

    /**
     * Resolves a TZID.
     *
     * @param tzid an IANA id, a Windows time zone name or display name
     * @return the zone
     * @throws InvalidInputException (field {@code tzid}) when the name is not a known zone
     */
    public static ZoneId resolve(String tzid) {
        Checks.notNull(tzid, "tzid");
        return find(tzid)
                .orElseThrow(() -> new InvalidInputException(
                        "tzid",
                        "unknown time zone '" + abbreviate(tzid)
                                + "': not an IANA zone id nor a Windows time zone name"));
    }

    /**
     * Like {@link #resolve(String)}, but empty instead of an error for an unknown name.
     *
     * @param tzid a zone name
     * @return the zone, when the name is known
     */
    public static Optional<ZoneId> find(String tzid) {
        Checks.notNull(tzid, "tzid");
        return ZoneNames.find(tzid);
    }

    /**
     * The Windows name CLDR gives an IANA zone (territory {@code 001} preferred), for writing to
     * Exchange and Graph.
     *
     * @param zone an IANA zone
     * @return the Windows name, when CLDR has one
     */
    public static Optional<String> windowsName(ZoneId zone) {
        Checks.notNull(zone, "zone");
        return ZoneNames.windowsName(zone);
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
