package org.calsdk.model;

/** Whether an event (or one occurrence) takes place (RFC 5545 STATUS). @since 0.1 */
public enum EventStatus {
    /** Taking place. */
    CONFIRMED,
    /** Not yet certain. */
    TENTATIVE,
    /** Called off. */
    CANCELLED
}
