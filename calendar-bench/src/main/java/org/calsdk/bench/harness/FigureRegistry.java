package org.calsdk.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.calsdk.bench.AvailabilityFigure;
import org.calsdk.bench.ExpandFigure;
import org.calsdk.bench.figures.CalDavCliFreeBusyFigure;
import org.calsdk.bench.figures.CalDavFootprintFigure;
import org.calsdk.bench.figures.CalDavFreeBusyFanOutFigure;
import org.calsdk.bench.figures.CalDavFullSyncFigure;
import org.calsdk.bench.figures.CalDavIncrementalSyncFigure;

/**
 * The figures a bench run measures, in order: the built-in ones, then every {@link Figure} found as a
 * {@link ServiceLoader} service (how provider modules and other benchmark classes add theirs). Ids are
 * unique; a service with a built-in's id replaces it.
 */
public final class FigureRegistry {
    private final Map<String, Figure> figures = new LinkedHashMap<>();

    private FigureRegistry() {}

    /** The built-in figures plus the services visible to {@code loader}. */
    public static FigureRegistry load(ClassLoader loader) {
        FigureRegistry r = new FigureRegistry();
        for (Figure f : builtIn()) {
            r.add(f);
        }
        for (Figure f : org.calsdk.bench.cloud.CloudFigures.all()) {
            r.add(f);
        }
        for (Figure f : ServiceLoader.load(Figure.class, loader)) {
            r.add(f);
        }
        return r;
    }

    /** The figures this module defines (CalDAV, sync, availability, recurrence, footprint). */
    public static List<Figure> builtIn() {
        return List.of(
                new CalDavFreeBusyFanOutFigure(100),
                new CalDavFreeBusyFanOutFigure(1_000),
                new CalDavFreeBusyFanOutFigure(10_000),
                new CalDavCliFreeBusyFigure(100),
                new CalDavIncrementalSyncFigure(),
                new CalDavFullSyncFigure(),
                new AvailabilityFigure(),
                new ExpandFigure(),
                new CalDavFootprintFigure());
    }

    /** Adds a figure (replacing one of the same id). */
    public FigureRegistry add(Figure f) {
        figures.put(f.id(), f);
        return this;
    }

    /** The registered figures, in order. */
    public List<Figure> figures() {
        return new ArrayList<>(figures.values());
    }
}
