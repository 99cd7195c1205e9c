package org.calsdk.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Removes secrets from what gets logged or put into messages: credential headers, query parameters
 * named like a secret, and user info in URLs (also in strings that do not parse as URLs).
 *
 * <p>A name (of a header or a query parameter) is compared case-insensitively after dropping
 * {@code -}, {@code _} and {@code .}, so {@code X-Api-Key}, {@code api_key} and {@code apiKey} are one
 * name. It is secret when it is one of the short names that mean a secret only on their own ({@code p},
 * {@code pw}, {@code pwd}, {@code pass}, {@code pin}, {@code otp}, {@code key}, {@code sig}, {@code code},
 * {@code auth}, {@code sid}, {@code jwt}, {@code hmac}, {@code nonce}, …), when it contains a word that is
 * a secret wherever it appears ({@code password}, {@code passwd}, {@code passphrase}, {@code passcode},
 * {@code secret}, {@code token}, {@code credential}, {@code signature}, {@code assertion},
 * {@code authorization}, {@code cookie}, {@code session}, {@code apikey}, {@code privatekey}), or when it
 * ends in {@code key}, {@code pw}, {@code pwd}, {@code pass}, {@code sig}, {@code auth} or {@code code}
 * ({@code accessKey}, {@code userPw}, {@code dbPass}, {@code xAuth}, {@code authCode}). Over-masking a
 * harmless value costs a log line some detail; under-masking leaks a password, so the lists lean to
 * masking. Providers use it for their own log lines and for messages that must show a URL.
 *
 * <pre>{@code
 * LOG.debug("GET {}", Redaction.url(request.url()));
 * throw new InvalidInputException("url", "not a URL: '" + Redaction.rawUrl(text) + "'");
 * }</pre>
 *
 * @since 0.1
 */
public final class Redaction {
    /** What replaces a secret. */
    public static final String MASK = "****";

    private static final Set<String> SECRET_NAMES = Set.of(
            "p",
            "pw",
            "pwd",
            "pass",
            "passwd",
            "pin",
            "otp",
            "totp",
            "key",
            "sig",
            "sign",
            "code",
            "auth",
            "sid",
            "jwt",
            "hmac",
            "nonce",
            "hash",
            "digest",
            "ticket",
            "bearer",
            "oauth",
            "saml",
            "samlresponse",
            "csrf",
            "xsrf",
            "state");
    private static final List<String> SECRET_WORDS = List.of(
            "password",
            "passwd",
            "passphrase",
            "passcode",
            "secret",
            "token",
            "credential",
            "signature",
            "assertion",
            "authorization",
            "cookie",
            "session",
            "apikey",
            "privatekey");
    private static final List<String> SECRET_SUFFIXES = List.of("key", "pw", "pwd", "pass", "sig", "auth", "code");
    /** Scheme and user info of something URL-like: {@code scheme://user:password@}. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*:)?//[^/?#\\s]*@");
    /** {@code name=value} pairs of a query-like string. */
    private static final Pattern PARAM = Pattern.compile("([?&;])([^=&;#\\s]*)=([^&;#\\s]*)");

    private Redaction() {}

    /**
     * Whether a header's value must never be logged.
     *
     * @param name the header name, in any case
     * @return true when the name, normalized, is or contains a secret word ({@code authorization}, {@code cookie},
     *     {@code token}, {@code apikey}, ...)
     */
    public static boolean isSecretHeader(String name) {
        return isSecret(normalize(name));
    }

    /**
     * Whether a query parameter's value must never be logged.
     *
     * @param name the parameter name, in any case
     * @return true when the name, normalized, is or contains a secret word (tokens, keys, secrets, passwords,
     *     signatures, codes, {@code state}, ...)
     */
    public static boolean isSecretParameter(String name) {
        return isSecret(normalize(name));
    }

    private static boolean isSecret(String n) {
        if (SECRET_NAMES.contains(n)) {
            return true;
        }
        for (String w : SECRET_WORDS) {
            if (n.contains(w)) {
                return true;
            }
        }
        for (String s : SECRET_SUFFIXES) {
            if (n.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_' && c != '.') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The URL with secret query values and any user info masked.
     *
     * @param url the URL
     * @return the URL text, safe to log
     */
    public static String url(HttpUrl url) {
        HttpUrl.Builder b = url.newBuilder();
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            b.username(MASK).password("");
        }
        for (int i = 0; i < url.querySize(); i++) {
            String name = url.queryParameterName(i);
            if (isSecretParameter(name)) {
                b.setQueryParameter(name, MASK);
            }
        }
        return b.build().toString();
    }

    /**
     * A string that was meant to be a URL (and may not parse as one) with its user info and secret query
     * values masked: {@code http://u:secret@[::1/} becomes {@code http://****@[::1/}.
     *
     * @param text the URL text, possibly malformed
     * @return the text, safe to log
     */
    public static String rawUrl(String text) {
        if (text == null) {
            return null;
        }
        String s = USER_INFO
                .matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement((m.group(1) == null ? "" : m.group(1)) + "//" + MASK + "@"));
        Matcher m = PARAM.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = isSecretParameter(m.group(2)) ? m.group(1) + m.group(2) + "=" + MASK : m.group();
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * The headers as {@code name: value} lines with credential values masked.
     *
     * @param headers the headers
     * @return the text, safe to log
     */
    public static String headers(Headers headers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            sb.append(name)
                    .append(": ")
                    .append(isSecretHeader(name) ? MASK : headers.value(i))
                    .append('\n');
        }
        return sb.toString();
    }
}
