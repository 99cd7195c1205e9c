package org.calsdk.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The cancellation of one async task. Code that blocks (an HTTP call) registers how to abort itself;
 * cancelling the task's future runs those actions. Outside an async task {@link #current()} is a scope
 * that is never cancelled.
 */
public final class CancellationScope {
    private static final ThreadLocal<CancellationScope> CURRENT = new ThreadLocal<>();
    private static final CancellationScope NEVER = new CancellationScope();

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    CancellationScope() {}

    /** The scope of the task running on this thread. */
    public static CancellationScope current() {
        CancellationScope s = CURRENT.get();
        return s == null ? NEVER : s;
    }

    static CancellationScope enter(CancellationScope scope) {
        CancellationScope previous = CURRENT.get();
        CURRENT.set(scope);
        return previous;
    }

    static void exit(CancellationScope previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /**
     * Registers {@code onCancel}; runs it at once if the scope is already cancelled. Close the returned
     * registration when the blocking part is over.
     */
    public Registration register(Runnable onCancel) {
        if (this == NEVER) {
            return () -> {};
        }
        boolean runNow;
        synchronized (this) {
            runNow = cancelled;
            if (!runNow) {
                actions.add(onCancel);
            }
        }
        if (runNow) {
            onCancel.run();
            return () -> {};
        }
        return () -> {
            synchronized (this) {
                actions.remove(onCancel);
            }
        };
    }

    void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = new ArrayList<>(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    /** A registered cancel action; closing it unregisters the action. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
