package org.calsdk.testkit;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The TLS material of a fake served over HTTPS ({@link FakeServer.Builder#https()}): a self-signed
 * certificate for {@code localhost} and {@code 127.0.0.1} generated when the fake is built (okhttp-tls
 * {@link HeldCertificate}), and what a client needs to trust it. Nothing is written to disk.
 *
 * <pre>{@code
 * FakeServer<S> server = FakeServer.builder(state).https().route(...).build().start();
 * OkHttpClient client = server.tls().orElseThrow().trust(new OkHttpClient.Builder()).build();
 * // or: SSLContext ctx = server.tls().orElseThrow().clientSslContext();  KeyStore ts = ...trustStore();
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeTls {
    private final HeldCertificate certificate;
    private final HandshakeCertificates server;
    private final HandshakeCertificates client;

    private FakeTls(HeldCertificate certificate) {
        this.certificate = certificate;
        this.server =
                new HandshakeCertificates.Builder().heldCertificate(certificate).build();
        this.client = new HandshakeCertificates.Builder()
                .addTrustedCertificate(certificate.certificate())
                .build();
    }

    /**
     * Generates a fresh self-signed certificate (ECDSA P-256, valid for a day).
     *
     * @return the certificate (for {@code localhost} and 127.0.0.1) and its key, in memory only
     */
    public static FakeTls generate() {
        return new FakeTls(new HeldCertificate.Builder()
                .commonName("calsdk fake")
                .addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1")
                .duration(1, java.util.concurrent.TimeUnit.DAYS)
                .build());
    }

    /**
     * The server side (for the fake's socket).
     *
     * @return a factory for the fake's listening sockets
     */
    public SSLSocketFactory serverSocketFactory() {
        return server.sslSocketFactory();
    }

    /**
     * A trust manager that trusts the fake's certificate (and nothing else).
     *
     * @return the trust manager
     */
    public X509TrustManager trustManager() {
        return client.trustManager();
    }

    /**
     * A client socket factory that trusts the fake's certificate.
     *
     * @return the factory, for clients such as OkHttp (with {@link #trustManager()})
     */
    public SSLSocketFactory clientSocketFactory() {
        return client.sslSocketFactory();
    }

    /**
     * A client {@link SSLContext} that trusts the fake's certificate.
     *
     * @return an initialized TLS context
     */
    public SSLContext clientSslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {trustManager()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS on this JVM", e);
        }
    }

    /**
     * A trust store (PKCS12, in memory, no password) holding the fake's certificate.
     *
     * @return the key store, holding only this certificate
     */
    public KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("calsdk-fake", certificate.certificate());
            return ks;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    /**
     * The certificate in PEM form (for tools such as curl {@code --cacert}).
     *
     * @return the PEM text, {@code -----BEGIN CERTIFICATE-----} to {@code -----END CERTIFICATE-----}
     */
    public String certificatePem() {
        return certificate.certificatePem();
    }

    /**
     * {@code builder} set to trust the fake's certificate.
     *
     * @param builder the client builder to change
     * @return {@code builder}, trusting only this certificate
     */
    public OkHttpClient.Builder trust(OkHttpClient.Builder builder) {
        return builder.sslSocketFactory(clientSocketFactory(), trustManager());
    }

    @Override
    public String toString() {
        return "FakeTls[" + certificate.certificate().getSubjectX500Principal().getName() + "]";
    }
}
