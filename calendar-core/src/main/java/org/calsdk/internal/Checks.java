package org.calsdk.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.calsdk.errors.InvalidInputException;

/**
 * The SDK's one set of argument checks, used by every module (core, sync, testkit, providers): nulls are
 * refused with {@code "field == null"}, bad values with an {@link InvalidInputException} naming the field.
 * Public only so that the SDK's modules, released together, can share it; not API for hosts (the
 * {@code internal} package may change in any release).
 */
public final class Checks {
    private Checks() {}

    /** Rejects {@code null} with a message naming the field, the way every public entry point does. */
    public static <T> T notNull(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " == null");
    }

    /** Rejects null, empty and blank strings; returns the value unchanged. */
    public static String notBlank(String value, String field) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new InvalidInputException(field, field + " must not be blank");
        }
        return value;
    }

    /** An immutable copy of {@code values} ({@code null} = empty), refusing null elements. */
    public static <T> List<T> immutableList(Collection<? extends T> values, String field) {
        if (values == null) {
            return List.of();
        }
        for (T v : values) {
            notNull(v, field + " element");
        }
        return List.copyOf(values);
    }

    /** An immutable copy of {@code values} ({@code null} = empty); {@link Map#copyOf} refuses null keys and values. */
    public static <K, V> Map<K, V> immutableMap(Map<? extends K, ? extends V> values, String field) {
        if (values == null) {
            return Map.of();
        }
        return Map.copyOf(values);
    }

    /** Throws an {@link InvalidInputException} naming {@code field} with {@code message} unless {@code condition}. */
    public static void check(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidInputException(field, message);
        }
    }
}
