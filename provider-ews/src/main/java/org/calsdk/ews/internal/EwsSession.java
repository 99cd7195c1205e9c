package org.calsdk.ews.internal;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Executor;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;

/**
 * What the facets of one mailbox's connection share: the client, the mailbox acted as and whether that
 * happens through impersonation (the {@code ExchangeImpersonation} header) or as the account itself.
 */
public final class EwsSession {
    private final EwsClient client;
    private final Mailbox self;
    private final boolean impersonate;
    private final Executor executor;
    private final int freeBusyParallelism;
    private final java.time.Clock clock;
    private final java.time.Duration pullInterval;

    /** Runs a free/busy query's parallel calls; daemon threads, idle ones end after a minute. */
    private static final Executor SHARED = new java.util.concurrent.ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(),
            r -> {
                Thread t = new Thread(r, "calsdk-ews-freebusy");
                t.setDaemon(true);
                return t;
            });

    public EwsSession(
            EwsClient client,
            Mailbox self,
            boolean impersonate,
            int freeBusyParallelism,
            java.time.Clock clock,
            java.time.Duration pullInterval) {
        this(client, self, impersonate, SHARED, freeBusyParallelism, clock, pullInterval);
    }

    private EwsSession(
            EwsClient client,
            Mailbox self,
            boolean impersonate,
            Executor executor,
            int freeBusyParallelism,
            java.time.Clock clock,
            java.time.Duration pullInterval) {
        this.client = client;
        this.self = self;
        this.impersonate = impersonate;
        this.executor = executor;
        this.freeBusyParallelism = freeBusyParallelism;
        this.clock = clock;
        this.pullInterval = pullInterval;
    }

    /** The same client acting as {@code mailbox} through impersonation. */
    public EwsSession actingAs(Mailbox mailbox) {
        return new EwsSession(client, mailbox, true, executor, freeBusyParallelism, clock, pullInterval);
    }

    public java.time.Clock clock() {
        return clock;
    }

    /** How often a pull subscription listener asks for events. */
    public java.time.Duration pullInterval() {
        return pullInterval;
    }

    public EwsClient client() {
        return client;
    }

    /** The connected (or impersonated) mailbox; null for an organization connection. */
    public Mailbox self() {
        return self;
    }

    public boolean impersonating() {
        return impersonate;
    }

    public Executor executor() {
        return executor;
    }

    public int freeBusyParallelism() {
        return freeBusyParallelism;
    }

    public ErrorContext context() {
        return client.context(self);
    }

    /** The zone floating and all-day events are written in. */
    public ZoneId zone() {
        return ZoneOffset.UTC;
    }

    /** Calls as this session's mailbox. */
    public Xml.Node call(String operation, String body, boolean idempotent) {
        return client.call(operation, impersonate ? self : null, self, body, idempotent);
    }

    /** The folder id element of {@code calendar}. */
    public String folder(CalendarRef calendar) {
        if (self != null && !calendar.mailbox().equals(self)) {
            throw new InvalidInputException(
                    "calendar",
                    "this connection acts as " + self + " and cannot reach " + calendar.mailbox()
                            + "'s calendar; act as that mailbox (impersonator().actAs) instead");
        }
        if (calendar.isPrimary()) {
            return EwsClient.calendarFolder(null);
        }
        return "<t:FolderId Id=\"" + Xml.esc(calendar.id()) + "\"/>";
    }
}
