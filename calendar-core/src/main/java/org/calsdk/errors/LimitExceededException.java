package org.calsdk.errors;

/**
 * Reading or expanding data would exceed one of the SDK's bounds on work or memory: a VTIMEZONE with
 * more transitions than allowed, a recurrence that yields more sub-daily occurrences in one window than
 * allowed, and the like. The message and {@link #limit()} name the bound, {@link #bound()} gives its
 * value. Nothing was changed; the same input fails the same way (raise the bound where it is
 * configurable, or narrow the window).
 *
 * <pre>{@code
 * try (Stream<Occurrence> s = Recurrences.expand(event, window, zone)) {
 *     s.forEach(this::show);
 * } catch (LimitExceededException e) {
 *     log.warn("skipped {}: {} (bound {} = {})", event.uid(), e.getMessage(), e.limit(), e.bound());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public class LimitExceededException extends MalformedDataException {
    private static final long serialVersionUID = 1L;

    /** The bound's name. */
    private final String limit;
    /** The bound's value. */
    private final long bound;
    /** The message without the bound's name and value. */
    private final String detail;

    /**
     * @param limit   the name of the bound, e.g. {@code "maxSubDailyOccurrences"}
     * @param bound   its value
     * @param message what exceeded it; the bound's name and value are appended
     */
    public LimitExceededException(String limit, long bound, String message) {
        this(limit, bound, message, ErrorContext.NONE);
    }

    /**
     * A bound was reached at a provider.
     *
     * @param limit the bound's name
     * @param bound the bound's value
     * @param message what went wrong, for people (never a secret)
     * @param context provider, mailbox, status and request id
     */
    public LimitExceededException(String limit, long bound, String message, ErrorContext context) {
        this(limit, bound, message, context, null);
    }

    private LimitExceededException(String limit, long bound, String message, ErrorContext context, Throwable cause) {
        super(message + " (bound " + limit + " = " + bound + ")", context, cause);
        this.limit = limit;
        this.bound = bound;
        this.detail = message;
    }

    /**
     * The same bound, with a prefix saying where (e.g. which event) and another context.
     *
     * @param prefix  put before the message, e.g. {@code "VEVENT UID 'x': "}
     * @param context the context of the new exception
     * @return a new exception caused by this one
     */
    public LimitExceededException within(String prefix, ErrorContext context) {
        return new LimitExceededException(limit, bound, prefix + detail, context, this);
    }

    /**
     * The name of the bound that was hit.
     *
     * @return the bound's name
     */
    public String limit() {
        return limit;
    }

    /**
     * The value of the bound that was hit.
     *
     * @return the bound's value
     */
    public long bound() {
        return bound;
    }
}
