package org.calsdk.model;

import java.util.Set;
import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What a provider says about one calendar: its name, colour, what it holds, whether we may write to it,
 * and its change tag (CalDAV {@code sync-token}/{@code getctag}, or empty where the provider has none)
 * that tells cheaply whether anything in it changed.
 *
 * @param ref         the calendar
 * @param displayName name shown to people
 * @param color       colour such as {@code #1f77b4}, or null
 * @param components  component types it holds ({@code VEVENT}, {@code VTODO}); empty when unknown
 * @param readOnly    whether writes will be refused
 * @param primary     whether this is the mailbox's default calendar
 * @param changeTag   the calendar's current sync token or ctag, or null
 * @since 0.1
 */
public record CalendarInfo(
        CalendarRef ref,
        String displayName,
        @Nullable String color,
        Set<String> components,
        boolean readOnly,
        boolean primary,
        @Nullable String changeTag) {
    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param ref the calendar
     * @param displayName name shown to people
     * @param color colour such as {@code #1f77b4}, or null
     * @param components component types it holds ({@code VEVENT}, {@code VTODO}); empty when unknown
     * @param readOnly whether writes will be refused
     * @param primary whether this is the mailbox's default calendar
     * @param changeTag the calendar's current sync token or ctag, or null
     */
    public CalendarInfo {
        Checks.notNull(ref, "ref");
        displayName = displayName == null ? ref.id() : displayName;
        components = components == null ? Set.of() : Set.copyOf(components);
    }

    /**
     * Whether the calendar can hold events (true when the provider did not say).
     *
     * @return true unless the provider's component list leaves out events
     */
    public boolean holdsEvents() {
        return components.isEmpty() || components.contains("VEVENT");
    }
}
