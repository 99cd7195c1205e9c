package org.calsdk.testkit.memory;

import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Subscription;
import org.calsdk.api.WebhookRequest;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.tck.TckFixture;

/**
 * The TCK fixture of an {@link InMemoryCalendarService}: every feature but the wire-level ones
 * ({@code RETRY_AFTER}, {@code WIRE_FAULTS}, {@code REQUEST_LOG}): the service is called in-process, so
 * there is no HTTP exchange to throttle, cut or log.
 */
final class InMemoryTckFixture implements TckFixture {
    /** Retries a client may make on top of the first call; failures are injected for all of them. */
    private static final int ATTEMPTS = 5;

    private final InMemoryCalendarService service;
    private final Mailbox self;

    InMemoryTckFixture(InMemoryCalendarService service, Mailbox self) {
        this.service = service;
        this.self = self;
    }

    @Override
    public Set<Feature> features() {
        EnumSet<Feature> f = EnumSet.allOf(Feature.class);
        f.removeAll(EnumSet.of(Feature.RETRY_AFTER, Feature.WIRE_FAULTS, Feature.REQUEST_LOG));
        if (otherMailbox().isEmpty()) {
            f.remove(Feature.OTHER_MAILBOX);
        }
        return f;
    }

    @Override
    public java.time.Clock clock() {
        return service.clock();
    }

    @Override
    public ZoneId floatingZone() {
        return service.floatingZone();
    }

    @Override
    public Optional<Mailbox> otherMailbox() {
        return service.mailboxes().stream().filter(m -> !m.equals(self)).findFirst();
    }

    @Override
    public CalendarConnection connectOrganization() {
        return service.connectOrganization();
    }

    @Override
    public Optional<Mailbox> outOfScopeMailbox() {
        try (CalendarConnection org = service.connectOrganization()) {
            return service.mailboxes().stream()
                    .filter(m -> !org.impersonator().checkAccess(m).allowed())
                    .findFirst();
        }
    }

    @Override
    public void dropNextResponse(SpiOperation operation) {
        service.faults().loseResponseAfterCommit(operation, 1);
    }

    @Override
    public void invalidateCursors(CalendarRef calendar) {
        service.invalidateCursors(calendar);
    }

    @Override
    public void failNext(SpiOperation operation, int status, Duration retryAfter) {
        service.faults().failNext(operation, null, ATTEMPTS, status, retryAfter);
    }

    @Override
    public void clearFaults() {
        service.faults().clear();
    }

    @Override
    public void delayNext(SpiOperation operation, Duration delay) {
        service.faults().delayNext(operation, 1, delay);
    }

    @Override
    public List<WebhookRequest> takeWebhooks() {
        return service.drainWebhooks();
    }

    @Override
    public void expireSubscription(Subscription subscription) {
        service.expireSubscription(subscription.id());
    }

    @Override
    public long calls() {
        return service.totalCalls();
    }

    @Override
    public long noticesSent() {
        return service.notices().size();
    }
}
