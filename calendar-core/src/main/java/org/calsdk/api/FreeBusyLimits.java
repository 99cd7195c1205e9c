package org.calsdk.api;

import java.time.Duration;

/**
 * The shape of a provider's free/busy calls, which sets the floor of round trips: how many mailboxes
 * one call takes, the longest window one call covers, how many calls one HTTP batch carries (1 = no
 * batching).
 *
 * @param mailboxesPerCall Google 50, Graph 20, EWS 100, CalDAV 1
 * @param maxWindow        Google ~90 days, Graph 62, EWS 42; null for no limit
 * @param callsPerBatch    Google 1000, Graph 20, others 1
 * @since 0.1
 */
public record FreeBusyLimits(int mailboxesPerCall, Duration maxWindow, int callsPerBatch) {
    public FreeBusyLimits {
        if (mailboxesPerCall < 1 || callsPerBatch < 1) {
            throw new IllegalArgumentException("mailboxesPerCall and callsPerBatch must be at least 1");
        }
    }
}
