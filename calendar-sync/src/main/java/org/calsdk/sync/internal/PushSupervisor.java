package org.calsdk.sync.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.Subscription;
import org.calsdk.api.SubscriptionRequest;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.SyncStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps push subscriptions alive for the calendars this engine syncs, where the connection supports
 * inbound push and the host configured a callback URL: subscribes on the first pass, renews a margin
 * before expiry on later passes, and when subscribing fails falls back to polling (the mailbox keeps its
 * regular poll interval) and tries again after one poll interval. Subscriptions are kept in the
 * {@link SyncStateStore}, and only touched under the mailbox's lease: a restarted engine, or another node
 * of a cluster, renews the existing subscription instead of making a second one. Only the "try again
 * after" times of failed subscribes are per engine.
 */
public final class PushSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(PushSupervisor.class);

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final EngineSettings s;
    private final SyncStateStore store;
    private final Map<CalendarRef, Instant> retryAfter = new ConcurrentHashMap<>();

    public PushSupervisor(EngineSettings settings) {
        this.s = settings;
        this.store = settings.store();
    }

    /**
     * Makes sure every calendar has a live subscription. Called under the mailbox's lease, with the pass's
     * store view fenced by that lease ({@code passStore}): a pass that lost its lease saves no subscription.
     *
     * @return whether all of them are covered by push (so the mailbox may be polled less often)
     */
    public boolean ensure(
            SyncStateStore passStore,
            CalendarConnection connection,
            String integration,
            Mailbox mailbox,
            List<CalendarRef> calendars) {
        EngineSettings.PushSettings p = s.push();
        if (p == null || !connection.supports(Capability.PUSH_INBOUND) || calendars.isEmpty()) {
            return false;
        }
        boolean all = true;
        for (CalendarRef cal : calendars) {
            Instant now = s.clock().instant();
            Subscription sub = passStore
                    .subscription(cal)
                    .filter(x -> now.isBefore(x.expiresAt()))
                    .orElse(null);
            // a fresh secret for every new subscription (a leaked one opens one channel, for a while); a renewal
            // keeps the subscription's own, which not every provider can change (Graph)
            SubscriptionRequest request = new SubscriptionRequest(
                    p.callbackUrl(integration), sub == null ? newClientState() : sub.clientState(), p.ttl());
            try {
                if (sub == null) {
                    Instant wait = retryAfter.get(cal);
                    if (wait != null && now.isBefore(wait)) {
                        all = false;
                        continue;
                    }
                    passStore.saveSubscription(connection.push().subscribe(cal, request));
                    retryAfter.remove(cal);
                } else if (sub.needsRenewal(now, p.renewMargin())) {
                    passStore.saveSubscription(connection.push().renew(sub, request));
                }
            } catch (ReauthorizationRequiredException e) {
                throw e;
            } catch (CalendarException e) {
                if (sub == null) {
                    passStore.deleteSubscription(cal); // an expired one, if any: the next try subscribes afresh
                }
                retryAfter.put(cal, now.plus(s.pollInterval()));
                LOG.warn("push subscription for a calendar of {} failed, polling instead: {}", mailbox, e.getMessage());
                all = false;
            }
        }
        return all;
    }

    /**
     * The provider ended subscription {@code subscriptionId} of a calendar (or needs it re-made): it is marked
     * ended in the store ({@link SyncStateStore#endSubscription}, not deleted: this runs outside the mailbox's
     * lease), and the next pass, under the lease, subscribes again and replaces it. A signal about a
     * subscription that was already replaced (a Google channel renewed by replacing it) leaves the new one alone.
     */
    public void ended(String integration, CalendarRef calendar, String subscriptionId) {
        (integration == null ? store : store.inIntegration(integration)).endSubscription(calendar, subscriptionId);
        retryAfter.remove(calendar);
    }

    /**
     * The provider asks for subscription {@code subscriptionId} of a calendar to be reauthorized (Graph
     * {@code reauthorizationRequired}): it is marked for renewal in the store ({@link SyncStateStore#requestRenewal}:
     * its expiry brought forward to now plus the renewal margin), and the next pass, under the lease, renews the
     * same subscription ({@code PATCH}); the provider makes a new one only when the renewal finds it gone (Graph
     * answers 404). Before, it was ended and replaced by a new subscription. Without push settings it is ended.
     */
    public void reauthorize(String integration, CalendarRef calendar, String subscriptionId) {
        SyncStateStore target = integration == null ? store : store.inIntegration(integration);
        EngineSettings.PushSettings p = s.push();
        if (p == null) {
            target.endSubscription(calendar, subscriptionId);
        } else {
            target.requestRenewal(calendar, subscriptionId, s.clock().instant().plus(p.renewMargin()));
        }
        retryAfter.remove(calendar);
    }

    /** 32 random bytes, base64url: 43 characters, inside Graph's 128 and Google's 256. */
    static org.calsdk.auth.Secret newClientState() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return org.calsdk.auth.Secret.of(
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    /** Whether the calendar has a live subscription now. */
    public boolean isLive(CalendarRef calendar) {
        Instant now = s.clock().instant();
        return store.subscription(calendar)
                .map(sub -> now.isBefore(sub.expiresAt()))
                .orElse(false);
    }

    /**
     * Stops the stored subscriptions of a mailbox at the provider and forgets them (before the mailbox or its
     * integration is removed). Best effort: a subscription the provider refuses to stop expires by itself.
     *
     * @return how many could not be stopped
     */
    public int stopAll(String integration, CalendarConnection connection, Mailbox mailbox) {
        SyncStateStore store = this.store.inIntegration(integration);
        int failed = 0;
        for (Subscription sub : store.subscriptions(mailbox)) {
            try {
                connection.push().unsubscribe(sub);
            } catch (ReauthorizationRequiredException e) {
                failed++;
                LOG.info(
                        "could not stop a push subscription of {} (authorization gone); it expires by itself", mailbox);
            } catch (CalendarException e) {
                failed++;
                LOG.info("could not stop a push subscription of {}; it expires by itself: {}", mailbox, e.getMessage());
            }
            store.deleteSubscription(sub.calendar());
            retryAfter.remove(sub.calendar());
        }
        return failed;
    }
}
