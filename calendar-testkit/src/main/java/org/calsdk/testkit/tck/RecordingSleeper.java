package org.calsdk.testkit.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.http.Sleeper;
import org.calsdk.internal.Checks;

/**
 * A {@link Sleeper} that records the pauses it is asked for and returns at once, for the TCK's
 * {@code Retry-After} rule: build the provider with it and hand it to the fixture
 * ({@link FakeServerFixture.Builder#sleeper}), so that the rule sees the pause the provider really took
 * rather than only the exception it raised. Thread-safe; keeps at most {@value #LIMIT} pauses.
 *
 * <pre>{@code
 * RecordingSleeper sleeper = new RecordingSleeper();
 * CalendarConnection c = CalDavProvider.builder().sleeper(sleeper).build().connect(config);
 * TckFixture fixture = FakeServerFixture.builder(server).sleeper(sleeper)...build();
 * }</pre>
 *
 * @since 0.1
 */
public final class RecordingSleeper implements Sleeper {
    /** The most pauses kept between two {@link #take()} calls. */
    public static final int LIMIT = 10_000;

    private final List<Duration> pauses = new ArrayList<>();

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Checks.notNull(duration, "duration");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the pause");
        }
        synchronized (pauses) {
            if (pauses.size() < LIMIT) {
                pauses.add(duration);
            }
        }
    }

    /**
     * The pauses asked for since the last call, oldest first; forgets them.
     *
     * @return the pauses, oldest first; empty when none were asked for
     */
    public List<Duration> take() {
        synchronized (pauses) {
            List<Duration> out = List.copyOf(pauses);
            pauses.clear();
            return out;
        }
    }
}
