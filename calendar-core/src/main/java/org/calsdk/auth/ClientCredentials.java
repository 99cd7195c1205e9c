package org.calsdk.auth;

import org.calsdk.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * An application's own identity in a tenant: a client id plus either a client secret or a certificate
 * (OAuth 2 client credentials grant, as Microsoft Graph's application permissions use; the certificate
 * signs a client assertion, RFC 7523). Exactly one of {@code clientSecret} and {@code certificate} is set.
 *
 * <pre>{@code
 * Credentials c = ClientCredentials.withSecret("contoso.onmicrosoft.com", clientId, Secret.of(secret));
 * }</pre>
 *
 * @param tenant       the tenant (directory) id or domain the application is registered in
 * @param clientId     the application (client) id
 * @param clientSecret the client secret, or null when a certificate is used
 * @param certificate  the certificate and its private key, or null when a secret is used
 * @since 0.2
 */
public record ClientCredentials(
        String tenant,
        String clientId,
        @Nullable Secret clientSecret,
        @Nullable Certificate certificate) implements Credentials {

    /**
     * A certificate registered with the application, and its private key.
     *
     * @param certificatePem the X.509 certificate, PEM ({@code -----BEGIN CERTIFICATE-----}); public
     * @param privateKeyPem  its PKCS#8 private key, PEM ({@code -----BEGIN PRIVATE KEY-----}); never printed
     */
    public record Certificate(String certificatePem, Secret privateKeyPem) {
        /**
         * Checks the components as the description above says, and copies any list, map or array given.
         *
         * @param certificatePem the X.509 certificate, PEM ({@code -----BEGIN CERTIFICATE-----}); public
         * @param privateKeyPem its PKCS#8 private key, PEM ({@code -----BEGIN PRIVATE KEY-----}); never printed
         */
        public Certificate {
            Checks.notNull(certificatePem, "certificatePem");
            Checks.notNull(privateKeyPem, "privateKeyPem");
            Checks.check(
                    certificatePem.contains("-----BEGIN CERTIFICATE-----"),
                    "certificatePem",
                    "the certificate is not PEM (no -----BEGIN CERTIFICATE----- line)");
            Checks.check(
                    privateKeyPem.reveal().contains("PRIVATE KEY-----"),
                    "privateKeyPem",
                    "the private key is not PEM (no -----BEGIN PRIVATE KEY----- line)");
        }
    }

    /**
     * Checks the components as the description above says, and copies any list, map or array given.
     *
     * @param tenant the tenant (directory) id or domain the application is registered in
     * @param clientId the application (client) id
     * @param clientSecret the client secret, or null when a certificate is used
     * @param certificate the certificate and its private key, or null when a secret is used
     */
    public ClientCredentials {
        Checks.notBlank(tenant, "tenant");
        Checks.notBlank(clientId, "clientId");
        Checks.check(
                (clientSecret == null) != (certificate == null),
                "clientSecret",
                "give either a client secret or a certificate, not both and not neither");
        Checks.check(clientSecret == null || !clientSecret.isEmpty(), "clientSecret", "the client secret is empty");
    }

    /**
     * An application that proves itself with a client secret.
     *
     * @param tenant the tenant id or domain
     * @param clientId the application (client) id
     * @param clientSecret the client secret
     * @return the credentials
     */
    public static ClientCredentials withSecret(String tenant, String clientId, Secret clientSecret) {
        return new ClientCredentials(tenant, clientId, Checks.notNull(clientSecret, "clientSecret"), null);
    }

    /**
     * An application that proves itself with a certificate.
     *
     * @param tenant the tenant id or domain
     * @param clientId the application (client) id
     * @param certificate the certificate and its private key
     * @return the credentials
     */
    public static ClientCredentials withCertificate(String tenant, String clientId, Certificate certificate) {
        return new ClientCredentials(tenant, clientId, null, Checks.notNull(certificate, "certificate"));
    }

    @Override
    public String kind() {
        return certificate != null ? "client-certificate" : "client-secret";
    }
}
