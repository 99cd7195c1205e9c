/**
 * Time zone names as calendars write them: IANA ids, Windows names (as Exchange and Outlook write
 * them, mapped with the Unicode CLDR {@code windowsZones.xml} table) and a few legacy spellings.
 * Entry point: {@link org.calsdk.tz.TimeZones}.
 *
 * @since 0.1
 */
package org.calsdk.tz;
