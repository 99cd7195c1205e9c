package org.calsdk.google;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.Credentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.ServiceAccountCredentials;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.google.internal.DelegatedTokens;
import org.calsdk.google.internal.GoogleConnection;
import org.calsdk.google.internal.GoogleDirectory;
import org.calsdk.google.internal.GoogleSession;
import org.calsdk.google.internal.Tokens;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.OriginPolicy;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.CalendarProvider;
import org.calsdk.spi.ProviderBuilder;

/**
 * The Google Calendar provider (id {@code "google"}), found by {@link java.util.ServiceLoader} or
 * registered explicitly. It speaks the Calendar API v3 over the SDK's {@link HttpTransport} with Jackson's
 * streaming JSON, and batches: free/busy for 1,000 mailboxes is 20 {@code freeBusy} calls in one HTTP
 * round trip.
 *
 * <p>Two ways to connect:
 * <ul>
 *   <li><b>A user's own calendars</b>: {@link TokenCredentials} (an OAuth grant whose source refreshes
 *   tokens, such as {@link GoogleOAuth#tokenSource}) or {@link RefreshTokenCredentials} (a stored refresh
 *   token, refreshed at its {@code tokenEndpoint}, the setting {@code tokenUrl} or Google's), and the setting
 *   {@code mailbox} (the user's address). Scope {@link ConnectionScope#USER}.</li>
 *   <li><b>A whole Google Workspace domain</b>: a service account with domain-wide delegation, from
 *   {@link ServiceAccountCredentials} (the key JSON and the subject), or from the
 *   setting {@code serviceAccountKeyFile} (a path to the key JSON) or {@code serviceAccountKey} (the key
 *   JSON itself), plus {@code subject} (an address of the domain that free/busy calls act as). Scope
 *   {@link ConnectionScope#ORGANIZATION}; {@code impersonator().actAs(mailbox)} gives a user connection that
 *   acts as that mailbox with a token of its own, cached until shortly before it expires.</li>
 * </ul>
 * Other settings: {@code baseUrl} (the root the paths {@code /calendar/v3/...} and
 * {@code /batch/calendar/v3} hang from; default {@code https://www.googleapis.com/}), {@code tokenUrl}
 * (the OAuth token endpoint for service accounts; default the key's {@code token_uri}), {@code scopes}
 * (default the calendar scope and {@code admin.directory.user.readonly}), {@code resourceScopes} (the scope
 * asked for apart when listing calendar resources and buildings; default
 * {@code admin.directory.resource.calendar.readonly}), {@code groupScopes} (the scope asked for apart when
 * listing a group's members; default {@code admin.directory.group.member.readonly}),
 * {@code directoryBaseUrl} (the Admin
 * SDK root; default {@code https://admin.googleapis.com/}, or {@code baseUrl} when that is not Google's),
 * {@code timeZone} (the zone floating times are
 * written in; default UTC), {@code pageSize} (events per page of change reads, 1–2500, default 250),
 * {@code sendUpdates} ({@code all}, {@code externalOnly} or {@code none}, the default: whom Google emails
 * about writes), {@code freeBusyMaxWindowDays} (default 90: longer free/busy windows are split) and
 * {@code timeout} (each call's deadline across its retries, seconds or ISO-8601; default the builder's
 * {@link ProviderBuilder#timeout}, else 60 s).
 *
 * <pre>{@code
 * CalendarConnection org = CalendarProviders.load().connect(ConnectionConfig.builder("google")
 *     .setting("serviceAccountKeyFile", "/etc/calsdk/google-key.json")
 *     .setting("subject", "admin@example.com")
 *     .build());
 * FreeBusyResult busy = org.freeBusy().query(FreeBusyRequest.of(everyone, window));
 * CalendarConnection alice = org.impersonator().actAs(Mailbox.of("alice@example.com"));
 * }</pre>
 *
 * @since 0.1
 */
public final class GoogleProvider implements CalendarProvider {
    /** The provider id. */
    public static final String ID = "google";
    /** The default API root. */
    public static final String DEFAULT_BASE_URL = "https://www.googleapis.com/";
    /** The default root of the Admin SDK Directory API. */
    public static final String DEFAULT_DIRECTORY_URL = "https://admin.googleapis.com/";
    /** The default scope requested for service accounts. */
    public static final String DEFAULT_SCOPES = "https://www.googleapis.com/auth/calendar "
            + "https://www.googleapis.com/auth/admin.directory.user.readonly";

