package org.calsdk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.Test;

/** The credential kinds a host builds without a provider module (issue 11 item 4). */
class CoreCredentialsTest {
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEY\n-----END PRIVATE KEY-----\n";

    @Test
    void aFixedSourceHandsOutItsTokenAndNeverShowsIt() {
        AccessToken t = new AccessToken(Secret.of("ya29.do-not-print"), null);
        AccessTokenSource source = AccessTokenSource.fixed(t);
        assertThat(source.token()).isSameAs(t);
        assertThat(source.refresh(t)).isSameAs(t); // a second refusal makes the provider ask for reauthorization
        assertThat(source.toString()).doesNotContain("do-not-print");
        assertThatThrownBy(() -> AccessTokenSource.fixed(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aServiceAccountActsForTheOrganizationOrForOneUser() {
        ServiceAccountCredentials org = ServiceAccountCredentials.of(Secret.of("{\"private_key\": \"TOPSECRETKEY\"}"));
        assertThat(org.subject()).isNull();
        ServiceAccountCredentials alice = org.actingAs(Mailbox.of("alice@example.com"));
        assertThat(alice.subject()).isEqualTo(Mailbox.of("alice@example.com"));
        assertThat(alice.key()).isEqualTo(org.key());
        assertThat(alice.toString()).doesNotContain("TOPSECRETKEY").contains("alice@example.com");
        assertThatThrownBy(() -> ServiceAccountCredentials.of(Secret.of(" ")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void clientCredentialsTakeExactlyOneOfSecretAndCertificate() {
        ClientCredentials s = ClientCredentials.withSecret("contoso", "app", Secret.of("TOPSECRETKEY"));
        assertThat(s.kind()).isEqualTo("client-secret");
        assertThat(s.toString()).doesNotContain("TOPSECRETKEY");
        ClientCredentials.Certificate cert = new ClientCredentials.Certificate(CERT, Secret.of(KEY));
        ClientCredentials c = ClientCredentials.withCertificate("contoso", "app", cert);
        assertThat(c.kind()).isEqualTo("client-certificate");
        assertThat(c.toString()).doesNotContain("TOPSECRETKEY");
        assertThatThrownBy(() -> new ClientCredentials("contoso", "app", Secret.of("x"), cert))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ClientCredentials("contoso", "app", null, null))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ClientCredentials.Certificate("not pem", Secret.of(KEY)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ClientCredentials.Certificate(CERT, Secret.of("TOPSECRETKEY")))
                .isInstanceOf(InvalidInputException.class)
                .message()
                .doesNotContain("TOPSECRETKEY");
    }

    @Test
    void aRefreshTokenBuildsATokenSourceAtItsOwnOrTheProvidersEndpoint() {
        RefreshTokenCredentials own = new RefreshTokenCredentials(
                "app",
                null,
                Secret.of("TOPSECRETKEY"),
                "https://auth.example.com/token",
                Mailbox.of("bob@example.com"));
        assertThat(own.tokenSource("https://provider.example/token").build().toString())
                .contains("auth.example.com")
                .doesNotContain("TOPSECRETKEY");
        RefreshTokenCredentials bare = new RefreshTokenCredentials("app", Secret.of("cs"), Secret.of("rt"), null, null);
        assertThat(bare.tokenSource("https://provider.example/token").build().toString())
                .contains("provider.example");
        assertThatThrownBy(() -> bare.tokenSource(null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tokenEndpoint");
        assertThat(bare.toString()).doesNotContain("rt]").contains("****");
    }
}
