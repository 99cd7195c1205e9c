package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.tls.HeldCertificate;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.Test;

/**
 * App-only access with a certificate: the client assertion, signed with nimbus-jose-jwt, is accepted by the
 * fake identity platform (which checks the signature with the JDK, the thumbprint, audience, issuer and
 * expiry); an unregistered certificate is refused, and an unreadable key is a clear input error.
 */
class GraphCertificateCredentialsTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    /** Made once: RSA key generation is the slow part. */
    static final HeldCertificate REGISTERED =
            new HeldCertificate.Builder().rsa2048().commonName("calsdk-app").build();

    static final HeldCertificate OTHER =
            new HeldCertificate.Builder().rsa2048().commonName("someone-else").build();

    static ConnectionConfig config(FakeGraphServer graph, HeldCertificate cert) {
        return ConnectionConfig.builder("graph")
                .setting("baseUrl", graph.baseUrl())
                .setting("authorityUrl", graph.authorityUrl())
                .credentials(ClientCredentials.withCertificate(
                        "contoso.onmicrosoft.com",
                        "app-id",
                        new ClientCredentials.Certificate(cert.certificatePem(), Secret.of(cert.privateKeyPkcs8Pem()))))
                .build();
    }

    @Test
    void aRegisteredCertificateSignsInAndAnotherIsRefused() {
        HeldCertificate registered = REGISTERED;
        HeldCertificate other = OTHER;
        try (FakeGraphServer graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .clientCertificate("app-id", registered.certificatePem())
                .appToken("seeded-app-token")
                .build()
                .start()) {
            try (CalendarConnection org = GraphProvider.builder().build().connect(config(graph, registered))) {
                assertThat(org.impersonator().actAs(ALICE).reader().calendars(ALICE))
                        .isNotEmpty();
                assertThat(graph.accounting().calls("token")).isEqualTo(1);
            }
            try (CalendarConnection org = GraphProvider.builder().build().connect(config(graph, other))) {
                assertThatThrownBy(
                                () -> org.impersonator().actAs(ALICE).reader().calendars(ALICE))
                        .isInstanceOf(ReauthorizationRequiredException.class)
                        .hasMessageContaining("certificate")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE KEY"));
            }
        }
    }

    @Test
    void anUnreadableKeyIsAnInputError() {
        HeldCertificate cert = OTHER;
        String broken = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
        try (FakeGraphServer graph =
                FakeGraphServer.builder().mailbox("alice@example.com").build().start()) {
            ConnectionConfig config = ConnectionConfig.builder("graph")
                    .setting("baseUrl", graph.baseUrl())
                    .setting("authorityUrl", graph.authorityUrl())
                    .credentials(ClientCredentials.withCertificate(
                            "contoso.onmicrosoft.com",
                            "app-id",
                            new ClientCredentials.Certificate(cert.certificatePem(), Secret.of(broken))))
                    .build();
            assertThatThrownBy(() -> GraphProvider.builder().build().connect(config))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("PKCS#8")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("bm90IGEga2V5"));
        }
    }
}
