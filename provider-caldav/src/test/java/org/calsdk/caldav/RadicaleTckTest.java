package org.calsdk.caldav;

import java.util.Optional;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.testkit.radicale.RadicaleServer;
import org.calsdk.testkit.tck.ProviderTck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole provider TCK against a real Radicale (skipped loudly when Radicale is not installed, failing
 * when {@code CI=true}). Radicale cannot inject faults, drop answers or invalidate tokens on demand: those
 * rules are skipped here and run against the fake server in {@link FakeCalDavTckTest}.
 */
class RadicaleTckTest extends ProviderTck {
    private static RadicaleServer radicale;

    @BeforeAll
    static void startRadicale() {
        radicale = RadicaleServer.builder().user("tck", "tck-pw").startOrSkip();
        radicale.createCalendar("tck", "calendar", "TCK calendar");
    }

    @AfterAll
    static void stopRadicale() {
        if (radicale != null) {
            radicale.close();
        }
    }

    @Override
    protected Optional<String> limitation(String ruleId) {
        return FakeCalDavTckTest.caldavLimitation(ruleId);
    }

    @Override
    protected CalendarConnection connect() {
        return CalendarProviders.load()
                .connect(ConnectionConfig.builder("caldav")
                        .setting("url", radicale.baseUrl())
                        .setting("allowPrivateNetwork", "true")
                        .setting("mailbox", "tck@example.com")
                        .credentials(PasswordCredentials.of("tck", Secret.of("tck-pw")))
                        .build());
    }
}
