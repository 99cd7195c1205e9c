package org.calsdk.http.internal;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The OkHttp client a transport sends with, chosen per URL scheme. Built on a client the host application
 * supplied, it is that client (or one derived from it) for both schemes. Built on the shared default
 * ({@link #shared()}), {@code http} URLs go through {@link SharedHttpClient#cleartext()} and the TLS client
 * is derived only when the first {@code https} URL is sent: a process that talks plain HTTP only (a local
 * server, the testkit's fakes) never loads the trust store. Derivations ({@link #map}) run at once on the
 * cleartext client, so a faulty customizer fails where it is given, and again on the TLS client when that
 * is first needed. Immutable apart from that memoized client; thread-safe.
 */
public final class ClientBase {
    private final OkHttpClient plain;
    private final Supplier<OkHttpClient> tlsMaker; // null: plain serves https too
    private volatile OkHttpClient tls;

    private ClientBase(OkHttpClient plain, Supplier<OkHttpClient> tlsMaker) {
        this.plain = plain;
        this.tlsMaker = tlsMaker;
    }

    /**
     * The host application's client, for both schemes.
     *
     * @param client the client
     * @return the base
     */
    public static ClientBase of(OkHttpClient client) {
        return new ClientBase(Objects.requireNonNull(client, "client"), null);
    }

    /**
     * The shared default: cleartext at once, TLS on the first {@code https} URL.
     *
     * @return the base
     */
    public static ClientBase shared() {
        return new ClientBase(SharedHttpClient.cleartext(), SharedHttpClient::get);
    }

    /**
     * The client for {@code url}'s scheme.
     *
     * @param url where the request goes
     * @return the client to send it with
     */
    public OkHttpClient forUrl(HttpUrl url) {
        return url.isHttps() ? tlsClient() : plain;
    }

    /**
     * A client with the settings every scheme shares (proxies, timeouts): the cleartext one.
     *
     * @return the client
     */
    public OkHttpClient settings() {
        return plain;
    }

    private OkHttpClient tlsClient() {
        if (tlsMaker == null) {
            return plain;
        }
        OkHttpClient t = tls;
        if (t == null) {
            synchronized (this) {
                t = tls;
                if (t == null) {
                    t = Objects.requireNonNull(tlsMaker.get(), "TLS client");
                    tls = t;
                }
            }
        }
        return t;
    }

    /**
     * A base whose clients are this one's, changed by {@code customizer}: applied now to the cleartext (or
     * only) client, and to the TLS client when that is first needed.
     *
     * @param customizer changes a builder and returns the builder to build (not null)
     * @return the derived base
     * @throws NullPointerException if the customizer returns null
     */
    public ClientBase map(UnaryOperator<OkHttpClient.Builder> customizer) {
        OkHttpClient p = Objects.requireNonNull(customizer.apply(plain.newBuilder()), "customizer result")
                .build();
        if (tlsMaker == null) {
            return new ClientBase(p, null);
        }
        return new ClientBase(
                p,
                () -> Objects.requireNonNull(customizer.apply(tlsClient().newBuilder()), "customizer result")
                        .build());
    }
}