    private final ProviderBuilder.HttpSettings http;
    /** Delegated users' tokens, kept across connections (the sync engine opens one per pass). */
    private final DelegatedTokens.Cache delegatedTokens = new DelegatedTokens.Cache();

    /** A provider with default HTTP settings (the {@link java.util.ServiceLoader} entry point). */
    public GoogleProvider() {
        this(builder());
    }

    private GoogleProvider(Builder b) {
        this.http = b.settings();
    }

    /**
     * A builder for a provider with its own HTTP client, retry policy, sleeper, accounting listener or limits
     * (the settings every provider shares, {@link ProviderBuilder}).
     *
     * <pre>{@code
     * CalendarProvider google = GoogleProvider.builder().listener(counter).maxResponseBytes(8 << 20).build();
     * }</pre>
     *
     * @return a new builder holding the defaults (default retries, 60 s call deadline, 32 MiB responses,
     *     system DNS)
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return GoogleConnection.ALL;
    }

    /** Connects; no network I/O happens until the first call. */
    @Override
    public CalendarConnection connect(ConnectionConfig config) {
        Objects.requireNonNull(config, "config == null");
        ErrorContext ctx = ErrorContext.of(ID);
        HttpUrl base = baseUrl(config.setting("baseUrl").orElse(DEFAULT_BASE_URL));
        ZoneId zone = zone(config.setting("timeZone").orElse(null));
        int pageSize = intSetting(config, "pageSize", 250, 1, 2500);
        int windowDays = intSetting(config, "freeBusyMaxWindowDays", 90, 1, 366);
        String sendUpdates = config.setting("sendUpdates").orElse("none");
        if (!Set.of("all", "externalOnly", "none").contains(sendUpdates)) {
            throw new InvalidInputException("sendUpdates", "sendUpdates must be all, externalOnly or none");
        }
        // Credentials go only to baseUrl's origin, or to an HTTPS sibling in its registrable domain (Google's
        // own hosts: www., admin., oauth2.googleapis.com); a loopback baseUrl (a fake) may be plain HTTP.
        OriginPolicy policy = http.originPolicy(base)
                .allowSiblingHosts(true)
                .allowPrivateNetwork(config.flag("allowPrivateNetwork", OriginPolicy.namesLoopback(base)))
                .build();
        HttpTransport transport = http.transport(ID, config, policy);
        Credentials credentials = config.credentials().orElse(null);
        Secret key;
        Mailbox subjectBox = null;
        if (credentials instanceof ServiceAccountCredentials sa) {
            key = sa.key();
            subjectBox = sa.subject();
        } else {
            key = serviceAccountKey(config);
        }
        if (key != null) {
            if (subjectBox == null) {
                subjectBox = Mailbox.of(config.requireSetting("subject"));
            }
            DelegatedTokens tokens = DelegatedTokens.of(
                    key,
                    config.setting("tokenUrl").orElse(null),
                    config.setting("scopes").orElse(DEFAULT_SCOPES),
                    transport,
                    config.clock(),
                    ctx,
                    delegatedTokens);
            GoogleSession session = new GoogleSession(
                            transport,
                            base,
                            tokens,
                            http.sleeper(),
                            zone,
                            ctx,
                            pageSize,
                            sendUpdates,
                            Duration.ofDays(windowDays),
                            null)
                    .directoryRoot(directoryRoot(config))
                    .resourceTokens(
                            tokens.withScopes(config.setting("resourceScopes").orElse(GoogleDirectory.RESOURCE_SCOPE)))
                    .groupTokens(tokens.withScopes(config.setting("groupScopes").orElse(GoogleDirectory.GROUP_SCOPE)));
            return new GoogleConnection(session, ConnectionScope.ORGANIZATION, subjectBox, false);
        }
        AccessTokenSource source;
        Mailbox self;
        if (credentials instanceof RefreshTokenCredentials r) {
            // a stored grant: refreshed at its own endpoint, else the tokenUrl setting, else Google's, through
            // this connection's transport (its origin policy, deadline and accounting)
            self = config.setting("mailbox").map(Mailbox::of).orElse(r.user());
            if (self == null) {
                throw new InvalidInputException(
                        "mailbox",
                        "the google provider needs the setting 'mailbox' (the " + "user whose grant this is)");
            }
            source = r.tokenSource(config.setting("tokenUrl").orElse(GoogleOAuth.TOKEN_URL))
                    .provider(ID)
                    .mailbox(self)
                    .clock(config.clock())
                    .transport(transport)
                    .build();
        } else if (credentials instanceof TokenCredentials t) {
            self = Mailbox.of(config.requireSetting("mailbox"));
            source = t.source();
        } else {
            throw new InvalidInputException(
                    "credentials",
                    "the google provider needs OAuth token credentials (a "
                            + "user's grant: TokenCredentials or RefreshTokenCredentials) or a service account key "
                            + "(ServiceAccountCredentials with a subject, or the settings serviceAccountKeyFile and subject)"
                            + (credentials == null ? "" : "; got '" + credentials.kind() + "'"));
        }
        GoogleSession session = new GoogleSession(
                        transport,
                        base,
                        Tokens.fixed(source),
                        http.sleeper(),
                        zone,
                        ctx,
                        pageSize,
                        sendUpdates,
                        Duration.ofDays(windowDays),
                        null)
                .directoryRoot(directoryRoot(config));
        return new GoogleConnection(session, ConnectionScope.USER, self, false);
    }

