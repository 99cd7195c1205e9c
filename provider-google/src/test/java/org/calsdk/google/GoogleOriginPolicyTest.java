package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

/** The Google provider applies the core's origin policy: a bearer token never travels in cleartext to a public host. */
class GoogleOriginPolicyTest {

    private static TokenCredentials token() {
        AccessToken t = new AccessToken(Secret.of("ya29.secret-token"), null);
        return new TokenCredentials(AccessTokenSource.fixed(t));
    }

    @Test
    void aPlainHttpBaseUrlOnAPublicHostGetsNoToken() {
        ConnectionConfig config = ConnectionConfig.builder("google")
                .setting("baseUrl", "http://calendar.example.com/")
                .setting("mailbox", "alice@example.com")
                .credentials(token())
                .build();
        // calendar.example.com resolves to a public address; the token must not go there over plain HTTP
        okhttp3.Dns publicDns =
                host -> List.of(java.net.InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}));
        try (CalendarConnection c =
                GoogleProvider.builder().dns(publicDns).build().connect(config)) {
            Mailbox alice = Mailbox.of("alice@example.com");
            TimeWindow w = TimeWindow.of(Instant.parse("2027-01-04T00:00:00Z"), Instant.parse("2027-01-05T00:00:00Z"));
            assertThatThrownBy(() -> c.freeBusy().query(FreeBusyRequest.of(List.of(alice), w)))
                    .isInstanceOf(org.calsdk.errors.PermissionDeniedException.class)
                    .hasMessageNotContaining("ya29.secret-token");
        }
    }
}
