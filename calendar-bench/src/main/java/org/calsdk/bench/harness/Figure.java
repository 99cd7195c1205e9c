package org.calsdk.bench.harness;

import java.util.List;
import java.util.Optional;

/**
 * One benchmark of the harness: a small class that measures one thing and yields one or more
 * {@link FigureResult}s (for example calls, round trips and wall time of the same run). Figures are
 * registered in {@link FigureRegistry}: the built-in ones there, others as {@link java.util.ServiceLoader}
 * services of this interface ({@code META-INF/services/org.calsdk.bench.harness.Figure}), so a provider's
 * figures (google, graph, ews) or another module's scale benchmark are one class each.
 */
public interface Figure {
    /** A short name for logs and {@code --only} selection, e.g. {@code caldav-freebusy-fanout-100}. */
    String id();

    /** The provider whose round trips this figure counts ({@code caldav}, {@code google}, ...), if any. */
    default Optional<String> provider() {
        return Optional.empty();
    }

    /** The units of the results it yields (for the registry's listing and the contract test). */
    List<String> units();

    /** Whether this figure runs in the given mode (e.g. 10,000 mailboxes only in a full run). */
    default boolean runsIn(BenchSettings.Mode mode) {
        return true;
    }

    /** Measures, bounded by the settings' sizes; throws when the measurement could not be made. */
    List<FigureResult> measure(BenchSettings settings) throws Exception;
}
