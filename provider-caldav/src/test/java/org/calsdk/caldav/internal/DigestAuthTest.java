package org.calsdk.caldav.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestAuthTest {

    /** The worked examples of RFC 7616 §3.9.1. */
    @Test
    void matchesTheRfc7616Examples() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        assertThat(DigestAuth.response(
                        "MD5",
                        "Mufasa",
                        "http-auth@example.org",
                        "Circle of Life",
                        "GET",
                        "/dir/index.html",
                        nonce,
                        "00000001",
                        cnonce,
                        true))
                .isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(DigestAuth.response(
                        "SHA-256",
                        "Mufasa",
                        "http-auth@example.org",
                        "Circle of Life",
                        "GET",
                        "/dir/index.html",
                        nonce,
                        "00000001",
                        cnonce,
                        true))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void parsesChallengesWithQuotedCommas() {
        Map<String, String> p = DigestAuth.parse(List.of(
                "Basic realm=\"x\"",
                "Digest realm=\"a, b\", qop=\"auth,auth-int\", nonce=\"n\\\"1\", algorithm=SHA-256, stale=FALSE"));
        assertThat(p)
                .containsEntry("realm", "a, b")
                .containsEntry("qop", "auth,auth-int")
                .containsEntry("nonce", "n\"1")
                .containsEntry("algorithm", "SHA-256")
                .containsEntry("stale", "FALSE");
        assertThat(DigestAuth.parse(List.of("Basic realm=\"x\""))).isNull();
    }
}
