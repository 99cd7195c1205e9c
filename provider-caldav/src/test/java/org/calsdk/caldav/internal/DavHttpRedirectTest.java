package org.calsdk.caldav.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.http.OriginPolicy;
import org.junit.jupiter.api.Test;

/** Redirect handling with a scripted exchange: no sockets, public-looking names resolved by a fake DNS. */
class DavHttpRedirectTest {
    private static final ErrorContext CTX = ErrorContext.of("caldav");

    /** Answers each URL with a scripted redirect (or 207), remembering what was sent with credentials. */
    private static final class Script implements DavExchange {
        final Map<String, String> redirects;
        final List<String> sent = new ArrayList<>();

        Script(Map<String, String> redirects) {
            this.redirects = redirects;
        }

        @Override
        public DavResponse execute(Request request, String operation, boolean authorize) {
            sent.add(request.method() + " " + request.url() + (authorize ? " +auth" : ""));
            String to = redirects.get(request.url().toString());
            if (to != null) {
                return new DavResponse(301, Headers.of("Location", to), new byte[0], request.url(), 1);
            }
            return new DavResponse(207, Headers.of(), new byte[0], request.url(), 1);
        }

        @Override
        public void close() {}
    }

    private static DavHttp http(Script s, Map<String, String> dns, String configured) {
        Dns resolver = host -> {
            String ip = dns.get(host);
            if (ip == null) {
                throw new java.net.UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(ip));
        };
        OriginPolicy policy = OriginPolicy.builder(HttpUrl.get(configured))
                .allowSiblingHosts(true)
                .dns(resolver)
                .build();
        return new DavHttp(s, policy, true, CTX);
    }

    private static DavHttp http(Script s, Map<String, String> dns) {
        return http(s, dns, "https://caldav.example.test/");
    }

    private static Request propfind(String url) {
        return DavRequests.propfind(HttpUrl.get(url), 0, DavRequests.PRINCIPAL_PROPS);
    }

    @Test
    void followsPartitionRedirectsKeepingMethodAndCredentials() {
        Script s = new Script(Map.of("https://caldav.icloud.test/", "https://p42-caldav.icloud.test/1234/principal/"));
        DavResponse r = http(
                        s,
                        Map.of("caldav.icloud.test", "17.1.1.1", "p42-caldav.icloud.test", "17.1.1.42"),
                        "https://caldav.icloud.test/")
                .send("discover", propfind("https://caldav.icloud.test/"));
        assertThat(r.url().toString()).isEqualTo("https://p42-caldav.icloud.test/1234/principal/");
        assertThat(s.sent)
                .containsExactly(
                        "PROPFIND https://caldav.icloud.test/ +auth",
                        "PROPFIND https://p42-caldav.icloud.test/1234/principal/ +auth");
    }

    @Test
    void neverFollowsHttpsToHttp() {
        Script s = new Script(Map.of("https://caldav.example.test/", "http://caldav.example.test/"));
        assertThatThrownBy(() -> http(s, Map.of("caldav.example.test", "17.1.1.1"))
                        .send("discover", propfind("https://caldav.example.test/")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("HTTPS to plain HTTP");
        assertThat(s.sent).hasSize(1);
    }

    @Test
    void neverFollowsIntoThePrivateNetwork() {
        // (a sibling host resolving into the private network is refused by the transport underneath:
        // HttpTransportOriginPolicyTest, OriginPolicyTest)
        for (String target : List.of("https://169.254.169.254/latest/", "https://127.0.0.1:8080/", "https://[::1]/")) {
            Script s = new Script(Map.of("https://caldav.example.test/", target));
            assertThatThrownBy(() -> http(
                                    s, Map.of("caldav.example.test", "17.1.1.1", "intranet.example.test", "10.0.0.7"))
                            .send("discover", propfind("https://caldav.example.test/")))
                    .as(target)
                    .isInstanceOf(PermissionDeniedException.class);
            assertThat(s.sent).as(target).hasSize(1);
        }
    }

    /** Issue 10 §2: a redirect to another origin is refused before anything is sent there. */
    @Test
    void aRedirectOutsideTheConfiguredOriginIsRefusedWithCredentials() {
        for (String target : List.of(
                "https://elsewhere.other.test/dav/",
                "https://caldav.example.test:8443/dav/",
                "https://p1.example.test:8443/",
                "https://mallory.github.io/")) {
            Script s = new Script(Map.of("https://caldav.example.test/", target));
            assertThatThrownBy(() -> http(s, Map.of("caldav.example.test", "17.1.1.1"))
                            .send("discover", propfind("https://caldav.example.test/")))
                    .as(target)
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("outside the configured origin");
            assertThat(s.sent).as(target).containsExactly("PROPFIND https://caldav.example.test/ +auth");
        }
    }

    @Test
    void withoutCredentialsARedirectMayLeaveTheOrigin() {
        Script s = new Script(Map.of("https://caldav.example.test/", "https://elsewhere.other.test/dav/"));
        OriginPolicy policy = OriginPolicy.builder(HttpUrl.get("https://caldav.example.test/"))
                .build();
        new DavHttp(s, policy, false, CTX).send("discover", propfind("https://caldav.example.test/"));
        assertThat(s.sent)
                .containsExactly("PROPFIND https://caldav.example.test/", "PROPFIND https://elsewhere.other.test/dav/");
    }

    /** Issue 10 §2: hrefs the server hands out are checked before they are used with credentials. */
    @Test
    void anHrefOutsideTheConfiguredOriginIsRefusedBeforeAnyRequest() {
        Script s = new Script(Map.of());
        DavHttp http = http(s, Map.of("caldav.example.test", "17.1.1.1"));
        assertThatThrownBy(() -> http.send("list-calendars", propfind("https://evil.other.test/calendars/")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("https://evil.other.test:443");
        assertThatThrownBy(() -> http.checkHref(HttpUrl.get("http://169.254.169.254/latest/"), "calendar-home-set"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("calendar-home-set");
        assertThat(s.sent).isEmpty();
    }

    @Test
    void redirectLoopsEnd() {
        Script s = new Script(Map.of(
                "https://a.example.test/",
                "https://a.example.test/x",
                "https://a.example.test/x",
                "https://a.example.test/"));
        assertThatThrownBy(() -> http(s, Map.of("a.example.test", "17.1.1.1"), "https://a.example.test/")
                        .send("discover", propfind("https://a.example.test/")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("redirects");
        assertThat(s.sent).hasSize(DavHttp.MAX_REDIRECTS + 1);
    }

    /** Issue 10 §2: the redirect limit holds for the connection in all, not per request. */
    @Test
    void theRedirectLimitCountsEveryRequestOfTheConnection() {
        Script s = new Script(Map.of("https://a.example.test/cal", "https://a.example.test/cal/"));
        DavHttp http = http(s, Map.of("a.example.test", "17.1.1.1"), "https://a.example.test/");
        for (int i = 0; i < DavHttp.MAX_REDIRECTS; i++) {
            assertThat(http.send("list", propfind("https://a.example.test/cal"))
                            .url()
                            .encodedPath())
                    .isEqualTo("/cal/");
        }
        assertThatThrownBy(() -> http.send("list", propfind("https://a.example.test/cal")))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("in all");
    }

    @Test
    void credentialsNeverGoOverPlainHttpToAPublicHost() {
        Script s = new Script(Map.of());
        assertThatThrownBy(() -> http(s, Map.of("caldav.example.test", "17.1.1.1"), "http://caldav.example.test/")
                        .send("discover", propfind("http://caldav.example.test/")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("plain HTTP");
        assertThat(s.sent).isEmpty();
    }
}
