package org.calsdk.caldav.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Challenge;
import okhttp3.Request;
import okhttp3.Response;
import org.calsdk.auth.PasswordCredentials;

/**
 * HTTP Digest authentication (RFC 7616: MD5 and SHA-256, {@code qop=auth}, also the legacy RFC 2069 form
 * without qop) for servers that challenge with it. Challenges are remembered per host so later requests
 * answer pre-emptively with an incremented nonce count; a {@code stale=true} challenge is answered once
 * more with the new nonce, a rejected answer is not repeated.
 */
public final class DigestAuth {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PasswordCredentials credentials;
    private final Map<String, State> byHost = new ConcurrentHashMap<>();

    public DigestAuth(PasswordCredentials credentials) {
        this.credentials = credentials;
    }

    private record State(Map<String, String> params, AtomicInteger nc) {}

    /** Whether a Digest challenge was seen for this request's host. */
    public boolean knows(Request r) {
        return byHost.containsKey(r.url().host() + ":" + r.url().port());
    }

    /** Adds a pre-emptive Digest answer when a challenge for this host is known, else returns {@code r}. */
    public Request authorize(Request r) {
        State s = byHost.get(r.url().host() + ":" + r.url().port());
        return s == null
                ? r
                : r.newBuilder().header("Authorization", answer(r, s)).build();
    }

    /**
     * Answers a 401 carrying a Digest challenge (the OkHttp {@link okhttp3.Authenticator} contract):
     * the request to retry with, or null when there is no Digest challenge or ours was already refused.
     */
    public Request onUnauthorized(Response response) {
        Challenge digest = null;
        for (Challenge c : response.challenges()) {
            if ("Digest".equalsIgnoreCase(c.scheme())) {
                digest = c;
                break;
            }
        }
        if (digest == null) {
            return null;
        }
        Map<String, String> params = parse(response.headers("WWW-Authenticate"));
        if (params == null || !params.containsKey("nonce")) {
            return null;
        }
        String previous = response.request().header("Authorization");
        boolean stale = "true".equalsIgnoreCase(params.get("stale"));
        if (previous != null && previous.regionMatches(true, 0, "Digest ", 0, 7) && !stale) {
            return null; // our answer was refused: the password is wrong, do not loop
        }
        if (priorResponses(response) >= 2) {
            return null;
        }
        String algorithm = params.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
        if (!algorithm.equals("MD5")
                && !algorithm.equals("SHA-256")
                && !algorithm.equals("MD5-SESS")
                && !algorithm.equals("SHA-256-SESS")) {
            return null;
        }
        State s = new State(params, new AtomicInteger());
        Request r = response.request();
        byHost.put(r.url().host() + ":" + r.url().port(), s);
        return r.newBuilder().header("Authorization", answer(r, s)).build();
    }

    private static int priorResponses(Response r) {
        int n = 0;
        for (Response p = r.priorResponse(); p != null; p = p.priorResponse()) {
            n++;
        }
        return n;
    }

    private String answer(Request r, State s) {
        Map<String, String> p = s.params();
        String algorithm = p.getOrDefault("algorithm", "MD5");
        String realm = p.getOrDefault("realm", "");
        String nonce = p.get("nonce");
        String uri = r.url().encodedPath()
                + (r.url().encodedQuery() == null ? "" : "?" + r.url().encodedQuery());
        String cnonce = HexFormat.of().formatHex(randomBytes());
        String nc = String.format("%08x", s.nc().incrementAndGet());
        String qopOffered = p.get("qop");
        boolean qopAuth = qopOffered != null
                && java.util.Arrays.stream(qopOffered.split(","))
                        .map(String::strip)
                        .anyMatch("auth"::equalsIgnoreCase);
        String response = response(
                algorithm,
                credentials.username(),
                realm,
                credentials.password().reveal(),
                r.method(),
                uri,
                nonce,
                nc,
                cnonce,
                qopAuth);
        StringBuilder sb = new StringBuilder("Digest ");
        sb.append("username=\"").append(quote(credentials.username())).append("\", ");
        sb.append("realm=\"").append(quote(realm)).append("\", ");
        sb.append("nonce=\"").append(quote(nonce)).append("\", ");
        sb.append("uri=\"").append(quote(uri)).append("\", ");
        sb.append("algorithm=").append(algorithm).append(", ");
        sb.append("response=\"").append(response).append('"');
        if (p.containsKey("opaque")) {
            sb.append(", opaque=\"").append(quote(p.get("opaque"))).append('"');
        }
        if (qopAuth) {
            sb.append(", qop=auth, nc=")
                    .append(nc)
                    .append(", cnonce=\"")
                    .append(cnonce)
                    .append('"');
        }
        return sb.toString();
    }

    /** The RFC 7616 {@code response} value. */
    static String response(
            String algorithm,
            String user,
            String realm,
            String password,
            String method,
            String uri,
            String nonce,
            String nc,
            String cnonce,
            boolean qopAuth) {
        String alg = algorithm.toUpperCase(Locale.ROOT);
        String hashName = alg.startsWith("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = hash(hashName, user + ":" + realm + ":" + password);
        if (alg.endsWith("-SESS")) {
            ha1 = hash(hashName, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = hash(hashName, method + ":" + uri);
        return qopAuth
                ? hash(hashName, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : hash(hashName, ha1 + ":" + nonce + ":" + ha2);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String hash(String algorithm, String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    /** Parses the parameters of the first Digest challenge among the header values; null if none. */
    static Map<String, String> parse(Iterable<String> headerValues) {
        for (String h : headerValues) {
            int i = indexOfScheme(h);
            if (i < 0) {
                continue;
            }
            return params(h.substring(i + 6));
        }
        return null;
    }

    private static int indexOfScheme(String h) {
        String lower = h.toLowerCase(Locale.ROOT);
        int i = lower.indexOf("digest ");
        return i >= 0 && (i == 0 || lower.charAt(i - 1) == ' ' || lower.charAt(i - 1) == ',') ? i : -1;
    }

    /** Parses {@code a=b, c="d, e"} pairs, stopping at the start of another scheme. */
    static Map<String, String> params(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            if (name.contains(" ")) {
                break; // the next scheme begins
            }
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < n && s.charAt(i) != ',') {
                    v.append(s.charAt(i++));
                }
            }
            out.put(name, v.toString().strip());
        }
        return out;
    }
}
