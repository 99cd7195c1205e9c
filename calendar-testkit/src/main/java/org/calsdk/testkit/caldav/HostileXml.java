package org.calsdk.testkit.caldav;

/**
 * Hostile XML the {@link FakeCalDavServer} can answer PROPFIND and REPORT requests with, to prove a client
 * parses server XML safely.
 *
 * @since 0.1
 */
public enum HostileXml {
    /** Well-behaved answers. */
    NONE,
    /** An external entity pointing at a local file ({@code file:///etc/passwd}). */
    XXE,
    /** Nested entity expansion ("billion laughs"). */
    BILLION_LAUGHS,
    /** A body far larger than any sane multistatus (several MiB of padding). */
    HUGE
}
