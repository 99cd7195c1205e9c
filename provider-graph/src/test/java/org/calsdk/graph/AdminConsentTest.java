package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import okhttp3.HttpUrl;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

class AdminConsentTest {
    @Test
    void theUrlNamesTenantClientScopeRedirectAndState() {
        HttpUrl u = AdminConsent.url("contoso.onmicrosoft.com", "app-id", "https://app.example/consent?x=1", "s-1");
        assertThat(u.toString())
                .startsWith("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent?");
        assertThat(u.queryParameter("client_id")).isEqualTo("app-id");
        assertThat(u.queryParameter("scope")).isEqualTo("https://graph.microsoft.com/.default");
        assertThat(u.queryParameter("redirect_uri")).isEqualTo("https://app.example/consent?x=1");
        assertThat(u.queryParameter("state")).isEqualTo("s-1");
    }

    @Test
    void callbacksGrantRefuseOrAreRejected() {
        AdminConsent.Result ok =
                AdminConsent.callback(Map.of("admin_consent", "True", "tenant", "t-1", "state", "s"), "s");
        assertThat(ok.granted()).isTrue();
        assertThat(ok.tenant()).isEqualTo("t-1");
        AdminConsent.Result no = AdminConsent.callback(
                Map.of(
                        "error",
                        "access_denied",
                        "error_description",
                        "AADSTS65004: User declined to consent",
                        "state",
                        "s"),
                "s");
        assertThat(no.granted()).isFalse();
        assertThat(no.error()).isEqualTo("access_denied");
        assertThatThrownBy(
                        () -> AdminConsent.callback(Map.of("admin_consent", "True", "tenant", "t", "state", "x"), "s"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("state");
    }
}