    /**
     * The Directory API root: the setting {@code directoryBaseUrl}; else Google's
     * {@code https://admin.googleapis.com/} when {@code baseUrl} is Google's, else {@code baseUrl} (a fake
     * serves both).
     */
    private static HttpUrl directoryRoot(ConnectionConfig config) {
        String explicit = config.setting("directoryBaseUrl").orElse(null);
        if (explicit != null) {
            return baseUrl(explicit);
        }
        String base = config.setting("baseUrl").orElse(DEFAULT_BASE_URL);
        return baseUrl(base.equals(DEFAULT_BASE_URL) ? DEFAULT_DIRECTORY_URL : base);
    }

    private static Secret serviceAccountKey(ConnectionConfig config) {
        String inline = config.setting("serviceAccountKey").orElse(null);
        if (inline != null) {
            return Secret.of(inline);
        }
        String file = config.setting("serviceAccountKeyFile").orElse(null);
        if (file == null) {
            return null;
        }
        try {
            Path p = Path.of(file);
            if (Files.size(p) > 64 * 1024) {
                throw new InvalidInputException(
                        "serviceAccountKeyFile",
                        "the service account key file is larger than " + "64 KiB; is it the right file? " + file);
            }
            return Secret.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new InvalidInputException(
                    "serviceAccountKeyFile", "cannot read the service account key file " + file);
        }
    }

    private static HttpUrl baseUrl(String url) {
        HttpUrl u = HttpUrl.parse(url.endsWith("/") ? url : url + "/");
        if (u == null) {
            throw new InvalidInputException("baseUrl", "baseUrl is not an http(s) URL: " + url);
        }
        return u;
    }

    private static ZoneId zone(String z) {
        if (z == null || z.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(z);
        } catch (java.time.DateTimeException e) {
            throw new InvalidInputException(
                    "timeZone", "unknown time zone '" + z + "' (use an IANA name such as " + "Europe/Berlin)");
        }
    }

    private static int intSetting(ConnectionConfig config, String name, int dflt, int min, int max) {
        String v = config.setting(name).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " must be a whole number from " + min + " to " + max);
        }
    }

    @Override
    public String toString() {
        return "GoogleProvider";
    }

    /**
     * Builds a {@link GoogleProvider}: the HTTP settings every provider shares ({@link ProviderBuilder}:
     * client, DNS, retries, sleeper, listener, deadline per call, response size). The retry policy covers
     * Google's 403 {@code rateLimitExceeded} answers too; the default client has 15 s connect, 60 s read
     * and 120 s call timeouts, and responses may be up to 32 MiB.
     */
    public static final class Builder extends ProviderBuilder<Builder> {
        private Builder() {
            super(
                    b -> b.connectTimeout(Duration.ofSeconds(15))
                            .readTimeout(Duration.ofSeconds(60))
                            .callTimeout(Duration.ofSeconds(120)),
                    32L * 1024 * 1024);
        }

        ProviderBuilder.HttpSettings settings() {
            return httpSettings();
        }

        /**
         * Builds the provider; the builder may be reused afterwards.
         *
         * @return a provider with this builder's settings
         */
        public GoogleProvider build() {
            return new GoogleProvider(this);
        }
    }
}
