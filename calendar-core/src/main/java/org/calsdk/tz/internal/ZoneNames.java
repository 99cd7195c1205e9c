package org.calsdk.tz.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Name-to-zone lookup behind {@link org.calsdk.tz.TimeZones}: IANA ids (case-insensitive), the CLDR
 * Windows table (parsed from the bundled {@code windowsZones.xml}), Outlook display names (the
 * comments of that table) and vendor-prefixed ids. Not public API.
 */
public final class ZoneNames {
    private static final String RESOURCE = "windowsZones.xml";

    private ZoneNames() {}

    /** Loaded once, on first use (holder idiom: thread-safe without locks). */
    private static final class Tables {
        static final Map<String, String> IANA_BY_LOWER = new HashMap<>();
        static final Map<String, String> WINDOWS_TO_IANA = new HashMap<>(); // lower-case windows name -> IANA
        static final Map<String, String> DISPLAY_TO_IANA = new HashMap<>(); // normalized display name -> IANA
        static final Map<String, String> IANA_TO_WINDOWS = new HashMap<>(); // IANA id -> windows name
        static final java.util.Set<String> PRIMARY = new java.util.HashSet<>(); // IANA ids CLDR names for territory 001

        static {
            for (String id : ZoneId.getAvailableZoneIds()) {
                String lower = id.toLowerCase(Locale.ROOT);
                // ical4j registers a pool of per-file zones ("ical4j-local-..."); ours are looked up separately
                if (!lower.startsWith("ical4j") && !id.startsWith(CustomZones.PREFIX)) {
                    IANA_BY_LOWER.put(lower, id);
                }
            }
            try (InputStream in = ZoneNames.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCE + " is missing from the calendar-core jar");
                }
                parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            } catch (XMLStreamException e) {
                throw new IllegalStateException("cannot parse " + RESOURCE, e);
            }
        }

        private static void parse(InputStream in) throws XMLStreamException {
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            XMLStreamReader r = f.createXMLStreamReader(in);
            String pendingDisplay = null;
            try {
                while (r.hasNext()) {
                    int ev = r.next();
                    if (ev == XMLStreamConstants.COMMENT) {
                        String c = r.getText().strip();
                        pendingDisplay = c.startsWith("(UTC") ? c : null;
                    } else if (ev == XMLStreamConstants.START_ELEMENT && "mapZone".equals(r.getLocalName())) {
                        String windows = r.getAttributeValue(null, "other");
                        String territory = r.getAttributeValue(null, "territory");
                        String types = r.getAttributeValue(null, "type");
                        if (windows == null || types == null) {
                            continue;
                        }
                        String[] ianaIds = types.trim().split("\\s+");
                        if ("001".equals(territory)) {
                            String primary = ianaIds[0];
                            WINDOWS_TO_IANA.put(windows.toLowerCase(Locale.ROOT), primary);
                            IANA_TO_WINDOWS.put(primary, windows);
                            PRIMARY.add(primary);
                            if (pendingDisplay != null) {
                                DISPLAY_TO_IANA.put(normalizeDisplay(pendingDisplay), primary);
                            }
                        }
                        for (String id : ianaIds) {
                            IANA_TO_WINDOWS.putIfAbsent(id, windows);
                        }
                    }
                }
            } finally {
                r.close();
            }
        }
    }

    /** Resolves a zone name, or empty. */
    public static Optional<ZoneId> find(String tzid) {
        String s = tzid.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.isEmpty() || s.length() > 200) {
            return Optional.empty();
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("z") || lower.equals("utc") || lower.equals("gmt") || lower.equals("etc/utc")) {
            return Optional.of(ZoneOffset.UTC);
        }
        String iana = Tables.IANA_BY_LOWER.get(lower);
        if (iana != null) {
            return Optional.of(ZoneId.of(iana));
        }
        String mapped = Tables.WINDOWS_TO_IANA.get(lower);
        if (mapped != null) {
            return Optional.of(ZoneId.of(mapped));
        }
        mapped = Tables.DISPLAY_TO_IANA.get(normalizeDisplay(s));
        if (mapped != null) {
            return Optional.of(ZoneId.of(mapped));
        }
        // RFC 5545's "globally unique" form: a leading solidus before an IANA id (/Europe/Stockholm)
        if (s.startsWith("/")) {
            String bare = Tables.IANA_BY_LOWER.get(lower.substring(1).strip());
            if (bare != null) {
                return Optional.of(ZoneId.of(bare));
            }
        }
        // Vendor prefixes such as /mozilla.org/20050126_1/America/New_York or /softwarestudio.org/.../Europe/Berlin.
        int slash = s.indexOf('/', 1);
        while (slash > 0) {
            String rest = Tables.IANA_BY_LOWER.get(s.substring(slash + 1).toLowerCase(Locale.ROOT));
            if (rest != null && rest.indexOf('/') > 0) {
                return Optional.of(ZoneId.of(rest));
            }
            slash = s.indexOf('/', slash + 1);
        }
        // A bare offset in parentheses, as some Outlook add-ins write it: "(GMT +01:00)" is UTC+01:00.
        String compact = lower.replaceAll("[()\\s]", "");
        if (!compact.equals(lower) && compact.matches("(utc|gmt)[+-]\\d{1,2}(:?\\d{2})?")) {
            try {
                return Optional.of(ZoneId.of(compact.toUpperCase(Locale.ROOT)));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        // Zones registered at runtime from VTIMEZONE definitions, and offsets such as +02:00 or UTC+2.
        if (s.startsWith(CustomZones.PREFIX)
                || s.startsWith("+")
                || s.startsWith("-")
                || lower.startsWith("utc+")
                || lower.startsWith("utc-")
                || lower.startsWith("gmt+")
                || lower.startsWith("gmt-")) {
            try {
                return Optional.of(ZoneId.of(s.startsWith(CustomZones.PREFIX) ? s : s.toUpperCase(Locale.ROOT)));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The Windows name of an IANA zone, or empty. */
    public static Optional<String> windowsName(ZoneId zone) {
        if (zone instanceof ZoneOffset o && o.equals(ZoneOffset.UTC)) {
            return Optional.of("UTC");
        }
        return Optional.ofNullable(Tables.IANA_TO_WINDOWS.get(zone.getId()));
    }

    /** Whether CLDR uses this IANA zone as the primary (territory 001) zone of a Windows name. */
    static boolean isPrimary(String ianaId) {
        return Tables.PRIMARY.contains(ianaId);
    }

    /** The Windows names known to the table (for tests). */
    public static Set<String> windowsNames() {
        return Set.copyOf(Tables.IANA_TO_WINDOWS.values());
    }

    /**
     * Display names are compared case-insensitively, with runs of white space as one space, GMT as UTC,
     * and "&" as "and": Outlook writes "(UTC-05:00) Eastern Time (US and Canada)" where CLDR has "US &
     * Canada", and older versions "(GMT-05:00)".
     */
    private static String normalizeDisplay(String s) {
        return s.toLowerCase(Locale.ROOT)
                .replace("&", " and ")
                .replaceAll("\\s+", " ")
                .replace("(gmt", "(utc")
                .replace("( ", "(")
                .replace(" )", ")")
                .strip();
    }
}
