package org.calsdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AsyncTest {

    @Test
    void aTaskCancelledBeforeItsWorkerPicksItUpNeverRunsAndLeavesNoInterrupt() {
        List<Runnable> queued = new ArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<String> f = Async.supply(queued::add, () -> {
            ran.set(true);
            return "ran";
        });

        assertThat(f.cancel(true)).isTrue();
        queued.forEach(Runnable::run); // the worker (this thread) picks it up only now

        assertThat(ran).isFalse();
        assertThat(f).isCancelled();
        assertThat(Thread.interrupted())
                .as("no cancellation interrupt leaks into the worker")
                .isFalse();
    }

    @Test
    void cancellingARunningTaskInterruptsItsBlockingWaitAndFiresTheScope() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch scopeFired = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            CompletableFuture<String> f = Async.supply(pool, () -> {
                CancellationScope.current().register(scopeFired::countDown);
                running.countDown();
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                    return "slept";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    return "interrupted";
                }
            });
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(f.cancel(true)).isTrue();

            assertThat(scopeFired.await(30, TimeUnit.SECONDS))
                    .as("the scope's cancel actions ran")
                    .isTrue();
            assertThat(interrupted.await(30, TimeUnit.SECONDS))
                    .as("the blocked worker was interrupted")
                    .isTrue();
            assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get(30, TimeUnit.SECONDS))
                    .as("the pool thread is clean for the next task")
                    .isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
