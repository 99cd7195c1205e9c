package org.calsdk.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionAndErrorsTest {
    private static final ErrorContext CTX = ErrorContext.of("google").withMailbox(Mailbox.of("a@example.com"));

    private static HttpResponse response(int status, String... headers) {
        return new HttpResponse(status, Headers.of(headers), new byte[0], 2);
    }

    @ParameterizedTest
    @CsvSource({
        "400, org.calsdk.errors.InvalidInputException, check the input",
        "401, org.calsdk.errors.ReauthorizationRequiredException, connect the account again",
        "403, org.calsdk.errors.PermissionDeniedException, grant the missing permission",
        "404, org.calsdk.errors.NotFoundException, check the id",
        "409, org.calsdk.errors.ConflictException, read it again",
        "412, org.calsdk.errors.ConflictException, read it again",
        "429, org.calsdk.errors.RateLimitedException, send fewer requests",
        "500, org.calsdk.errors.ProviderUnavailableException, try again later",
        "503, org.calsdk.errors.ProviderUnavailableException, try again later",
        "418, org.calsdk.errors.CalendarException, refused the request"
    })
    void statusesMapToTypedExceptionsWithAdvice(int status, String type, String advice) throws Exception {
        CalendarException e = HttpErrors.toException(response(status, "request-id", "rid-1"), CTX, "reading events");

        assertThat(e.getClass().getName()).isEqualTo(type);
        assertThat(e.getMessage()).startsWith("reading events failed").contains(advice);
        assertThat(e.provider()).contains("google");
        assertThat(e.mailbox()).contains(Mailbox.of("a@example.com"));
        assertThat(e.statusCode()).hasValue(status);
        assertThat(e.requestId()).contains("rid-1");
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(e.retryable()).isEqualTo(status == 429 || status >= 500);
    }

    @Test
    void aRedirectIsARefusalThatNamesOnlyTheOriginItPointedTo() {
        CalendarException e = HttpErrors.toException(
                response(302, "Location", "http://169.254.169.254:8080/latest?token=secret-in-query"), CTX, "x");
        assertThat(e).isInstanceOf(org.calsdk.errors.PermissionDeniedException.class);
        assertThat(e.getMessage())
                .contains("HTTP 302")
                .contains("http://169.254.169.254:8080")
                .doesNotContain("secret-in-query")
                .doesNotContain("latest");
        assertThat(HttpErrors.toException(response(301, "Location", "https://graph.example.com/v1.0/"), CTX, "x")
                        .getMessage())
                .contains("to https://graph.example.com,");
        assertThat(HttpErrors.toException(response(307, "Location", "/elsewhere"), CTX, "x")
                        .getMessage())
                .contains("another path on the same server");
        assertThat(HttpErrors.toException(response(304), CTX, "x").getMessage()).contains("unexpected HTTP status 304");
    }

    @Test
    void specificDetailsAreCarried() {
        RateLimitedException rl =
                (RateLimitedException) HttpErrors.toException(response(429, "Retry-After", "17"), null, "x");
        assertThat(rl.retryAfter()).contains(Duration.ofSeconds(17));
        ConflictException c = (ConflictException) HttpErrors.toException(response(412, "ETag", "\"v2\""), CTX, "x");
        assertThat(c.currentVersion()).contains("\"v2\"");
        assertThat(HttpErrors.toException(response(404, "x-ms-request-id", "ms-1"), CTX, "x")
                        .requestId())
                .contains("ms-1");
        assertThat(HttpErrors.toException(response(503, "X-Goog-Request-Id", "g-1"), CTX, "x")
                        .requestId())
                .contains("g-1");
        assertThat(HttpErrors.toException(response(410), CTX, "x")).isInstanceOf(NotFoundException.class);
        assertThat(HttpErrors.toException(response(422), CTX, "x")).isInstanceOf(InvalidInputException.class);
        assertThat(HttpErrors.toException(response(401), CTX, "x"))
                .isInstanceOf(ReauthorizationRequiredException.class);
        assertThat(HttpErrors.toException(response(403), CTX, "x")).isInstanceOf(PermissionDeniedException.class);
        assertThat(HttpErrors.toException(response(502), CTX, "x")).isInstanceOf(ProviderUnavailableException.class);
        assertThat(HttpErrors.toException(response(507), CTX, "x"))
                .isInstanceOf(org.calsdk.errors.InsufficientStorageException.class)
                .satisfies(e -> assertThat(((CalendarException) e).retryable()).isFalse());
    }

    @Test
    void urlsLoseSecretParametersAndUserInfo() {
        HttpUrl url = HttpUrl.get("https://bob:hunter2@example.com/p?token=t1&password=p1&sig=s1&refresh_token=r1"
                + "&code=c1&key=k1&Secret=x1&q=keep&syncToken=st1");

        String redacted = Redaction.url(url);

        assertThat(redacted)
                .doesNotContain("hunter2", "t1", "p1", "s1", "r1", "c1", "k1", "x1", "st1", "bob")
                .contains("q=keep", "token=****", "example.com/p");
    }

    @Test
    void headersLoseCredentialValues() {
        String h = Redaction.headers(Headers.of(
                "Authorization", "Bearer abc", "Cookie", "s=1", "Proxy-Authorization", "Basic xyz", "Depth", "1"));

        assertThat(h).doesNotContain("abc", "s=1", "xyz").contains("Depth: 1", "Authorization: ****");
    }

    /** Issue 10 §4: {@code pw=} and {@code p=} reached the trace log; the names are now a deliberate set. */
    @ParameterizedTest
    @CsvSource({
        "p",
        "P",
        "pw",
        "PW",
        "pwd",
        "pass",
        "passwd",
        "Password",
        "user_password",
        "passphrase",
        "pin",
        "otp",
        "key",
        "apiKey",
        "api-key",
        "X-API-KEY",
        "access_key",
        "sig",
        "signature",
        "X-Amz-Signature",
        "code",
        "auth_code",
        "auth",
        "token",
        "access_token",
        "id_token",
        "syncToken",
        "secret",
        "client_secret",
        "credential",
        "assertion",
        "session",
        "sessionId",
        "sid",
        "jwt",
        "dbPass",
        "userPw",
        "x-auth"
    })
    void secretishParameterNamesAreMaskedInAnyCase(String name) {
        assertThat(Redaction.isSecretParameter(name)).as(name).isTrue();
        String redacted = Redaction.url(HttpUrl.get("https://example.com/x?" + name + "=VALUE-1&q=keep"));
        assertThat(redacted).doesNotContain("VALUE-1").contains("q=keep");
    }

    @ParameterizedTest
    @CsvSource({"q", "page", "pageSize", "start", "end", "timeMin", "calendarId", "depth", "format", "lang", "page_no"})
    void ordinaryParameterNamesStayReadable(String name) {
        assertThat(Redaction.isSecretParameter(name)).as(name).isFalse();
    }

    @Test
    void secretishHeadersAreMasked() {
        for (String h : java.util.List.of(
                "Authorization",
                "proxy-authorization",
                "Cookie",
                "Set-Cookie",
                "X-Api-Key",
                "X-Auth-Token",
                "X-CSRF-Token",
                "Ocp-Apim-Subscription-Key",
                "X-Goog-Api-Key",
                "X-Session-Id")) {
            assertThat(Redaction.isSecretHeader(h)).as(h).isTrue();
        }
        for (String h : java.util.List.of("Depth", "Content-Type", "If-Match", "User-Agent", "Accept")) {
            assertThat(Redaction.isSecretHeader(h)).as(h).isFalse();
        }
    }

    /** Issue 10 §4: a malformed URL with user info put the password into the error message. */
    @Test
    void stringsThatDoNotParseAsUrlsLoseUserInfoAndSecretParameters() {
        assertThat(Redaction.rawUrl("http://u:secret@[::1/")).isEqualTo("http://****@[::1/");
        assertThat(Redaction.rawUrl("https://alice:hunter2@caldav.example.com:99999/?pw=x1&p=x2&page=3"))
                .doesNotContain("hunter2", "alice", "x1", "x2")
                .contains("page=3", "pw=****");
        assertThat(Redaction.rawUrl("//u:pw@host/")).doesNotContain("u:pw");
        assertThat(Redaction.rawUrl("not a url at all")).isEqualTo("not a url at all");
    }
}
