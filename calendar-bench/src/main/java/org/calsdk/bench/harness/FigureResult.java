package org.calsdk.bench.harness;

import java.util.Objects;

/**
 * One measured figure: our value, the floor it is compared against (null when there is none), the unit,
 * and the ratio value ÷ floor (null without a floor). Immutable; this is one entry of the JSON array
 * {@code calendar bench --json} writes.
 *
 * @param name  what was measured; a round-trip figure (unit {@code calls} or {@code round-trips}) names its
 *              provider ({@code google}, {@code graph}, {@code ews} or {@code caldav})
 * @param value our value
 * @param floor the floor, or null
 * @param unit  the unit of value and floor
 * @param ratio value ÷ floor, or null
 */
public record FigureResult(String name, double value, Double floor, String unit, Double ratio) {
    /** The providers a round-trip figure may name. */
    public static final java.util.List<String> PROVIDERS = java.util.List.of("google", "graph", "ews", "caldav");

    public FigureResult {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(unit, "unit == null");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": value must be finite, was " + value);
        }
        if (floor != null && !Double.isFinite(floor)) {
            throw new IllegalArgumentException(name + ": floor must be finite, was " + floor);
        }
        if (isRoundTrip(unit) && PROVIDERS.stream().noneMatch(name::contains)) {
            throw new IllegalArgumentException("round-trip figure '" + name + "' must name its provider " + PROVIDERS);
        }
    }

    /** A figure with a floor; the ratio is computed (null when the floor is 0). */
    public static FigureResult of(String name, double value, Double floor, String unit) {
        Double ratio = floor == null || floor == 0 ? null : value / floor;
        return new FigureResult(name, value, floor, unit, ratio);
    }

    /** A figure without a floor. */
    public static FigureResult of(String name, double value, String unit) {
        return of(name, value, null, unit);
    }

    /** Whether {@code unit} is one of the round-trip units ({@code calls}, {@code round-trips}). */
    public static boolean isRoundTrip(String unit) {
        return "calls".equals(unit) || "round-trips".equals(unit);
    }
}
