package org.calsdk.sync;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.EventReader;
import org.calsdk.api.EventWriter;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.InMemoryCalendarService;

/**
 * Makes a fraction of the engine's calls fail at random, through the reference service's own fault
 * injection: before each SPI call, with probability {@code rate}, it arms one fault for exactly that
 * operation and mailbox - a 429 with Retry-After, a 500/502/503 (how the transport surfaces resets and
 * truncated bodies once its retries are spent), or for writes an answer lost after the change committed.
 * Only for single-threaded use (the armed rule is consumed by the call that follows).
 */
final class FaultInjectingConnections implements SyncConnections {
    private static final Map<String, SpiOperation> OPS = Map.ofEntries(
            Map.entry("create", SpiOperation.CREATE_EVENT),
            Map.entry("update", SpiOperation.UPDATE_EVENT),
            Map.entry("delete", SpiOperation.DELETE_EVENT),
            Map.entry("respond", SpiOperation.RESPOND),
            Map.entry("get", SpiOperation.GET_EVENT),
            Map.entry("findByKey", SpiOperation.FIND_BY_KEY),
            Map.entry("changes", SpiOperation.CHANGES),
            Map.entry("calendars", SpiOperation.LIST_CALENDARS),
            Map.entry("list", SpiOperation.LIST_EVENTS));
    private static final int[] STATUSES = {429, 500, 502, 503};

    private final InMemoryCalendarService service;
    private final Random random;
    private final double rate;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong faults = new AtomicLong();

    FaultInjectingConnections(InMemoryCalendarService service, long seed, double rate) {
        this.service = service;
        this.random = new Random(seed);
        this.rate = rate;
    }

    @Override
    public CalendarConnection connect(Integration integration, Mailbox mailbox) {
        CalendarConnection real = service.connect(mailbox);
        return proxy(CalendarConnection.class, (p, m, args) -> {
            Object result = invoke(real, m, args);
            return switch (m.getName()) {
                case "reader" -> facet(EventReader.class, result, mailbox);
                case "writer" -> facet(EventWriter.class, result, mailbox);
                case "changes" -> facet(ChangeFeed.class, result, mailbox);
                default -> result;
            };
        });
    }

    private <T> T facet(Class<T> type, Object real, Mailbox mailbox) {
        return proxy(type, (p, m, args) -> {
            SpiOperation op = OPS.get(m.getName());
            if (op != null && !m.isDefault()) {
                calls.incrementAndGet();
                if (random.nextDouble() < rate) {
                    faults.incrementAndGet();
                    if (op.isWrite() && random.nextBoolean()) {
                        service.faults().loseResponseAfterCommit(op, 1);
                    } else {
                        int status = STATUSES[random.nextInt(STATUSES.length)];
                        service.faults()
                                .failNext(op, mailbox, 1, status, status == 429 ? Duration.ofSeconds(30) : null);
                    }
                }
            }
            return invoke(real, m, args);
        });
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler h) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }
}
