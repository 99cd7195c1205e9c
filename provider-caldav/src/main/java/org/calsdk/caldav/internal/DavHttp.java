package org.calsdk.caldav.internal;

import java.util.Locale;

import okhttp3.HttpUrl;
import okhttp3.Request;

import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.PermissionDeniedException;

/**
 * Sends CalDAV requests and follows redirects by hand, safely: at most {@value #MAX_REDIRECTS} hops,
 * never from HTTPS to HTTP, every target checked by the {@link NetworkPolicy} (resolved addresses, so a
 * redirect cannot lead into the host's own network), and credentials sent on only to the same host or,
 * over HTTPS, to a sibling host of the same domain (iCloud's {@code caldav.icloud.com} →
 * {@code p42-caldav.icloud.com}). Credentials go over plain HTTP only when private networks are allowed
 * (development and intranet servers); a public server must use HTTPS.
 */
public final class DavHttp {
    static final int MAX_REDIRECTS = 5;

    private final DavExchange exchange;
    private final NetworkPolicy policy;
    private final ErrorContext ctx;

    public DavHttp(DavExchange exchange, NetworkPolicy policy, ErrorContext ctx) {
        this.exchange = exchange;
        this.policy = policy;
        this.ctx = ctx;
    }

    public ErrorContext context() {
        return ctx;
    }

    /** Sends {@code request}, following redirects; the answer's {@link DavResponse#url()} says where it ended. */
    public DavResponse send(String operation, Request request) {
        HttpUrl origin = request.url();
        policy.check(origin);
        Request current = request;
        boolean authorize = true;
        for (int hop = 0; ; hop++) {
            if (authorize && !current.url().isHttps() && !policy.allowsPrivateNetwork()) {
                throw new PermissionDeniedException("refusing to send the credentials over plain HTTP to "
                        + current.url().host() + "; use an https:// URL (plain HTTP is allowed only together with "
                        + "allowPrivateNetwork=true, for servers inside your own network)", ctx);
            }
            DavResponse r = exchange.execute(current, operation, authorize);
            if (!r.isRedirect()) {
                return r;
            }
            if (hop >= MAX_REDIRECTS) {
                throw new MalformedDataException("more than " + MAX_REDIRECTS + " redirects from " + origin.host()
                        + "; giving up", ctx.withStatusCode(r.status()), null);
            }
            String location = r.header("Location");
            HttpUrl target = location == null ? null : current.url().resolve(location);
            if (target == null) {
                throw new MalformedDataException("redirect " + r.status() + " without a usable Location",
                        ctx.withStatusCode(r.status()), null);
            }
            if (current.url().isHttps() && !target.isHttps()) {
                throw new PermissionDeniedException("refusing a redirect from HTTPS to plain HTTP (" + target.host()
                        + "): it would expose the credentials", ctx.withStatusCode(r.status()));
            }
            policy.check(target);
            authorize = authorize && mayCarryCredentials(current.url(), target);
            Request.Builder next = current.newBuilder().url(target);
            if (r.status() == 303 && !current.method().equals("GET") && !current.method().equals("HEAD")) {
                next.method("GET", null);
            }
            current = next.build();
        }
    }

    /** Same host (any port), or both HTTPS in the same registrable-looking domain (last two labels). */
    static boolean mayCarryCredentials(HttpUrl from, HttpUrl to) {
        if (from.host().equalsIgnoreCase(to.host())) {
            return from.isHttps() == to.isHttps() || to.isHttps();
        }
        if (!from.isHttps() || !to.isHttps()) {
            return false;
        }
        String a = site(from.host());
        return a != null && a.equals(site(to.host()));
    }

    private static String site(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.indexOf(':') >= 0 || h.matches("[0-9.]+")) {
            return null; // IP literals have no domain
        }
        String[] labels = h.split("\\.");
        if (labels.length < 2) {
            return null;
        }
        return labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
