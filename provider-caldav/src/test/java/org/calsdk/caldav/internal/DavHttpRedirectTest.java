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

    private static DavHttp http(Script s, Map<String, String> dns) {
        Dns resolver = host -> {
            String ip = dns.get(host);
            if (ip == null) {
                throw new java.net.UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(ip));
        };
        return new DavHttp(s, new NetworkPolicy(false, resolver, CTX), CTX);
    }

    private static Request propfind(String url) {
        return DavRequests.propfind(HttpUrl.get(url), 0, DavRequests.PRINCIPAL_PROPS);
    }

    @Test
    void followsPartitionRedirectsKeepingMethodAndCredentials() {
        Script s = new Script(Map.of("https://caldav.icloud.test/", "https://p42-caldav.icloud.test/1234/principal/"));
        DavResponse r = http(s, Map.of("caldav.icloud.test", "17.1.1.1", "p42-caldav.icloud.test", "17.1.1.42"))
                .send("discover", propfind("https://caldav.icloud.test/"));
        assertThat(r.url().toString()).isEqualTo("https://p42-caldav.icloud.test/1234/principal/");
        assertThat(s.sent).containsExactly("PROPFIND https://caldav.icloud.test/ +auth",
                "PROPFIND https://p42-caldav.icloud.test/1234/principal/ +auth");
    }

    @Test
    void neverFollowsHttpsToHttp() {
        Script s = new Script(Map.of("https://caldav.example.test/", "http://caldav.example.test/"));
        assertThatThrownBy(() -> http(s, Map.of("caldav.example.test", "17.1.1.1"))
                .send("discover", propfind("https://caldav.example.test/")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("HTTPS to plain HTTP");
        assertThat(s.sent).hasSize(1);
    }

    @Test
    void neverFollowsIntoThePrivateNetwork() {
        for (String target : List.of("https://169.254.169.254/latest/", "https://127.0.0.1:8080/", "https://[::1]/",
                "https://intranet.example.test/")) {
            Script s = new Script(Map.of("https://caldav.example.test/", target));
            assertThatThrownBy(() -> http(s, Map.of("caldav.example.test", "17.1.1.1", "intranet.example.test", "10.0.0.7"))
                    .send("discover", propfind("https://caldav.example.test/")))
                    .as(target).isInstanceOf(PermissionDeniedException.class);
            assertThat(s.sent).as(target).hasSize(1);
        }
    }

    @Test
    void credentialsDoNotFollowToAnotherDomain() {
        Script s = new Script(Map.of("https://caldav.example.test/", "https://elsewhere.other.test/dav/"));
        http(s, Map.of("caldav.example.test", "17.1.1.1", "elsewhere.other.test", "17.2.2.2"))
                .send("discover", propfind("https://caldav.example.test/"));
        assertThat(s.sent).containsExactly("PROPFIND https://caldav.example.test/ +auth",
                "PROPFIND https://elsewhere.other.test/dav/");
    }

    @Test
    void redirectLoopsEnd() {
        Script s = new Script(Map.of("https://a.example.test/", "https://a.example.test/x",
                "https://a.example.test/x", "https://a.example.test/"));
        assertThatThrownBy(() -> http(s, Map.of("a.example.test", "17.1.1.1")).send("discover", propfind("https://a.example.test/")))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("redirects");
        assertThat(s.sent).hasSize(DavHttp.MAX_REDIRECTS + 1);
    }

    @Test
    void credentialsNeverGoOverPlainHttpToAPublicHost() {
        Script s = new Script(Map.of());
        assertThatThrownBy(() -> http(s, Map.of("caldav.example.test", "17.1.1.1"))
                .send("discover", propfind("http://caldav.example.test/")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("plain HTTP");
        assertThat(s.sent).isEmpty();
    }
}
