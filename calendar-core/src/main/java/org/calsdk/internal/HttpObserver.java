package org.calsdk.internal;

import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Connection;
import okhttp3.Handshake;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * An OkHttp network interceptor for the doctor: per host, whether the connection was encrypted (protocol,
 * earliest certificate expiry) and the latest difference between the server's {@code Date} header and
 * the doctor's clock. Keeps a few hosts only; records no URL path, header value other than Date, or body.
 * Not public API.
 */
public final class HttpObserver implements Interceptor {
    private static final int MAX_HOSTS = 16;

    /** What was seen of one host. */
    public record Host(
            String name, boolean https, String tlsVersion, Instant certificateExpiry, Duration skew, int responses) {}

    private final Clock clock;
    private final Map<String, Host> hosts = new LinkedHashMap<>();

    public HttpObserver(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response r = chain.proceed(chain.request());
        Instant now = clock.instant();
        Connection c = chain.connection();
        Handshake h = c == null ? null : c.handshake();
        String tls = null;
        Instant expiry = null;
        if (h != null) {
            tls = h.tlsVersion().javaName();
            for (Certificate cert : h.peerCertificates()) {
                if (cert instanceof X509Certificate x) {
                    Instant end = x.getNotAfter().toInstant();
                    expiry = expiry == null || end.isBefore(expiry) ? end : expiry;
                }
            }
        }
        java.util.Date date = r.headers().getDate("Date");
        Duration skew = date == null ? null : Duration.between(now, date.toInstant());
        record(chain.request().url().host(), chain.request().isHttps(), tls, expiry, skew);
        return r;
    }

    private synchronized void record(String host, boolean https, String tls, Instant expiry, Duration skew) {
        Host before = hosts.get(host);
        if (before == null && hosts.size() >= MAX_HOSTS) {
            return;
        }
        hosts.put(
                host,
                new Host(
                        host,
                        https,
                        tls != null ? tls : before == null ? null : before.tlsVersion(),
                        expiry != null ? expiry : before == null ? null : before.certificateExpiry(),
                        skew != null ? skew : before == null ? null : before.skew(),
                        before == null ? 1 : before.responses() + 1));
    }

    /** Every host seen, in the order first seen. */
    public synchronized List<Host> hosts() {
        return List.copyOf(new ArrayList<>(hosts.values()));
    }
}
