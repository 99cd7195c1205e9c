package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.calsdk.api.CalendarConnection;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NTLM against a fake that speaks only NTLM: the provider's OkHttp authenticator answers the challenge with
 * messages from Apache HttpClient 5's engine, and the fake checks their structure (Type 1, then a Type 3
 * naming the account with an NTLMv2 response).
 */
class EwsNtlmTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    FakeEwsServer ews;

    @BeforeEach
    void start() {
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox("alice@example.com")
                .ntlm("CORP")
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        ews.close();
    }

    CalendarConnection connect(String user, String auth) {
        return EwsProvider.builder()
                .build()
                .connect(ews.connectionConfig("svc")
                        .setting("impersonation", "true")
                        .setting("mailbox", ALICE.email())
                        .setting("auth", auth)
                        .credentials(PasswordCredentials.of(user, Secret.of("svc-pw")))
                        .build());
    }

    @Test
    void aDomainAccountSignsInWithNtlmV2() {
        try (CalendarConnection c = connect("CORP\\svc", "ntlm")) {
            assertThat(c.reader().calendars(ALICE)).hasSize(1);
        }
        assertThat(ews.ntlmLogins()).singleElement().satisfies(l -> {
            assertThat(l.domain()).isEqualTo("CORP");
            assertThat(l.user()).isEqualTo("svc");
            assertThat(l.ntResponseLength()).as("an NTLMv2 response").isGreaterThan(24);
        });
        // the fake keeps no connection state: bare request, Type 1, Type 3
        assertThat(ews.accounting().calls("GetFolder")).isEqualTo(3);
    }

    @Test
    void anUnknownAccountEndsWithTheRejectedCredentialsError() {
        try (CalendarConnection c = connect("CORP\\mallory", "ntlm")) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE))
                    .isInstanceOf(ReauthorizationRequiredException.class)
                    .hasMessageContaining("rejected the credentials")
                    .hasMessageNotContaining("svc-pw");
        }
        assertThat(ews.ntlmLogins()).isEmpty();
        assertThat(ews.accounting().calls("GetFolder"))
                .as("one handshake, no loop")
                .isEqualTo(3);
    }

    @Test
    void basicAgainstAnNtlmOnlyServerIsRefusedAndAnUnknownAuthSettingIsBadInput() {
        try (CalendarConnection c = connect("svc", "basic")) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(ReauthorizationRequiredException.class);
        }
        assertThatThrownBy(() -> connect("svc", "kerberos"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'auth'");
    }
}
