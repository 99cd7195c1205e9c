package org.calsdk.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs blocking SDK calls as {@link CompletableFuture}s whose {@code cancel(true)} really cancels:
 * it fires the cancel actions registered in the task's {@link CancellationScope} (the HTTP transport
 * registers its in-flight call there) and interrupts the worker thread.
 */
public final class Async {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService DEFAULT = newDefaultExecutor();

    private Async() {}

    /** The executor async calls use when the caller supplies none: bounded, daemon threads. */
    public static Executor defaultExecutor() {
        return DEFAULT;
    }

    private static ExecutorService newDefaultExecutor() {
        int max = Math.max(8, Runtime.getRuntime().availableProcessors() * 8);
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(max, max, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "calsdk-async-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Runs {@code task} on {@code executor}; cancelling the future cancels the task's I/O. */
    public static <T> CompletableFuture<T> supply(Executor executor, Supplier<T> task) {
        Checks.notNull(executor, "executor");
        Checks.notNull(task, "task");
        CancellationScope scope = new CancellationScope();
        AtomicReference<Thread> worker = new AtomicReference<>();
        CancellableFuture<T> future = new CancellableFuture<>(scope, worker);
        executor.execute(() -> {
            // publish the worker before looking at the future: a cancel() between the two could otherwise find
            // no thread to interrupt and let the task run (a provider call not yet registered in the scope)
            worker.set(Thread.currentThread());
            if (future.isDone()) {
                worker.set(null);
                Thread.interrupted();
                return;
            }
            CancellationScope previous = CancellationScope.enter(scope);
            try {
                future.complete(task.get());
            } catch (Throwable t) {
                future.completeExceptionally(t instanceof CompletionException ? t.getCause() : t);
            } finally {
                CancellationScope.exit(previous);
                worker.set(null);
                Thread.interrupted(); // do not leak a cancellation interrupt into the pool
            }
        });
        return future;
    }

    /** Runs a blocking call without a result. */
    public static CompletableFuture<Void> run(Executor executor, Runnable task) {
        return supply(executor, () -> {
            task.run();
            return null;
        });
    }

    private static final class CancellableFuture<T> extends CompletableFuture<T> {
        private final CancellationScope scope;
        private final AtomicReference<Thread> worker;

        CancellableFuture(CancellationScope scope, AtomicReference<Thread> worker) {
            this.scope = scope;
            this.worker = worker;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                scope.cancel();
                Thread t = worker.get();
                if (t != null && mayInterruptIfRunning) {
                    t.interrupt();
                }
            }
            return cancelled;
        }
    }
}
