package org.calsdk.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.calsdk.internal.Async;

/**
 * Change notifications, inbound or outbound, both ending in {@link ChangeSignal}s for the sync engine.
 * <ul>
 *   <li><b>Inbound</b> ({@link Capability#PUSH_INBOUND}: Google watch channels, Graph subscriptions): the
 *   provider calls the host's URL; the host passes each request to {@link #handle} and sends back the
 *   answer it returns.</li>
 *   <li><b>Outbound</b> ({@link Capability#PUSH_OUTBOUND}: EWS streaming): the SDK holds a connection open
 *   ({@link #listen}) and delivers signals to a listener.</li>
 * </ul>
 * Push is never fully reliable: the sync engine still polls, less often, while subscriptions live.
 *
 * @since 0.1
 */
public interface PushChannels {

    /** Starts notifications for {@code calendar}. */
    Subscription subscribe(org.calsdk.model.CalendarRef calendar, SubscriptionRequest request);

    /**
     * Extends a subscription, or replaces it where the provider cannot extend (Google channels): the
     * returned subscription may have a new id; the old one is stopped once the new one runs.
     */
    Subscription renew(Subscription subscription, SubscriptionRequest request);

    /** Stops a subscription; stopping one that is already gone succeeds. */
    void unsubscribe(Subscription subscription);

    /**
     * Inbound push: checks and interprets one webhook request (validation handshake, notification,
     * lifecycle event). Forged requests (wrong client state) are answered with 4xx and no signals.
     */
    default WebhookResponse handle(WebhookRequest request) {
        throw new org.calsdk.errors.UnsupportedCapabilityException(
                "this provider does not push to webhooks (no PUSH_INBOUND capability)", org.calsdk.errors.ErrorContext.NONE);
    }

    /**
     * Outbound push: opens the provider's stream for {@code subscriptions} and calls {@code listener}
     * with each signal until the returned handle is closed.
     */
    default AutoCloseable listen(List<Subscription> subscriptions, Consumer<ChangeSignal> listener) {
        throw new org.calsdk.errors.UnsupportedCapabilityException(
                "this provider has no streaming notifications (no PUSH_OUTBOUND capability)", org.calsdk.errors.ErrorContext.NONE);
    }

    default CompletableFuture<Subscription> subscribeAsync(org.calsdk.model.CalendarRef calendar, SubscriptionRequest request,
                                                           Executor executor) {
        return Async.supply(executor, () -> subscribe(calendar, request));
    }

    default CompletableFuture<Subscription> renewAsync(Subscription subscription, SubscriptionRequest request,
                                                       Executor executor) {
        return Async.supply(executor, () -> renew(subscription, request));
    }

    default CompletableFuture<Void> unsubscribeAsync(Subscription subscription, Executor executor) {
        return Async.run(executor, () -> unsubscribe(subscription));
    }
}
