package org.calsdk.testkit.oauth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A service account's RSA key pair (2048 bits, generated in memory) for tests of the JWT bearer grant
 * (RFC 7523, Google domain-wide delegation): register its public key with
 * {@link FakeOAuthServer.Builder#serviceAccount}, and sign assertions with it, or export it as PEM for a
 * vendor library that reads a key file. {@link #toString()} never shows the private key.
 *
 * @since 0.1
 */
public final class ServiceAccountKey {
    private final String clientEmail;
    private final String keyId;
    private final KeyPair keys;

    private ServiceAccountKey(String clientEmail, String keyId, KeyPair keys) {
        this.clientEmail = clientEmail;
        this.keyId = keyId;
        this.keys = keys;
    }

    /**
     * A fresh key for the service account {@code clientEmail}.
     *
     * @param clientEmail the service account's address
     * @return a new 2048-bit RSA key pair with a random key id
     */
    public static ServiceAccountKey generate(String clientEmail) {
        Objects.requireNonNull(clientEmail, "clientEmail == null");
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new ServiceAccountKey(
                    clientEmail, java.util.UUID.randomUUID().toString().replace("-", ""), g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA on this JVM", e);
        }
    }

    /**
     * The service account's address (the assertions' {@code iss}).
     *
     * @return the address
     */
    public String clientEmail() {
        return clientEmail;
    }

    /**
     * The key id ({@code kid}, Google's {@code private_key_id}).
     *
     * @return the key id
     */
    public String keyId() {
        return keyId;
    }

    /**
     * The public key, for the fake that checks the assertions.
     *
     * @return the public key
     */
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /**
     * The private key (PKCS#8), for a library that signs its own assertions.
     *
     * @return the private key
     */
    public PrivateKey privateKey() {
        return keys.getPrivate();
    }

    /**
     * The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as in a Google key file.
     *
     * @return the PEM text
     */
    public String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * A signed RS256 JWT assertion: {@code iss} this account, {@code aud} the token URL, {@code sub} the
     * user to act as (or null), {@code scope}, {@code iat = now}, {@code exp = now + 1 h}.
     *
     * @param audience the token URL
     * @param subject the user to act as, or null
     * @param scope the scopes, space separated
     * @param now the issue time
     * @return the compact JWT
     */
    public String signAssertion(String audience, String subject, String scope, Instant now) {
        ObjectNode header = JsonNodeFactory.instance
                .objectNode()
                .put("alg", "RS256")
                .put("typ", "JWT")
                .put("kid", keyId);
        ObjectNode claims = JsonNodeFactory.instance
                .objectNode()
                .put("iss", clientEmail)
                .put("aud", Objects.requireNonNull(audience, "audience == null"))
                .put("iat", now.getEpochSecond())
                .put("exp", now.getEpochSecond() + 3600);
        if (subject != null) {
            claims.put("sub", subject);
        }
        if (scope != null) {
            claims.put("scope", scope);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[" + clientEmail + ", kid=" + keyId + "]";
    }
}
