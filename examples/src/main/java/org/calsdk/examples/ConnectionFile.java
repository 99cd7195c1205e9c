package org.calsdk.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.calsdk.auth.Credentials;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.api.ConnectionConfig;

/**
 * A connection file: JSON that names the provider, its settings and where its secrets come from, so
 * that command lines never carry passwords.
 *
 * <pre>{@code
 * {"provider": "caldav", "url": "https://caldav.icloud.com/", "username": "alice@icloud.com",
 *  "password": {"env": "CALDAV_PASSWORD"}, "allowPrivateNetwork": false}
 * }</pre>
 *
 * <p>A secret is {@code {"env": "NAME"}} (an environment variable), {@code {"file": "path"}} (a file's
 * content without the trailing newline; relative to the connection file) or {@code {"value": "..."}}
 * (inline: works, but prints a warning, as the file then holds the password in clear). Every other
 * top-level string, number or boolean becomes a provider setting ({@code url}, {@code username},
 * {@code allowPrivateNetwork}, {@code mailbox}, {@code timeZone}, ...), as do the entries of an optional
 * {@code "settings"} object, so other providers need no change here. The Graph provider's
 * {@code accessToken} and {@code clientSecret} are secrets as well:
 * <pre>{@code
 * {"provider": "graph", "accessToken": {"env": "GRAPH_TOKEN"}, "baseUrl": "http://127.0.0.1:8080/v1.0"}
 * {"provider": "graph", "tenantId": "...", "clientId": "...", "clientSecret": {"env": "GRAPH_SECRET"},
 *  "authorityUrl": "https://login.microsoftonline.com/", "baseUrl": "https://graph.microsoft.com/v1.0"}
 * }</pre>
 *
 * @since 0.1
 */
public final class ConnectionFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESERVED = Set.of("provider", "password", "settings");
    /** Secret-valued provider settings ({"env"}/{"file"} like the password): Graph's token and client secret. */
    private static final Set<String> SECRET_SETTINGS = Set.of("accessToken", "clientSecret");
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private final String provider;
    private final Map<String, String> settings;
    private final Secret password;
    private final Map<String, Secret> secretSettings;

    private ConnectionFile(String provider, Map<String, String> settings, Secret password,
                           Map<String, Secret> secretSettings) {
        this.provider = provider;
        this.secretSettings = Map.copyOf(secretSettings);
        this.settings = Map.copyOf(settings);
        this.password = password;
    }

    /** Reads a connection file, resolving its secrets from the process environment. Warnings go to stderr. */
    public static ConnectionFile read(Path file) {
        return read(file, System::getenv, System.err);
    }

    /**
     * Reads a connection file.
     *
     * @param env      looks up environment variables
     * @param warnings where warnings (inline secrets) are printed
     */
    public static ConnectionFile read(Path file, Function<String, String> env, PrintStream warnings) {
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
            throw new InvalidInputException("connection", "cannot read connection file " + file + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("connection", "connection file " + file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new InvalidInputException("connection", "cannot read connection file " + file);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("connection", "connection file " + file + " must hold a JSON object");
        }
        JsonNode p = root.get("provider");
        if (p == null || !p.isTextual() || p.asText().isBlank()) {
            throw new InvalidInputException("provider", "connection file " + file
                    + " must name the \"provider\" (e.g. \"caldav\")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!RESERVED.contains(e.getKey()) && !SECRET_SETTINGS.contains(e.getKey())) {
                settings.put(e.getKey(), scalar(e.getKey(), e.getValue()));
            }
        }
        JsonNode extra = root.get("settings");
        if (extra != null) {
            if (!extra.isObject()) {
                throw new InvalidInputException("settings", "\"settings\" must be a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                settings.put(e.getKey(), scalar(e.getKey(), e.getValue()));
            }
        }
        Secret password = null;
        JsonNode pw = root.get("password");
        if (pw != null && !pw.isNull()) {
            password = secret("password", pw, file, env, warnings);
        }
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String name : SECRET_SETTINGS) {
            JsonNode v = root.get(name);
            if (v != null && !v.isNull()) {
                secrets.put(name, secret(name, v, file, env, warnings));
            }
        }
        return new ConnectionFile(p.asText().strip(), settings, password, secrets);
    }

    private static String scalar(String name, JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean() || v.isNumber()) {
            return v.asText();
        }
        throw new InvalidInputException(name, "setting \"" + name + "\" must be a string, number or boolean");
    }

    private static Secret secret(String name, JsonNode node, Path file, Function<String, String> env,
                                 PrintStream warnings) {
        if (!node.isObject() || node.size() != 1) {
            throw new InvalidInputException(name, "\"" + name + "\" must be {\"env\": \"NAME\"}, {\"file\": \"path\"} "
                    + "or {\"value\": \"...\"}");
        }
        if (node.hasNonNull("env")) {
            String var = node.get("env").asText();
            String v = env.apply(var);
            if (v == null || v.isEmpty()) {
                throw new InvalidInputException(name, "the environment variable " + var + " named for \"" + name
                        + "\" is not set");
            }
            return Secret.of(v);
        }
        if (node.hasNonNull("file")) {
            Path f = Path.of(node.get("file").asText());
            if (!f.isAbsolute() && file.toAbsolutePath().getParent() != null) {
                f = file.toAbsolutePath().getParent().resolve(f);
            }
            try {
                String v = Files.readString(f, StandardCharsets.UTF_8);
                v = v.endsWith("\r\n") ? v.substring(0, v.length() - 2) : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
                if (v.isEmpty()) {
                    throw new InvalidInputException(name, "the file named for \"" + name + "\" is empty: " + f);
                }
                return Secret.of(v);
            } catch (IOException e) {
                throw new InvalidInputException(name, "cannot read the file named for \"" + name + "\": " + f);
            }
        }
        if (node.hasNonNull("value")) {
            warnings.println("warning: the connection file holds the " + name + " inline; prefer {\"env\": ...} or "
                    + "{\"file\": ...} so the secret is not stored next to the settings");
            return Secret.of(node.get("value").asText());
        }
        throw new InvalidInputException(name, "\"" + name + "\" must be {\"env\": \"NAME\"}, {\"file\": \"path\"} "
                + "or {\"value\": \"...\"}");
    }

    public String provider() {
        return provider;
    }

    /** The provider settings (never the password). */
    public Map<String, String> settings() {
        return settings;
    }

    /** The credentials: a user name plus password, or none. */
    public Credentials credentials() {
        if (password == null) {
            return null;
        }
        String user = settings.get("username");
        if (user == null || user.isBlank()) {
            throw new InvalidInputException("username", "the connection file has a password but no \"username\"");
        }
        return PasswordCredentials.of(user, password);
    }

    /** The {@link ConnectionConfig} this file describes. */
    public ConnectionConfig toConfig() {
        ConnectionConfig.Builder b = ConnectionConfig.builder(provider).settings(settings).credentials(credentials());
        secretSettings.forEach((name, value) -> b.setting(name, value.reveal()));
        return b.build();
    }

    @Override
    public String toString() {
        return "ConnectionFile[provider=" + provider + ", settings=" + settings.keySet() + ", password="
                + (password == null ? "none" : "****") + (secretSettings.isEmpty() ? "" : ", secrets="
                + secretSettings.keySet()) + "]";
    }
}
