package org.calsdk.graph.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.errors.InvalidInputException;

/**
 * The client assertion of certificate credentials (RFC 7523, as the Microsoft identity platform takes it):
 * a JWT signed PS256 by the certificate's RSA private key with nimbus-jose-jwt, its header naming the
 * certificate by {@code x5t#S256} (the SHA-256 thumbprint of the certificate's DER encoding), its claims
 * {@code aud} (the token endpoint), {@code iss} and {@code sub} (the client id), a fresh {@code jti}, and
 * a lifetime of {@link #LIFETIME}. The key is parsed once; it never appears in a message or in
 * {@link #toString()}.
 */
public final class CertificateAssertion {
    /** How long an assertion is valid. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final RSASSASigner signer;
    private final Base64URL thumbprint;
    private final String subject;

    public CertificateAssertion(ClientCredentials.Certificate certificate, String clientId) {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(
                            certificate.certificatePem().getBytes(StandardCharsets.US_ASCII)));
            thumbprint = Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException(
                    "certificate",
                    "the certificate is not a readable X.509 certificate ("
                            + e.getClass().getSimpleName() + ")");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(
                            pkcs8(certificate.privateKeyPem().reveal())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidInputException(
                    "certificate",
                    "the private key is not an unencrypted PKCS#8 RSA key " + "(-----BEGIN PRIVATE KEY-----)");
        }
        if (!(key instanceof RSAPrivateKey rsa)
                || !cert.getPublicKey().getAlgorithm().equals("RSA")) {
            throw new InvalidInputException("certificate", "the certificate and its key must be RSA");
        }
        this.signer = new RSASSASigner(rsa);
        this.subject = clientId;
    }

    /** A fresh assertion for the token endpoint {@code audience}, valid from {@code now}. */
    public String sign(String audience, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(audience)
                .issuer(subject)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .notBeforeTime(Date.from(now))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.PS256)
                        .x509CertSHA256Thumbprint(thumbprint)
                        .build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new InvalidInputException(
                    "certificate",
                    "the client assertion could not be signed with the " + "certificate's key ("
                            + e.getClass().getSimpleName() + ")");
        }
        return jwt.serialize();
    }

    /** The DER bytes of a PEM {@code PRIVATE KEY} block. */
    private static byte[] pkcs8(String pem) {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no PKCS#8 block");
        }
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end)
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    /** The certificate's thumbprint only. */
    @Override
    public String toString() {
        return "CertificateAssertion[x5t#S256=" + thumbprint + "]";
    }
}
