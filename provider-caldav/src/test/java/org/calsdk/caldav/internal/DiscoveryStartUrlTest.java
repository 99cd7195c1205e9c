package org.calsdk.caldav.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

class DiscoveryStartUrlTest {

    @Test
    void aUrlIsUsedAsGiven() {
        assertThat(Discovery.startUrl("https://caldav.icloud.com/", "a@icloud.com", false)
                        .toString())
                .isEqualTo("https://caldav.icloud.com/");
    }

    @Test
    void aBareDomainOrAnEmailUserNameStartsAtTheWellKnownUrl() {
        assertThat(Discovery.startUrl("fastmail.com", null, false).toString())
                .isEqualTo("https://fastmail.com/.well-known/caldav");
        assertThat(Discovery.startUrl(null, "alice@Example.org", false).toString())
                .isEqualTo("https://example.org/.well-known/caldav");
    }

    @Test
    void nothingToStartFromIsInvalidInput() {
        assertThatThrownBy(() -> Discovery.startUrl(null, "alice", false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("url");
        assertThatThrownBy(() -> Discovery.startUrl("ht!tp://x y", null, false))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Discovery.startUrl("exa mple.com", null, false))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Discovery.startUrl("ftp://example.com/", null, false))
                .isInstanceOf(InvalidInputException.class);
    }

    /** Issue 10 §4: a malformed URL with user info put the password into the error message. */
    @Test
    void aUrlWithUserInfoNeverShowsThePasswordInTheError() {
        for (String url : java.util.List.of(
                "http://u:secret@[::1/",
                "https://alice:secret@caldav.example.com/",
                "https://alice:secret@caldav.example.com:99999/",
                "alice:secret@caldav.example.com")) {
            assertThatThrownBy(() -> Discovery.startUrl(url, null, false))
                    .as(url)
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.field()).contains("url"))
                    .hasMessageNotContaining("secret");
        }
        assertThatThrownBy(() -> Discovery.startUrl("http://u:secret@[::1/", null, false))
                .hasMessageContaining("http://****@[::1/");
        assertThatThrownBy(() -> Discovery.startUrl("https://alice:secret@caldav.example.com/", null, false))
                .hasMessageContaining("credentials");
    }
}
