package org.calsdk.tz.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.time.zone.ZoneRulesProvider;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.calsdk.errors.MalformedDataException;

/**
 * Zones defined only by a VTIMEZONE in a file (an unknown TZID): their rules are registered with
 * {@code java.time} under a stable id derived from the rules, {@code Calsdk~<hash>}, so events can keep
 * a real {@link ZoneId}. The same rules always get the same id, in any JVM that has read a file with
 * them. The original VTIMEZONE text is kept so that writing an event reproduces it.
 *
 * <p>{@code java.time} cannot forget a registered zone, so the number of distinct custom zones per JVM is
 * capped ({@value #MAX_ZONES}); beyond that, parsing a file with yet another unknown zone fails with a
 * {@link MalformedDataException}.
 */
public final class CustomZones {
    /** Prefix of the ids of zones registered from VTIMEZONE definitions. */
    public static final String PREFIX = "Calsdk~";

    static final int MAX_ZONES = 512;

    private static final Map<String, Registered> BY_ID = new ConcurrentHashMap<>();

    private CustomZones() {}

    private record Registered(ZoneId zone, String vtimezone) {}

    /**
     * Registers (or finds) the zone with these rules.
     *
     * @param rules     the rules built from the VTIMEZONE
     * @param vtimezone the VTIMEZONE text (BEGIN:VTIMEZONE ... END:VTIMEZONE), kept for writing
     * @return a zone id that {@link ZoneId#of(String)} accepts in this JVM
     */
    public static synchronized ZoneId register(ZoneRules rules, String vtimezone) {
        String id = PREFIX + fingerprint(rules);
        Registered existing = BY_ID.get(id);
        if (existing != null) {
            return existing.zone();
        }
        if (BY_ID.size() >= MAX_ZONES) {
            throw new MalformedDataException(
                    "too many distinct custom time zones (VTIMEZONE) in this process (limit " + MAX_ZONES + ")");
        }
        if (!ZoneRulesProvider.getAvailableZoneIds().contains(id)) {
            ZoneRulesProvider.registerProvider(new SingleZoneProvider(id, rules));
        }
        ZoneId zone = ZoneId.of(id);
        BY_ID.put(id, new Registered(zone, vtimezone));
        return zone;
    }

    /** The VTIMEZONE text a custom zone was registered from. */
    public static Optional<String> vtimezone(ZoneId zone) {
        Registered r = BY_ID.get(zone.getId());
        return r == null ? Optional.empty() : Optional.of(r.vtimezone());
    }

    public static boolean isCustom(ZoneId zone) {
        return zone.getId().startsWith(PREFIX);
    }

    private static String fingerprint(ZoneRules rules) {
        StringBuilder sb = new StringBuilder();
        sb.append(rules.getTransitions())
                .append('|')
                .append(rules.getTransitionRules())
                .append('|')
                .append(rules.getOffset(java.time.Instant.EPOCH))
                .append('|')
                .append(rules.getStandardOffset(java.time.Instant.EPOCH));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Provides exactly one zone. */
    private static final class SingleZoneProvider extends ZoneRulesProvider {
        private final String id;
        private final ZoneRules rules;

        SingleZoneProvider(String id, ZoneRules rules) {
            this.id = id;
            this.rules = rules;
        }

        @Override
        protected Set<String> provideZoneIds() {
            return Set.of(id);
        }

        @Override
        protected ZoneRules provideRules(String zoneId, boolean forCaching) {
            return rules;
        }

        @Override
        protected NavigableMap<String, ZoneRules> provideVersions(String zoneId) {
            return new TreeMap<>(Map.of("1", rules));
        }
    }
}
