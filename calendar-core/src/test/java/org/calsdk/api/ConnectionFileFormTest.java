package org.calsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.spi.ConnectionFileForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConnectionFile#toConfig()} asks the {@link ConnectionFileForm} a provider module registers (here a
 * test form registered in this module's test resources) and falls back to {@link ConnectionFile#defaultConfig()}.
 */
class ConnectionFileFormTest {
    /** Registered through META-INF/services in the test resources: the "upper" provider wants its host upper-cased. */
    public static final class UpperCaseHostForm implements ConnectionFileForm {
        @Override
        public String providerId() {
            return "upper";
        }

        @Override
        public ConnectionConfig toConfig(ConnectionFile file) {
            Map<String, String> settings = new LinkedHashMap<>(file.settings());
            settings.computeIfPresent("host", (k, v) -> v.toUpperCase(java.util.Locale.ROOT));
            settings.computeIfPresent("keyFile", (k, v) -> file.resolve(v).toString());
            return ConnectionConfig.builder(file.provider())
                    .settings(settings)
                    .credentials(file.credentials(settings))
                    .build();
        }
    }

    @TempDir
    Path dir;

    private ConnectionFile read(String json, Map<String, String> env, List<String> warnings) throws Exception {
        Path f = dir.resolve("conn.json");
        Files.writeString(f, json);
        return ConnectionFile.read(f, env::get, warnings::add);
    }

    @Test
    void aRegisteredFormBuildsItsProvidersConfigAndOthersGetTheDefault() throws Exception {
        List<String> warnings = new ArrayList<>();
        ConnectionFile upper = read(
                "{\"provider\": \"upper\", \"host\": \"example.com\", \"keyFile\": \"k.pem\", "
                        + "\"username\": \"alice\", \"password\": {\"env\": \"PW\"}}",
                Map.of("PW", "s3cret"),
                warnings);
        ConnectionConfig c = upper.toConfig();
        assertThat(c.setting("host")).hasValue("EXAMPLE.COM");
        assertThat(c.setting("keyFile")).hasValue(dir.resolve("k.pem").toString());
        assertThat(c.credentials()).get().isInstanceOf(PasswordCredentials.class);
        assertThat(upper.defaultConfig().setting("host")).hasValue("example.com");

        ConnectionFile other = read("{\"provider\": \"plain\", \"host\": \"example.com\"}", Map.of(), warnings);
        assertThat(other.toConfig().setting("host")).hasValue("example.com");
        assertThat(other.toConfig().credentials()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void secretsComeFromEnvOrFileAndNeverShowInToStringOrMessages() throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "from-file\n");
        List<String> warnings = new ArrayList<>();
        ConnectionFile f = read(
                "{\"provider\": \"plain\", \"username\": \"alice\", \"password\": {\"file\": \"pw.txt\"}}",
                Map.of(),
                warnings);
        assertThat(f.secret("password")).get().extracting(s -> s.reveal()).isEqualTo("from-file");
        assertThat(f.toString()).contains("password").doesNotContain("from-file");
        ConnectionFile inline = read(
                "{\"provider\": \"plain\", \"username\": \"a\", \"password\": {\"value\": \"inl1ne\"}}",
                Map.of(),
                warnings);
        assertThat(inline.credentials()).isNotNull();
        assertThat(warnings)
                .hasSize(1)
                .allSatisfy(w -> assertThat(w).contains("inline").doesNotContain("inl1ne"));
        assertThatThrownBy(() -> read(
                        "{\"provider\": \"plain\", \"username\": \"a\", \"password\": {\"env\": \"NOPE\"}}",
                        Map.of(),
                        warnings))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("NOPE");
    }
}
