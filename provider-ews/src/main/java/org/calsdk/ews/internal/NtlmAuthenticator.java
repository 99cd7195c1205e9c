package org.calsdk.ews.internal;

import java.util.Locale;
import okhttp3.Authenticator;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import org.apache.hc.client5.http.auth.AuthChallenge;
import org.apache.hc.client5.http.auth.AuthenticationException;
import org.apache.hc.client5.http.auth.ChallengeType;
import org.apache.hc.client5.http.auth.MalformedChallengeException;
import org.apache.hc.client5.http.auth.NTCredentials;
import org.apache.hc.client5.http.impl.auth.NTLMScheme;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.protocol.BasicHttpContext;
import org.calsdk.auth.PasswordCredentials;

/**
 * NTLM for on-premises Exchange, answered inside OkHttp's authentication step: to a 401 offering
 * {@code WWW-Authenticate: NTLM} it sends the request again with a Type 1 message; to the 401 carrying the
 * server's Type 2 challenge, with the Type 3 answer. The messages and their cryptography come from Apache
 * HttpClient 5's {@link NTLMScheme} (one scheme per handshake, carried as a tag of the request); nothing of
 * NTLM is written here. IIS keeps an authenticated connection authenticated, so a handshake costs two extra
 * round trips per new connection, not per call.
 *
 * <p>Challenges are answered only from the configured endpoint's origin (scheme, host and port), never
 * after a redirect elsewhere; a handshake that fails (a second bare {@code NTLM} challenge after the Type 3
 * message) ends with the 401, which the transport reports as rejected credentials. Apache HttpClient no
 * longer develops its NTLM support (deprecated since 5.3, still shipped): use HTTPS, or Basic over HTTPS /
 * OAuth where the server allows it.
 */
@SuppressWarnings(
        "deprecation") // NTLMScheme / NTCredentials: deprecated upstream, still the maintained library's engine
public final class NtlmAuthenticator implements Authenticator {
    private static final String HEADER = "Authorization";

    private final HttpUrl origin;
    private final String user;
    private final String domain;
    private final char[] password;
    private final String workstation;

    /** The handshake of one request: the scheme that made its Type 1 message, and whether Type 3 was sent. */
    private static final class Handshake {
        final NTLMScheme scheme;
        boolean answered;

        Handshake(NTLMScheme scheme) {
            this.scheme = scheme;
        }
    }

    /**
     * @param origin      the EWS endpoint; challenges from any other origin are not answered
     * @param credentials <code>DOMAIN&#92;user</code> or {@code user@domain} (a UPN, sent with an empty domain), and the password
     */
    public NtlmAuthenticator(HttpUrl origin, PasswordCredentials credentials) {
        this.origin = origin;
        String name = credentials.username();
        int slash = name.indexOf('\\');
        this.domain = slash > 0 ? name.substring(0, slash).toUpperCase(Locale.ROOT) : null;
        this.user = slash > 0 ? name.substring(slash + 1) : name;
        this.password = credentials.password().reveal().toCharArray();
        this.workstation = "CALSDK";
    }

    @Override
    public Request authenticate(Route route, Response response) {
        Request prior = response.request();
        HttpUrl u = prior.url();
        if (response.code() != 401
                || !u.scheme().equals(origin.scheme())
                || !u.host().equals(origin.host())
                || u.port() != origin.port()) {
            return null;
        }
        String token = null;
        boolean offered = false;
        for (String h : response.headers("WWW-Authenticate")) {
            String v = h.trim();
            if (v.regionMatches(true, 0, "NTLM", 0, 4) && (v.length() == 4 || v.charAt(4) == ' ')) {
                offered = true;
                String rest = v.substring(4).trim();
                if (!rest.isEmpty()) {
                    token = rest;
                }
            }
        }
        if (!offered) {
            return null;
        }
        Handshake hs = prior.tag(Handshake.class);
        try {
            HttpHost host = new HttpHost(u.scheme(), u.host(), u.port());
            BasicHttpContext ctx = new BasicHttpContext();
            if (token == null) {
                if (hs != null) {
                    return null; // the server refused the handshake's answer (or never sent a challenge): give up
                }
                hs = new Handshake(new NTLMScheme());
                hs.scheme.processChallenge(new AuthChallenge(ChallengeType.TARGET, "NTLM"), ctx);
            } else {
                if (hs == null || hs.answered) {
                    return null; // a challenge without our Type 1 message, or a second one: out of sequence
                }
                hs.scheme.processChallenge(new AuthChallenge(ChallengeType.TARGET, "NTLM", token, null), ctx);
                hs.answered = true;
            }
            NTCredentials creds = new NTCredentials(user, password.clone(), workstation, domain);
            if (!hs.scheme.isResponseReady(host, (scope, c) -> creds, ctx)) {
                return null;
            }
            String value =
                    hs.scheme.generateAuthResponse(host, new BasicHttpRequest(prior.method(), u.encodedPath()), ctx);
            return prior.newBuilder()
                    .header(HEADER, value)
                    .tag(Handshake.class, hs)
                    .build();
        } catch (MalformedChallengeException | AuthenticationException | RuntimeException e) {
            return null; // a malformed challenge: the 401 stands
        }
    }

    @Override
    public String toString() {
        return "NtlmAuthenticator[" + origin.host() + "]";
    }
}
