package org.calsdk.testkit;

import java.util.Locale;
import org.calsdk.internal.Checks;
import org.calsdk.testkit.internal.RoutePattern;

/**
 * A route of a {@link FakeServer} with the options the short {@link FakeServer.Builder#route(String, String,
 * String, RouteHandler)} form lacks: matching on an operation named in the body (EWS), reading the
 * mailboxes a call is about from its body (Google freeBusy, Graph getSchedule), and the hook that writes
 * per-mailbox errors into a good answer. Immutable.
 *
 * <pre>{@code
 * FakeServer.builder(state)
 *     .route(RouteSpec.of("POST", "/EWS/Exchange.asmx", "GetUserAvailability", Ews::availability)
 *             .whenBody(OperationExtractor.soapBodyElement(), "GetUserAvailabilityRequest")
 *             .mailboxes(Ews::mailboxesOf)
 *             .mailboxErrors(Ews::injectErrors))
 * }</pre>
 *
 * @param <S> the fake's state type
 * @since 0.1
 */
public final class RouteSpec<S> {
    private final String method;
    private final RoutePattern pattern;
    private final String operation;
    private final RouteHandler<S> handler;
    private final OperationExtractor extractor;
    private final String bodyOperation;
    private final MailboxExtractor mailboxes;
    private final MailboxErrorInjector errorInjector;

    private RouteSpec(
            String method,
            RoutePattern pattern,
            String operation,
            RouteHandler<S> handler,
            OperationExtractor extractor,
            String bodyOperation,
            MailboxExtractor mailboxes,
            MailboxErrorInjector errorInjector) {
        this.method = method;
        this.pattern = pattern;
        this.operation = operation;
        this.handler = handler;
        this.extractor = extractor;
        this.bodyOperation = bodyOperation;
        this.mailboxes = mailboxes;
        this.errorInjector = errorInjector;
    }

    /**
     * A route: see {@link FakeServer.Builder#route(String, String, String, RouteHandler)} for patterns.
     *
     * @param <S> the fake's state type
     * @param method the HTTP method
     * @param pathPattern the path pattern
     * @param operation the operation name for accounting and fault rules
     * @param handler computes the answer
     * @return the route, without body matching or mailbox options
     */
    public static <S> RouteSpec<S> of(String method, String pathPattern, String operation, RouteHandler<S> handler) {
        return new RouteSpec<>(
                Checks.notBlank(method, "method").toUpperCase(Locale.ROOT),
                RoutePattern.compile(pathPattern),
                Checks.notBlank(operation, "operation"),
                Checks.notNull(handler, "handler"),
                null,
                null,
                null,
                null);
    }

    /**
     * Matches only requests whose body names {@code bodyOperation} as {@code extractor} reads it.
     *
     * @param extractor reads the operation from the body
     * @param bodyOperation the name the body must give
     * @return a copy with the condition
     */
    public RouteSpec<S> whenBody(OperationExtractor extractor, String bodyOperation) {
        return new RouteSpec<>(
                method,
                pattern,
                operation,
                handler,
                Checks.notNull(extractor, "extractor"),
                Checks.notBlank(bodyOperation, "bodyOperation"),
                mailboxes,
                errorInjector);
    }

    /**
     * Reads the mailboxes of a call from its body (instead of the server's mailbox resolver).
     *
     * @param extractor reads the mailbox addresses
     * @return a copy with the extractor
     */
    public RouteSpec<S> mailboxes(MailboxExtractor extractor) {
        return new RouteSpec<>(
                method,
                pattern,
                operation,
                handler,
                this.extractor,
                bodyOperation,
                Checks.notNull(extractor, "extractor"),
                errorInjector);
    }

    /**
     * Writes injected per-mailbox errors ({@link Fault#mailboxError}) into the handler's good answer.
     *
     * @param injector writes per-mailbox errors into an answer
     * @return a copy with the injector
     */
    public RouteSpec<S> mailboxErrors(MailboxErrorInjector injector) {
        return new RouteSpec<>(
                method,
                pattern,
                operation,
                handler,
                extractor,
                bodyOperation,
                mailboxes,
                Checks.notNull(injector, "injector"));
    }

    /**
     * The HTTP method this route answers.
     *
     * @return the method, upper case
     */
    String method() {
        return method;
    }

    /**
     * The path pattern as written.
     *
     * @return the pattern text
     */
    String pathPattern() {
        return pattern.toString();
    }

    /**
     * The operation name calls of this route are counted and matched by.
     *
     * @return the name
     */
    String operation() {
        return operation;
    }

    /**
     * For the server.
     *
     * @return the parsed path pattern
     */
    RoutePattern pattern() {
        return pattern;
    }

    /**
     * For the server.
     *
     * @return the handler
     */
    RouteHandler<S> handler() {
        return handler;
    }

    /**
     * For the server.
     *
     * @return the body operation extractor, or null when the route does not match on the body
     */
    OperationExtractor extractor() {
        return extractor;
    }

    /**
     * For the server.
     *
     * @return the operation the body must name, or null
     */
    String bodyOperation() {
        return bodyOperation;
    }

    /**
     * For the server.
     *
     * @return the mailbox extractor, or null (the server's resolver applies)
     */
    MailboxExtractor mailboxExtractor() {
        return mailboxes;
    }

    /**
     * For the server.
     *
     * @return the per-mailbox error writer, or null
     */
    MailboxErrorInjector errorInjector() {
        return errorInjector;
    }

    @Override
    public String toString() {
        return method + " " + pattern + (bodyOperation == null ? "" : " [" + bodyOperation + "]") + " -> " + operation;
    }
}
