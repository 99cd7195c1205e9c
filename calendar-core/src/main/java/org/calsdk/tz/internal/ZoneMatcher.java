package org.calsdk.tz.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the IANA zone that behaves like a VTIMEZONE from a file (same offsets and the same transitions
 * from {@value #FROM_YEAR} to {@value #TO_YEAR}), so that an event with an unknown TZID still gets a zone
 * id that every JVM knows. Most such VTIMEZONEs are renamed standard zones ("Eastern Standard Time 1",
 * "(GMT+01.00) Amsterdam / Berlin / Bern / Rome / Stockholm / Vienna").
 *
 * <p>Among several equivalent zones: one whose id appears in the TZID, else a zone CLDR uses as the
 * primary zone of a Windows name, else the first in alphabetical order. Results are cached by rules.
 */
public final class ZoneMatcher {
    static final int FROM_YEAR = 2010;
    static final int TO_YEAR = 2040;
    private static final Map<ZoneRules, Optional<ZoneId>> CACHE = new ConcurrentHashMap<>();
    private static final int MAX_CACHE = 1024;

    private ZoneMatcher() {}

    /** The IANA zone equivalent to {@code rules}, if there is one. */
    public static Optional<ZoneId> equivalent(ZoneRules rules, String tzid) {
        Optional<ZoneId> cached = CACHE.get(rules);
        if (cached == null) {
            cached = search(rules, tzid);
            if (CACHE.size() < MAX_CACHE) {
                CACHE.put(rules, cached);
            }
        }
        return cached;
    }

    private static Optional<ZoneId> search(ZoneRules rules, String tzid) {
        List<Instant> probes = probes(rules);
        List<String> matches = new ArrayList<>();
        for (String id : new TreeSet<>(ZoneId.getAvailableZoneIds())) {
            // only portable ids: not the legacy SystemV ones, not ours, not ical4j's per-file pool ("ical4j-local-...")
            if (id.indexOf('/') < 0 && !id.startsWith("Etc") && !id.equals("UTC")
                    || id.startsWith("SystemV/")
                    || id.startsWith(CustomZones.PREFIX)
                    || id.toLowerCase(Locale.ROOT).startsWith("ical4j")) {
                continue;
            }
            ZoneRules candidate;
            try {
                candidate = ZoneId.of(id).getRules();
            } catch (java.time.DateTimeException e) {
                continue;
            }
            if (candidate != null
                    && sameOffsets(rules, candidate, probes)
                    && sameOffsets(rules, candidate, probes(candidate))) {
                matches.add(id);
            }
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        String lower = tzid.toLowerCase(Locale.ROOT);
        for (String id : matches) {
            if (lower.contains(id.toLowerCase(Locale.ROOT))) {
                return Optional.of(ZoneId.of(id));
            }
        }
        for (String id : matches) {
            if (ZoneNames.isPrimary(id)) {
                return Optional.of(ZoneId.of(id));
            }
        }
        return Optional.of(ZoneId.of(matches.get(0)));
    }

    /** Instants to compare at: four per year, and one second either side of every transition. */
    private static List<Instant> probes(ZoneRules rules) {
        List<Instant> out = new ArrayList<>();
        for (int y = FROM_YEAR; y <= TO_YEAR; y++) {
            for (int m = 1; m <= 12; m += 3) {
                out.add(LocalDate.of(y, m, 15).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
        }
        Instant end = LocalDate.of(TO_YEAR + 1, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
        ZoneOffsetTransition t = rules.nextTransition(
                LocalDate.of(FROM_YEAR, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC));
        int guard = 0;
        while (t != null && t.getInstant().isBefore(end) && guard++ < 1000) {
            out.add(t.getInstant().minusSeconds(1));
            out.add(t.getInstant().plusSeconds(1));
            t = rules.nextTransition(t.getInstant());
        }
        return out;
    }

    private static boolean sameOffsets(ZoneRules a, ZoneRules b, List<Instant> probes) {
        for (Instant i : probes) {
            if (!a.getOffset(i).equals(b.getOffset(i))) {
                return false;
            }
        }
        return true;
    }
}
