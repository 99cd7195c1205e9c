package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.errors.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionFileTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    private ConnectionFile read(String json, Map<String, String> env) throws Exception {
        Path f = dir.resolve("conn.json");
        Files.writeString(f, json);
        return ConnectionFile.read(f, env::get, new PrintStream(warnings, true, StandardCharsets.UTF_8)::println);
    }

    @Test
    void passwordFromEnvironmentBecomesPasswordCredentials() throws Exception {
        ConnectionFile cf = read(
                "{\"provider\": \"caldav\", \"url\": \"http://127.0.0.1:5232/\", \"username\": \"alice\","
                        + " \"password\": {\"env\": \"CALDAV_PASSWORD\"}, \"allowPrivateNetwork\": true}",
                Map.of("CALDAV_PASSWORD", "s3cret"));
        ConnectionConfig cfg = cf.toConfig();
        assertThat(cfg.provider()).isEqualTo("caldav");
        assertThat(cfg.settings())
                .containsEntry("url", "http://127.0.0.1:5232/")
                .containsEntry("username", "alice")
                .containsEntry("allowPrivateNetwork", "true")
                .doesNotContainKey("password");
        PasswordCredentials p = (PasswordCredentials) cfg.credentials().orElseThrow();
        assertThat(p.password().reveal()).isEqualTo("s3cret");
        assertThat(cf.toString()).doesNotContain("s3cret");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void passwordFromFileRelativeToTheConnectionFile() throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "from-file\n");
        ConnectionFile cf = read(
                "{\"provider\": \"caldav\", \"username\": \"alice\", \"password\": {\"file\": \"pw.txt\"}}", Map.of());
        assertThat(((PasswordCredentials) cf.credentials()).password().reveal()).isEqualTo("from-file");
    }

    @Test
    void inlinePasswordWorksButWarns() throws Exception {
        ConnectionFile cf = read(
                "{\"provider\": \"caldav\", \"username\": \"alice\", \"password\": {\"value\": \"inline\"}}", Map.of());
        assertThat(((PasswordCredentials) cf.credentials()).password().reveal()).isEqualTo("inline");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("inline").doesNotContain("\"inline\"");
    }

    @Test
    void extraSettingsPassThroughForOtherProviders() throws Exception {
        ConnectionFile cf = read(
                "{\"provider\": \"graph\", \"tenant\": \"t1\", \"settings\": {\"region\": \"eu\", \"n\": 3}}",
                Map.of());
        assertThat(cf.settings())
                .containsEntry("tenant", "t1")
                .containsEntry("region", "eu")
                .containsEntry("n", "3");
        assertThat(cf.credentials()).isNull();
    }

    @Test
    void badFilesAreInvalidInputNamingTheField() throws Exception {
        assertThatThrownBy(() -> read("{\"url\": \"x\"}", Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("provider");
        assertThatThrownBy(() -> read("not json", Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("JSON");
        assertThatThrownBy(() -> read(
                        "{\"provider\": \"caldav\", \"username\": \"a\", \"password\": {\"env\": \"NOPE\"}}", Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("NOPE");
        assertThatThrownBy(() ->
                        read("{\"provider\": \"caldav\", \"username\": \"a\", \"password\": \"plain\"}", Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("env");
        assertThatThrownBy(() -> read("{\"provider\": \"caldav\", \"password\": {\"value\": \"x\"}}", Map.of())
                        .credentials())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("username");
        assertThatThrownBy(() -> ConnectionFile.read(dir.resolve("missing.json")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no such");
    }

    /**
     * Issue 10 §4: {@code "allowPrivateNetwork": "yes"} was silently read as false. The file keeps the value
     * as written; the typed accessor the provider reads it with refuses it, and the CLI exits 2 with one
     * line naming the setting, before any network access.
     */
    @Test
    void aWronglyTypedSettingIsAnErrorNotADefault() throws Exception {
        for (String bad : java.util.List.of(
                "\"allowPrivateNetwork\": \"yes\"",
                "\"allowPrivateNetwork\": 1",
                "\"srv\": \"no\"",
                "\"timeout\": \"soon\"")) {
            String setting = bad.substring(1, bad.indexOf('"', 1));
            ConnectionFile cf =
                    read("{\"provider\": \"caldav\", \"url\": \"https://caldav.example.com/\", " + bad + "}", Map.of());
            assertThatThrownBy(() -> new org.calsdk.caldav.CalDavProvider().connect(cf.toConfig()))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.field()).contains(setting));

            Path f = dir.resolve("bad.json");
            Files.writeString(f, "{\"provider\": \"caldav\", \"url\": \"https://caldav.example.com/\", " + bad + "}");
            PrintStream savedErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit;
            try {
                exit = CalendarCli.run("calendars", "--connection", f.toString());
            } finally {
                System.setErr(savedErr);
            }
            assertThat(exit).as(bad).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8).strip())
                    .as(bad)
                    .contains(setting)
                    .doesNotContain("\n");
        }
    }
}
