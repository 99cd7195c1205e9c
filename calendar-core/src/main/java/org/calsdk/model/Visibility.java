package org.calsdk.model;

/** Who may see an event's details (RFC 5545 CLASS, Google/Graph visibility/sensitivity). @since 0.1 */
public enum Visibility {
    /** The calendar's default. */
    DEFAULT,
    /** Details visible to whoever sees the calendar. */
    PUBLIC,
    /** Details hidden from others: they see busy time only. */
    PRIVATE,
    /** As private, more strictly where the provider distinguishes it. */
    CONFIDENTIAL
}
