package org.calsdk.sync.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.Capability;
import org.calsdk.spi.CalendarConnection;
import org.calsdk.spi.Subscription;
import org.calsdk.spi.SubscriptionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps push subscriptions alive for the calendars this engine syncs, where the connection supports
 * inbound push and the host configured a callback URL: subscribes on the first pass, renews a margin
 * before expiry on later passes, and when subscribing fails falls back to polling (the mailbox keeps its
 * regular poll interval) and tries again after one poll interval. Subscriptions are held in memory by the
 * engine that made them; they expire by themselves if it dies.
 */
public final class PushSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(PushSupervisor.class);

    private final EngineSettings s;
    private final Map<CalendarRef, Subscription> live = new ConcurrentHashMap<>();
    private final Map<CalendarRef, Instant> retryAfter = new ConcurrentHashMap<>();

    public PushSupervisor(EngineSettings settings) {
        this.s = settings;
    }

    /**
     * Makes sure every calendar has a live subscription.
     *
     * @return whether all of them are covered by push (so the mailbox may be polled less often)
     */
    public boolean ensure(CalendarConnection connection, Mailbox mailbox, List<CalendarRef> calendars) {
        EngineSettings.PushSettings p = s.push();
        if (p == null || !connection.supports(Capability.PUSH_INBOUND) || calendars.isEmpty()) {
            return false;
        }
        SubscriptionRequest request = new SubscriptionRequest(p.callbackUrl(), p.clientState(), p.ttl());
        boolean all = true;
        for (CalendarRef cal : calendars) {
            Instant now = s.clock().instant();
            Subscription sub = live.get(cal);
            try {
                if (sub == null) {
                    Instant wait = retryAfter.get(cal);
                    if (wait != null && now.isBefore(wait)) {
                        all = false;
                        continue;
                    }
                    live.put(cal, connection.push().subscribe(cal, request));
                    retryAfter.remove(cal);
                } else if (sub.needsRenewal(now, p.renewMargin())) {
                    live.put(cal, connection.push().renew(sub, request));
                }
            } catch (ReauthorizationRequiredException e) {
                throw e;
            } catch (CalendarException e) {
                live.remove(cal);
                retryAfter.put(cal, now.plus(s.pollInterval()));
                LOG.warn("push subscription for a calendar of {} failed, polling instead: {}", mailbox, e.getMessage());
                all = false;
            }
        }
        return all;
    }

    /** The provider ended a subscription (or lost notifications): forget it, the next pass subscribes again. */
    public void ended(CalendarRef calendar) {
        live.remove(calendar);
        retryAfter.remove(calendar);
    }

    /** Whether the calendar has a live subscription now. */
    public boolean isLive(CalendarRef calendar) {
        Subscription sub = live.get(calendar);
        return sub != null && s.clock().instant().isBefore(sub.expiresAt());
    }

    public Map<CalendarRef, Subscription> subscriptions() {
        return Map.copyOf(live);
    }
}
