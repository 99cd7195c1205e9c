package org.calsdk.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import okhttp3.Request;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;

/**
 * One logical HTTP call for {@link HttpTransport#execute(HttpCall)}: the OkHttp request plus what the
 * transport needs to retry, limit, authorize and account for it. Immutable.
 *
 * <p>Whether the call is idempotent (and so may be retried after the request may have reached the
 * server) defaults from the method: GET, HEAD, PUT, DELETE, OPTIONS, PROPFIND and REPORT are; POST,
 * PATCH, MKCALENDAR and others are not, unless the request is conditional ({@code If-Match}, or
 * {@code If-None-Match: *}), which makes a replay fail instead of acting twice.
 *
 * <pre>{@code
 * HttpCall call = HttpCall.builder(new Request.Builder().url(url).method("PROPFIND", body).build())
 *     .operation("propfind")
 *     .mailbox(mailbox)
 *     .authorizer(Authorizer.basic(credentials))
 *     .build();
 * HttpResponse r = transport.execute(call);
 * }</pre>
 *
 * @since 0.1
 */
public final class HttpCall {
    private static final Set<String> IDEMPOTENT_METHODS =
            Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PROPFIND", "REPORT");

    private final Request request;
    private final String operation;
    private final Mailbox mailbox;
    private final boolean idempotent;
    private final Authorizer authorizer;
    private final Duration timeout;
    private final ResponseClassifier classifier;

    private HttpCall(Builder b) {
        this.request = b.request;
        this.operation = b.operation;
        this.mailbox = b.mailbox;
        this.idempotent = b.idempotent != null ? b.idempotent : defaultIdempotent(b.request);
        this.authorizer = b.authorizer;
        this.timeout = b.timeout;
        this.classifier = b.classifier;
    }

    /**
     * A builder for a call that sends {@code request}.
     *
     * @param request the OkHttp request, not null
     * @return a builder whose operation is the method in lower case, idempotency derived from the request, no mailbox
     *     and no authorizer
     */
    public static Builder builder(Request request) {
        return new Builder(request);
    }

    /**
     * A builder starting from this call.
     *
     * @return a builder holding this call's settings
     */
    public Builder toBuilder() {
        Builder b = new Builder(request);
        b.operation = operation;
        b.mailbox = mailbox;
        b.idempotent = idempotent;
        b.authorizer = authorizer;
        b.timeout = timeout;
        b.classifier = classifier;
        return b;
    }

    /**
     * Whether a request is idempotent by its method or its conditional headers.
     *
     * @param request the request
     * @return true for GET, HEAD, PUT, DELETE, OPTIONS, PROPFIND and REPORT, and for a request with
     *     {@code If-Match} or {@code If-None-Match: *}
     */
    public static boolean defaultIdempotent(Request request) {
        Checks.notNull(request, "request");
        if (IDEMPOTENT_METHODS.contains(request.method().toUpperCase(Locale.ROOT))) {
            return true;
        }
        String ifNoneMatch = request.header("If-None-Match");
        return request.header("If-Match") != null
                || (ifNoneMatch != null && ifNoneMatch.trim().equals("*"));
    }

    /**
     * The request, before authorization.
     *
     * @return the request as given to the builder
     */
    public Request request() {
        return request;
    }

    /**
     * The operation name used for accounting and logs (defaults to the method in lower case).
     *
     * @return the operation name, never blank
     */
    public String operation() {
        return operation;
    }

    /**
     * The mailbox the call acts for, or null (then only the per-host limit applies).
     *
     * @return the mailbox, or null
     */
    public Mailbox mailbox() {
        return mailbox;
    }

    /**
     * Whether the call may be retried after the request may have reached the server.
     *
     * @return true when a retry after a possibly delivered attempt is safe
     */
    public boolean idempotent() {
        return idempotent;
    }

    /**
     * Who adds credentials to the request.
     *
     * @return the authorizer, {@link Authorizer#none()} by default
     */
    public Authorizer authorizer() {
        return authorizer;
    }

    /**
     * The overall deadline of this call across all its attempts and the pauses between them, when it
     * differs from the transport's {@link HttpTransport.Builder#timeout(Duration) timeout}.
     *
     * @return the call's own deadline, or empty to use the transport's
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Reads what a response means from its body; default {@link ResponseClassifier#byStatus()}.
     *
     * @return the classifier
     */
    public ResponseClassifier classifier() {
        return classifier;
    }

    /** Method, redacted URL, operation and mailbox; never headers or secrets. */
    @Override
    public String toString() {
        return "HttpCall[" + request.method() + " " + Redaction.url(request.url()) + ", operation=" + operation
                + (mailbox == null ? "" : ", mailbox=" + mailbox) + ", idempotent=" + idempotent + "]";
    }

    /** Builds an {@link HttpCall}. */
    public static final class Builder {
        private final Request request;
        private String operation;
        private Mailbox mailbox;
        private Boolean idempotent;
        private Authorizer authorizer = Authorizer.none();
        private Duration timeout;
        private ResponseClassifier classifier = ResponseClassifier.byStatus();

        private Builder(Request request) {
            this.request = Checks.notNull(request, "request");
            this.operation = request.method().toLowerCase(Locale.ROOT);
        }

        /**
         * A short name of what the call does ({@code "propfind"}, {@code "freebusy"}), for accounting.
         *
         * @param operation the name, not blank
         * @return this builder
         */
        public Builder operation(String operation) {
            this.operation = Checks.notBlank(operation, "operation");
            return this;
        }

        /**
         * The mailbox the call acts for (null for none).
         *
         * @param mailbox the mailbox, or null
         * @return this builder
         */
        public Builder mailbox(Mailbox mailbox) {
            this.mailbox = mailbox;
            return this;
        }

        /**
         * Overrides the idempotency derived from the method.
         *
         * @param idempotent true when the call may be retried after it may have reached the server
         * @return this builder
         */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * Who adds credentials; default {@link Authorizer#none()}.
         *
         * @param authorizer the authorizer, not null
         * @return this builder
         */
        public Builder authorizer(Authorizer authorizer) {
            this.authorizer = Checks.notNull(authorizer, "authorizer");
            return this;
        }

        /**
         * The overall deadline of the call across its attempts and retry pauses (default: the transport's
         * {@link HttpTransport.Builder#timeout(Duration) timeout}); positive, or null for the default.
         *
         * @param timeout the deadline, positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Checks.check(
                    timeout == null || (!timeout.isNegative() && !timeout.isZero()),
                    "timeout",
                    "timeout must be positive, was " + timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * How the transport reads responses beyond their status (a 403 that is a rate limit, ...).
         *
         * @param classifier the classifier, not null
         * @return this builder
         */
        public Builder classifier(ResponseClassifier classifier) {
            this.classifier = Checks.notNull(classifier, "classifier");
            return this;
        }

        /**
         * The call.
         *
         * @return the immutable call
         */
        public HttpCall build() {
            return new HttpCall(this);
        }
    }
}
