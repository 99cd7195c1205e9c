package org.calsdk.caldav.internal;

import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.http.OriginPolicy;

/**
 * Sends CalDAV requests and follows redirects by hand, safely. With credentials configured, every URL a
 * request goes to (the configured one, a {@code Location}, or an href the server handed out: principal,
 * home set, calendars, events) must be one the connection's {@link OriginPolicy} lets the credentials go
 * to (the configured origin, or an HTTPS host of its registrable domain on port 443, as iCloud's
 * {@code caldav.icloud.com} → {@code p42-caldav.icloud.com}); anything else is refused before a request
 * is sent there. A connection follows at most {@value #MAX_REDIRECTS} redirects in all (not per request),
 * never from HTTPS to HTTP. The transport underneath applies the same policy to addresses (private
 * networks, cloud metadata) and to plain HTTP, and checks again at connect time.
 */
public final class DavHttp {
    /** Redirects one connection follows in all, over its whole life. */
    static final int MAX_REDIRECTS = 5;

    private final DavExchange exchange;
    private final OriginPolicy policy;
    private final boolean credentials;
    private final ErrorContext ctx;
    private final AtomicInteger redirects = new AtomicInteger();

    /**
     * @param credentials whether the connection has credentials (they go with every request it may carry
     *                    them on; without them, redirects may lead anywhere the address policy allows)
     */
    public DavHttp(DavExchange exchange, OriginPolicy policy, boolean credentials, ErrorContext ctx) {
        this.exchange = exchange;
        this.policy = policy;
        this.credentials = credentials;
        this.ctx = ctx;
    }

    public ErrorContext context() {
        return ctx;
    }

    /**
     * Checks, before it is used, a URL the server handed out ({@code what} names it, for the message):
     * with credentials, it must be one they may go to.
     *
     * @throws PermissionDeniedException when it is not
     */
    public HttpUrl checkHref(HttpUrl url, String what) {
        if (credentials && !policy.mayCarryCredentials(url)) {
            throw new PermissionDeniedException(
                    "the server named a " + what + " at " + OriginPolicy.originOf(url)
                            + ", outside the configured origin " + OriginPolicy.originOf(policy.origin())
                            + "; the credentials are never sent there (configure that server's URL if it is meant to be "
                            + "used)",
                    ctx);
        }
        return url;
    }

    /** Sends {@code request}, following redirects; the answer's {@link DavResponse#url()} says where it ended. */
    public DavResponse send(String operation, Request request) {
        Request current = request;
        checkHref(current.url(), "resource for " + operation);
        while (true) {
            if (credentials && !current.url().isHttps() && !policy.allowsPrivateNetwork()) {
                throw new PermissionDeniedException(
                        "refusing to send the credentials over plain HTTP to "
                                + current.url().host()
                                + "; use an https:// URL (plain HTTP is allowed only together with "
                                + "allowPrivateNetwork=true, for servers on loopback or private addresses)",
                        ctx);
            }
            DavResponse r = exchange.execute(current, operation, credentials);
            if (!r.isRedirect()) {
                return r;
            }
            if (redirects.incrementAndGet() > MAX_REDIRECTS) {
                throw new MalformedDataException(
                        "the server at " + current.url().host() + " redirected again, but "
                                + "this connection has followed " + MAX_REDIRECTS
                                + " redirects already, the most it follows "
                                + "in all; configure the URL the server redirects to",
                        ctx.withStatusCode(r.status()),
                        null);
            }
            String location = r.header("Location");
            HttpUrl target = location == null ? null : current.url().resolve(location);
            if (target == null) {
                throw new MalformedDataException(
                        "redirect " + r.status() + " without a usable Location", ctx.withStatusCode(r.status()), null);
            }
            if (current.url().isHttps() && !target.isHttps()) {
                throw new PermissionDeniedException(
                        "refusing a redirect from HTTPS to plain HTTP (" + target.host()
                                + "): it would expose the credentials",
                        ctx.withStatusCode(r.status()));
            }
            if (credentials && !policy.mayCarryCredentials(target)) {
                throw new PermissionDeniedException(
                        "the server redirected " + operation + " to "
                                + OriginPolicy.originOf(target) + ", outside the configured origin "
                                + OriginPolicy.originOf(policy.origin()) + "; the credentials are never sent there "
                                + "(configure that server's URL if it is meant to be used)",
                        ctx.withStatusCode(r.status()));
            }
            Request.Builder next = current.newBuilder().url(target);
            if (r.status() == 303
                    && !current.method().equals("GET")
                    && !current.method().equals("HEAD")) {
                next.method("GET", null);
            }
            current = next.build();
        }
    }
}
