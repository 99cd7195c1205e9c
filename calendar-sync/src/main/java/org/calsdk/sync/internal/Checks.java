package org.calsdk.sync.internal;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.calsdk.errors.InvalidInputException;

/** Argument checks of the sync module (calendar-core's are internal to core). Not public API. */
public final class Checks {
    private Checks() {}

    /** Rejects {@code null} with a message naming the field. */
    public static <T> T notNull(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " == null");
    }

    /** Rejects null and blank strings. */
    public static String notBlank(String value, String field) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new InvalidInputException(field, field + " must not be blank");
        }
        return value;
    }

    public static <T> List<T> immutableList(Collection<? extends T> values, String field) {
        if (values == null) {
            return List.of();
        }
        for (T v : values) {
            notNull(v, field + " element");
        }
        return List.copyOf(values);
    }

    public static void check(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidInputException(field, message);
        }
    }
}
