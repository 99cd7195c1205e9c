package org.calsdk.api;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.calsdk.internal.Async;

/**
 * Change notifications, inbound or outbound, both ending in {@link ChangeSignal}s for the sync engine.
 * <ul>
 *   <li><b>Inbound</b> ({@link Capability#PUSH_INBOUND}: Google watch channels, Graph subscriptions): the
 *   provider calls the host's URL. The host reads which subscriptions the request names
 *   ({@link #subscriptionIds}), looks them up among the subscriptions it stored when it subscribed, passes
 *   the request and those records to {@link #handle}, and sends back the answer it returns.</li>
 *   <li><b>Outbound</b> ({@link Capability#PUSH_OUTBOUND}: EWS streaming and pull subscriptions, no inbound
 *   callback): the SDK holds a connection open ({@link #listen}) and delivers signals to a listener, such as
 *   the sync engine's {@code onSignal}.</li>
 * </ul>
 * The sync engine does all of this itself ({@code SyncEngine.handleWebhook(integration, request)}).
 * Push is never fully reliable: the sync engine still polls, less often, while subscriptions live.
 *
 * @since 0.1
 */
public interface PushChannels {

    /**
     * Starts notifications for {@code calendar}. The returned subscription carries
     * {@code request.clientState()}; store it, it is what {@link #handle} checks notifications against.
     *
     * @param calendar the calendar to watch
     * @param request the callback URL, client state and lifetime asked for
     * @return the subscription, with the expiry the provider granted
     */
    Subscription subscribe(org.calsdk.model.CalendarRef calendar, SubscriptionRequest request);

    /**
     * Extends a subscription, or replaces it where the provider cannot extend (Google channels): the
     * returned subscription may have a new id; the old one is stopped once the new one runs. It carries the
     * client state its notifications carry from now on: {@code request.clientState()} where the provider
     * makes a new subscription or can change it, else the one it had (Graph cannot change a subscription's
     * {@code clientState}). Renew with the subscription's own {@link Subscription#clientState()} to keep
     * it, as the sync engine does; store what comes back.
     *
     * @param subscription the subscription to extend
     * @param request the new lifetime and client state
     * @return the live subscription
     */
    Subscription renew(Subscription subscription, SubscriptionRequest request);

    /**
     * Stops a subscription; stopping one that is already gone succeeds.
     *
     * @param subscription the subscription to stop
     */
    void unsubscribe(Subscription subscription);

    /**
     * Inbound push, step 1: which subscriptions a webhook request is about, read from the request alone
     * (headers and body), without verifying it and without a call to the provider. Google names one channel
     * ({@code X-Goog-Channel-ID}); one Graph POST carries notifications for many subscriptions, often of many
     * mailboxes, and names each. The caller looks every id up among the subscriptions it stored and passes
     * the records it found to {@link #handle}. Empty for a request that names none (a Graph validation
     * handshake, a request that is no notification at all).
     *
     * <p>The answer depends on the request only, so any connection of the provider can read it: the sync
     * engine asks the connection it has for the whole integration. The list is at most as long as the
     * request has notifications, without duplicates.
     *
     * @param request the inbound request
     * @return the subscription ids it names; empty when it names none
     */
    default List<String> subscriptionIds(WebhookRequest request) {
        throw new org.calsdk.errors.UnsupportedCapabilityException(
                "this provider does not push to webhooks (no PUSH_INBOUND capability)",
                org.calsdk.errors.ErrorContext.NONE);
    }

    /**
     * Inbound push, step 2: checks and interprets one webhook request (validation handshake, notifications,
     * lifecycle events), given the stored subscriptions it names (those of {@link #subscriptionIds} that the
     * caller found; unknown ids are simply absent).
     *
     * <ul>
     *   <li>Each notification is checked against the {@link Subscription#clientState()} of its own
     *   subscription in constant time ({@link Subscription#matchesClientState}): Graph's {@code clientState},
     *   Google's {@code X-Goog-Channel-Token} (and {@code X-Goog-Resource-ID} against
     *   {@link Subscription#resourceId()}); one whose subscription is
     *   not among {@code subscriptions}, or whose secret does not match, gives no signal and is never
     *   trusted for anything else in the request.</li>
     *   <li>Answers: a handshake with what the provider expects (Graph: 200 {@code text/plain} echoing the
     *   validation token); a request with at least one verified notification with 2xx and one signal per
     *   verified notification; a request with none verified with 4xx (403 for a wrong secret, 404 when no
     *   named subscription is known) and no signals. Forged requests never produce a signal.</li>
     *   <li>Reads the request and the records only: no call to the provider, and no state of the
     *   connection, so it may be called on any connection of the provider.</li>
     * </ul>
     *
     * @param request the inbound request
     * @param subscriptions the stored subscriptions its ids name
     * @return the answer to send back, with the change signals it carries
     */
    default WebhookResponse handle(WebhookRequest request, Collection<Subscription> subscriptions) {
        throw new org.calsdk.errors.UnsupportedCapabilityException(
                "this provider does not push to webhooks (no PUSH_INBOUND capability)",
                org.calsdk.errors.ErrorContext.NONE);
    }

    /**
     * Outbound push: opens the provider's stream for {@code subscriptions} and calls {@code listener}
     * with each signal until the returned handle is closed.
     *
     * @param subscriptions the subscriptions to listen for
     * @param listener receives each signal, on the provider's thread
     * @return the handle; closing it stops listening
     */
    default AutoCloseable listen(List<Subscription> subscriptions, Consumer<ChangeSignal> listener) {
        throw new org.calsdk.errors.UnsupportedCapabilityException(
                "this provider has no streaming notifications (no PUSH_OUTBOUND capability)",
                org.calsdk.errors.ErrorContext.NONE);
    }

    /**
     * {@link #subscribe} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param calendar the calendar
     * @param request the endpoint and lifetime
     * @param executor runs the call
     * @return the subscription, later
     */
    default CompletableFuture<Subscription> subscribeAsync(
            org.calsdk.model.CalendarRef calendar, SubscriptionRequest request, Executor executor) {
        return Async.supply(executor, () -> subscribe(calendar, request));
    }

    /**
     * {@link #renew} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param subscription the stored subscription
     * @param request the new lifetime
     * @param executor runs the call
     * @return the renewed subscription, later
     */
    default CompletableFuture<Subscription> renewAsync(
            Subscription subscription, SubscriptionRequest request, Executor executor) {
        return Async.supply(executor, () -> renew(subscription, request));
    }

    /**
     * {@link #unsubscribe} on {@code executor}; cancelling the future aborts the call's HTTP request.
     *
     * @param subscription the stored subscription
     * @param executor runs the call
     * @return completion, later
     */
    default CompletableFuture<Void> unsubscribeAsync(Subscription subscription, Executor executor) {
        return Async.run(executor, () -> unsubscribe(subscription));
    }
}
