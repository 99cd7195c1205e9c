package org.calsdk.ical;

import java.util.List;
import org.calsdk.internal.Checks;
import org.calsdk.model.Event;

/**
 * What {@link ICalendar#read(String)} got from an input: the events it could read, and a
 * {@link ParseProblem} for everything it could not (at most {@value #MAX_PROBLEMS} are listed;
 * {@link #unlistedProblems()} counts the rest). No problems means the whole input was read.
 *
 * <pre>{@code
 * ParseResult r = ICalendar.read(text);
 * r.problems().forEach(p -> log.warn("skipped: {}", p));   // e.g. "line 40: VEVENT UID 'x': DTSTART is missing"
 * List<Event> events = r.events();
 * }</pre>
 *
 * @param events           the events read, series with their overrides, in file order
 * @param problems         what could not be read, in file order
 * @param unlistedProblems problems beyond the first {@value #MAX_PROBLEMS}, counted only
 * @since 0.1
 */
public record ParseResult(List<Event> events, List<ParseProblem> problems, int unlistedProblems) {
    /** Most problems listed in one result. */
    public static final int MAX_PROBLEMS = 1_000;

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param events the events read, series with their overrides, in file order
     * @param problems what could not be read, in file order
     * @param unlistedProblems problems beyond the first {@value #MAX_PROBLEMS}, counted only
     */
    public ParseResult {
        events = Checks.immutableList(events, "events");
        problems = Checks.immutableList(problems, "problems");
        if (unlistedProblems < 0) {
            throw new IllegalArgumentException("unlistedProblems must not be negative");
        }
    }

    /**
     * Whether everything in the input was read.
     *
     * @return true when there were no problems
     */
    public boolean isComplete() {
        return problems.isEmpty() && unlistedProblems == 0;
    }
}
