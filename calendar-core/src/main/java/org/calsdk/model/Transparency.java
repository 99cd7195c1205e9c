package org.calsdk.model;

/** Whether an event blocks time: OPAQUE does, TRANSPARENT ("show as free") does not. @since 0.1 */
public enum Transparency {
    /** Blocks time in free/busy. */
    OPAQUE,
    /** Does not block time. */
    TRANSPARENT
}
