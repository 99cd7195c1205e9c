package org.calsdk.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.Credentials;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.ServiceAccountCredentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import org.calsdk.spi.ConnectionFileForm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection file: JSON that names the provider, its settings and where its secrets come from, so that
 * neither command lines nor a host's configuration carry passwords. The {@code calendar} CLI reads these
 * files; a host can too:
 *
 * <pre>{@code
 * ConnectionConfig config = ConnectionFile.read(Path.of("/etc/myapp/icloud.json")).toConfig();
 * try (CalendarConnection c = CalendarProviders.load().connect(config)) { ... }
 * }</pre>
 *
 * <p>The forms:
 *
 * <pre>{@code
 * {"provider": "caldav", "url": "https://caldav.icloud.com/", "username": "alice@icloud.com",
 *  "password": {"env": "CALDAV_PASSWORD"}, "allowPrivateNetwork": false}
 * {"provider": "ews", "url": "https://mail.example.com/EWS/Exchange.asmx", "username": "svc",
 *  "password": {"env": "EWS_PASSWORD"}, "impersonation": true, "allowPrivateNetwork": false}
 * }</pre>
 *
 * <p>Every secret-valued field ({@code password}, {@code accessToken}, {@code clientSecret}, {@code refreshToken},
 * {@code serviceAccountKey}, {@code privateKey}, and {@code certificate}, which is public but usually a
 * file) is {@code {"env": "NAME"}} (an environment variable), {@code {"file": "path"}} (a file's content
 * without the trailing newline; relative to the connection file) or {@code {"value": "..."}} (inline:
 * works, but prints a warning, as the file then holds the secret in clear). Which secrets are present
 * picks the {@link #credentials() credentials}: a password (with {@code username}), a refresh token (with
 * {@code clientId}, optional {@code clientSecret} and {@code tokenEndpoint}), a service account key
 * (optional {@code subject} to act as), an {@code accessToken} (a bearer token used as it is, never refreshed:
 * Exchange hybrid set-ups), or a client secret or private key plus {@code certificate} (with
 * {@code tenant} and {@code clientId}). Every other
 * top-level string, number or boolean becomes a provider setting ({@code url}, {@code username},
 * {@code allowPrivateNetwork}, {@code mailbox}, {@code timeZone}, ...), as do the entries of an optional
 * {@code "settings"} object, so other providers need no change here.
 *
 * <p>{@link #toConfig()} builds the {@link ConnectionConfig}: a provider module that registers a
 * {@link ConnectionFileForm} for its id (through {@link ServiceLoader}) decides how (Google resolves a
 * relative {@code serviceAccountKeyFile} next to the file; Graph names the tenant {@code tenantId}); any
 * other provider gets {@link #defaultConfig()}. The core knows no provider.
 *
 * <p>Values are immutable; {@link #toString()} names the secret fields, never their values.
 *
 * @since 0.2
 */
public final class ConnectionFile {
    private static final JsonFactory JSON = new JsonFactory();
    /** The fields whose value is a secret reference, never a plain setting. */
    static final List<String> SECRET_FIELDS = List.of(
            "password",
            "accessToken",
            "clientSecret",
            "refreshToken",
            "serviceAccountKey",
            "privateKey",
            "certificate");

    private static final Set<String> RESERVED = Set.of("provider", "settings");
    private static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionFile.class);

    private final Path file;
    private final String provider;
    private final Map<String, String> settings;
    private final Map<String, Secret> secrets;

    private ConnectionFile(Path file, String provider, Map<String, String> settings, Map<String, Secret> secrets) {
        this.file = file;
        this.provider = provider;
        this.settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.secrets = Map.copyOf(secrets);
    }

    /**
     * Reads a connection file, resolving its secrets from the process environment; a warning (an inline
     * secret) is logged.
     *
     * @param file the connection file, at most 1 MiB
     * @return the parsed file with its secrets resolved
     * @throws InvalidInputException if the file is missing, unreadable, not a connection file, or names a
     *         secret that cannot be resolved (the message names the field, never a secret)
     */
    public static ConnectionFile read(Path file) {
        return read(file, System::getenv, LOG::warn);
    }

    /**
     * Reads a connection file.
     *
     * @param file     the connection file, at most 1 MiB
     * @param env      looks up environment variables ({@code System::getenv}, or a map in tests)
     * @param warnings receives warnings (an inline secret), one line each
     * @return the parsed file with its secrets resolved
     * @throws InvalidInputException as {@link #read(Path)}
     */
    public static ConnectionFile read(Path file, Function<String, String> env, Consumer<String> warnings) {
        Objects.requireNonNull(file, "file == null");
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidInputException("connection", "connection file " + file + " is larger than 1 MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("connection", "no such connection file: " + file);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "connection", "cannot read connection file " + file + ": " + e.getMessage());
        }
        Map<String, Object> root;
        try (JsonParser parser = JSON.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidInputException("connection", "connection file " + file + " must hold a JSON object");
            }
            root = object(parser); // what follows the object is not read (as before)
        } catch (JsonProcessingException e) {
            // a limit error (nesting too deep) carries no location
            throw new InvalidInputException(
                    "connection",
                    "connection file " + file + " is not valid JSON"
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new InvalidInputException("connection", "cannot read connection file " + file);
        }
        Object p = root.get("provider");
        if (!(p instanceof Scalar ps) || !ps.textual() || ps.text().isBlank()) {
            throw new InvalidInputException(
                    "provider", "connection file " + file + " must name the \"provider\" (e.g. \"caldav\")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            if (!RESERVED.contains(e.getKey()) && !SECRET_FIELDS.contains(e.getKey())) {
                settings.put(e.getKey(), scalar(e.getKey(), e.getValue()));
            }
        }
        Object extra = root.get("settings");
        if (extra != null) {
            if (!(extra instanceof Map<?, ?> extraMap)) {
                throw new InvalidInputException("settings", "\"settings\" must be a JSON object");
            }
            for (Map.Entry<?, ?> e : extraMap.entrySet()) {
                settings.put((String) e.getKey(), scalar((String) e.getKey(), e.getValue()));
            }
        }
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String name : SECRET_FIELDS) {
            Object node = root.get(name);
            if (node != null && node != NULL) {
                secrets.put(name, secret(name, node, file, env, warnings));
            }
        }
        return new ConnectionFile(file, ps.text().strip(), settings, secrets);
    }

    // The file as a small tree read with jackson-core's streaming parser (no databind: a command-line run
    // reads one connection file, and an ObjectMapper costs more start-up than the whole file is worth):
    // objects are LinkedHashMaps (a repeated key: the last wins), arrays Lists, scalars Scalar, null NULL.

    private static final Object NULL = new Object();

    /** A string, number or boolean, with its text as the file spells it ({@code true}, {@code 15}). */
    private record Scalar(String text, boolean textual) {}

    private static Map<String, Object> object(JsonParser parser) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            out.put(name, value(parser));
        }
        return out;
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken t = parser.currentToken();
        switch (t) {
            case START_OBJECT:
                return object(parser);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                return list;
            case VALUE_STRING:
                return new Scalar(parser.getText(), true);
            case VALUE_NULL:
                return NULL;
            default: // numbers and booleans (the parser reports nothing else where a value stands)
                return new Scalar(parser.getText(), false);
        }
    }

    private static String scalar(String name, Object v) {
        if (v instanceof Scalar s) {
            return s.text();
        }
        throw new InvalidInputException(name, "setting \"" + name + "\" must be a string, number or boolean");
    }

    /** The scalar text of {@code node}'s {@code key}, or null when it is missing, null or not a scalar. */
    private static String text(Map<?, ?> node, String key) {
        return node.get(key) instanceof Scalar s ? s.text() : null;
    }

    private static Secret secret(
            String name, Object value, Path file, Function<String, String> env, Consumer<String> warnings) {
        if (!(value instanceof Map<?, ?> node) || node.size() != 1) {
            throw new InvalidInputException(
                    name,
                    "\"" + name + "\" must be {\"env\": \"NAME\"}, {\"file\": \"path\"} " + "or {\"value\": \"...\"}");
        }
        String var = text(node, "env");
        if (var != null) {
            String v = env.apply(var);
            if (v == null || v.isEmpty()) {
                throw new InvalidInputException(
                        name, "the environment variable " + var + " named for \"" + name + "\" is not set");
            }
            return Secret.of(v);
        }
        String fileName = text(node, "file");
        if (fileName != null) {
            Path f = Path.of(fileName);
            if (!f.isAbsolute() && file.toAbsolutePath().getParent() != null) {
                f = file.toAbsolutePath().getParent().resolve(f);
            }
            try {
                String v = Files.readString(f, StandardCharsets.UTF_8);
                v = v.endsWith("\r\n")
                        ? v.substring(0, v.length() - 2)
                        : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
                if (v.isEmpty()) {
                    throw new InvalidInputException(name, "the file named for \"" + name + "\" is empty: " + f);
                }
                return Secret.of(v);
            } catch (IOException e) {
                throw new InvalidInputException(name, "cannot read the file named for \"" + name + "\": " + f);
            }
        }
        String inline = text(node, "value");
        if (inline != null) {
            warnings.accept("warning: the connection file holds the " + name + " inline; prefer {\"env\": ...} or "
                    + "{\"file\": ...} so the secret is not stored next to the settings");
            return Secret.of(inline);
        }
        throw new InvalidInputException(
                name,
                "\"" + name + "\" must be {\"env\": \"NAME\"}, {\"file\": \"path\"} " + "or {\"value\": \"...\"}");
    }

    /**
     * The provider's id, as the file names it.
     *
     * @return for example {@code caldav}
     */
    public String provider() {
        return provider;
    }

    /**
     * The provider settings (never a secret), in the file's order.
     *
     * @return every top-level scalar and every entry of {@code "settings"}
     */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * A path the file names, resolved against the folder the file is in when it is relative (how a key file
     * next to the connection file is found).
     *
     * @param path a path from one of the settings
     * @return the path, absolute when the file's folder is known
     */
    public Path resolve(String path) {
        Path p = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }

    /**
     * A secret field's resolved value.
     *
     * @param field one of {@code password}, {@code accessToken}, {@code clientSecret}, {@code refreshToken},
     *              {@code serviceAccountKey}, {@code privateKey}, {@code certificate}
     * @return the secret, or empty when the file does not have that field
     */
    public Optional<Secret> secret(String field) {
        return Optional.ofNullable(secrets.get(field));
    }

    /**
     * The credentials the file's secrets describe, or null when it has none: a password, an access token, a refresh token,
     * a service account key, or a client secret or certificate; more than one kind is an error.
     *
     * @return the credentials, or {@code null} when the file holds no secret
     * @throws InvalidInputException if secrets of more than one kind are present or a setting they need is missing
     */
    public Credentials credentials() {
        return credentials(settings);
    }

    /**
     * As {@link #credentials()}, reading the settings the credentials need ({@code username}, {@code clientId},
     * {@code tenant}, {@code subject}, ...) from {@code settings}: for a {@link ConnectionFileForm} whose
     * provider names them differently.
     *
     * @param settings the settings to read, usually {@link #settings()} with names mapped
     * @return the credentials, or {@code null} when the file holds no secret
     * @throws InvalidInputException as {@link #credentials()}
     */
    public Credentials credentials(Map<String, String> settings) {
        List<String> kinds = new ArrayList<>();
        if (secrets.containsKey("password")) {
            kinds.add("password");
        }
        if (secrets.containsKey("accessToken")) {
            kinds.add("accessToken");
        }
        if (secrets.containsKey("refreshToken")) {
            kinds.add("refreshToken");
        }
        if (secrets.containsKey("serviceAccountKey")) {
            kinds.add("serviceAccountKey");
        }
        if (!secrets.containsKey("refreshToken")
                && (secrets.containsKey("clientSecret") || secrets.containsKey("privateKey"))) {
            kinds.add(secrets.containsKey("privateKey") ? "privateKey" : "clientSecret");
        }
        if (kinds.isEmpty()) {
            if (secrets.containsKey("certificate")) {
                throw new InvalidInputException(
                        "privateKey", "the connection file has a \"certificate\" but no \"privateKey\"");
            }
            return null;
        }
        if (kinds.size() > 1) {
            throw new InvalidInputException(
                    kinds.get(1),
                    "the connection file holds secrets of more than one kind of " + "credentials " + kinds
                            + "; keep one");
        }
        switch (kinds.get(0)) {
            case "password":
                return PasswordCredentials.of(required(settings, "username", "a password"), secrets.get("password"));
            case "accessToken":
                return bearer(secrets.get("accessToken"));
            case "refreshToken":
                return new RefreshTokenCredentials(
                        required(settings, "clientId", "a refresh token"),
                        secrets.get("clientSecret"),
                        secrets.get("refreshToken"),
                        settings.get("tokenEndpoint"),
                        mailbox(settings, "mailbox"));
            case "serviceAccountKey":
                return new ServiceAccountCredentials(secrets.get("serviceAccountKey"), mailbox(settings, "subject"));
            default:
                String tenant = required(settings, "tenant", "client credentials");
                String clientId = required(settings, "clientId", "client credentials");
                if (secrets.containsKey("privateKey")) {
                    Secret cert = secrets.get("certificate");
                    if (cert == null) {
                        throw new InvalidInputException(
                                "certificate", "the connection file has a \"privateKey\" but " + "no \"certificate\"");
                    }
                    return ClientCredentials.withCertificate(
                            tenant,
                            clientId,
                            new ClientCredentials.Certificate(cert.reveal(), secrets.get("privateKey")));
                }
                return ClientCredentials.withSecret(tenant, clientId, secrets.get("clientSecret"));
        }
    }

    /** A bearer token used as it is (EWS in hybrid set-ups); a rejected one cannot be refreshed from the file. */
    private Credentials bearer(Secret token) {
        org.calsdk.auth.AccessToken t = new org.calsdk.auth.AccessToken(token, null);
        return new org.calsdk.auth.TokenCredentials(new org.calsdk.auth.AccessTokenSource() {
            @Override
            public org.calsdk.auth.AccessToken token() {
                return t;
            }

            @Override
            public org.calsdk.auth.AccessToken refresh(org.calsdk.auth.AccessToken rejected) {
                throw new org.calsdk.errors.ReauthorizationRequiredException(
                        "the access token from the connection file " + "was rejected; put a fresh one there",
                        org.calsdk.errors.ErrorContext.of(provider));
            }
        });
    }

    private static String required(Map<String, String> settings, String setting, String forWhat) {
        String v = settings.get(setting);
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(
                    setting, "the connection file has " + forWhat + " but no \"" + setting + "\"");
        }
        return v;
    }

    private static Mailbox mailbox(Map<String, String> settings, String setting) {
        String v = settings.get(setting);
        return v == null || v.isBlank() ? null : Mailbox.of(v);
    }

    /**
     * The {@link ConnectionConfig} this file describes: built by the {@link ConnectionFileForm} its provider
     * module registers, or {@link #defaultConfig()}.
     *
     * @return the configuration to {@link CalendarProviders#connect connect} with
     * @throws InvalidInputException if the file's settings and secrets do not make a configuration
     */
    public ConnectionConfig toConfig() {
        ConnectionFileForm form = Forms.BY_PROVIDER.get(provider);
        return form == null ? defaultConfig() : form.toConfig(this);
    }

    /**
     * The configuration every provider without a form of its own gets: {@link #settings()} as they are and
     * {@link #credentials()}.
     *
     * @return the configuration
     */
    public ConnectionConfig defaultConfig() {
        return ConnectionConfig.builder(provider)
                .settings(settings)
                .credentials(credentials())
                .build();
    }

    /** The registered forms by provider id, loaded on first use; a duplicate id is a packaging error. */
    private static final class Forms {
        static final Map<String, ConnectionFileForm> BY_PROVIDER = load();

        private static Map<String, ConnectionFileForm> load() {
            Map<String, ConnectionFileForm> found = new LinkedHashMap<>();
            for (ConnectionFileForm form :
                    ServiceLoader.load(ConnectionFileForm.class, ConnectionFile.class.getClassLoader())) {
                if (found.putIfAbsent(form.providerId(), form) != null) {
                    throw new IllegalStateException(
                            "two connection-file forms for provider '" + form.providerId() + "' on the class path");
                }
            }
            return Map.copyOf(found);
        }
    }

    @Override
    public String toString() {
        return "ConnectionFile[provider=" + provider + ", settings=" + settings.keySet() + ", secrets="
                + new java.util.TreeSet<>(secrets.keySet()) + "]";
    }
}
