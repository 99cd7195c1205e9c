package org.calsdk.testkit.internal;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.calsdk.errors.InvalidInputException;

/**
 * Argument checks of the testkit, in the SDK's style ({@code "x == null"} for nulls, a typed
 * {@link InvalidInputException} naming the field for bad values). The testkit keeps its own copy because
 * a module may use only the public API of another. Not public API.
 */
public final class Args {
    private Args() {}

    public static <T> T notNull(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " == null");
    }

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
