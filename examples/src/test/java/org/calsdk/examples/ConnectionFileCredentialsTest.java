package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.calsdk.api.ConnectionFile;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.ServiceAccountCredentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every secret-valued field of a connection file comes from the environment or a file (issue 11 item 4). */
class ConnectionFileCredentialsTest {
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    private ConnectionFile read(String json, Map<String, String> env) throws Exception {
        Path f = dir.resolve("conn.json");
        Files.writeString(f, json);
        return ConnectionFile.read(f, env::get, new PrintStream(warnings, true, StandardCharsets.UTF_8)::println);
    }

    @Test
    void aServiceAccountKeyFromAFileWithTheSubjectToActAs() throws Exception {
        Files.writeString(dir.resolve("sa.json"), "{\"type\": \"service_account\"}\n");
        ConnectionFile cf = read(
                "{\"provider\": \"google\", \"serviceAccountKey\": {\"file\": \"sa.json\"},"
                        + " \"subject\": \"alice@example.com\"}",
                Map.of());
        ServiceAccountCredentials c = (ServiceAccountCredentials) cf.credentials();
        assertThat(c.key().reveal()).isEqualTo("{\"type\": \"service_account\"}");
        assertThat(c.subject()).isEqualTo(Mailbox.of("alice@example.com"));
        assertThat(cf.settings()).doesNotContainKey("serviceAccountKey");
        assertThat(cf.toString()).contains("serviceAccountKey").doesNotContain("service_account");
    }

    @Test
    void aClientSecretFromTheEnvironmentOrACertificateAndKeyFromFiles() throws Exception {
        ClientCredentials secret = (ClientCredentials) read(
                        "{\"provider\": \"graph\", \"tenant\": \"contoso\","
                                + " \"clientId\": \"app\", \"clientSecret\": {\"env\": \"GRAPH_SECRET\"}}",
                        Map.of("GRAPH_SECRET", "s3"))
                .credentials();
        assertThat(secret.clientSecret().reveal()).isEqualTo("s3");
        assertThat(secret.tenant()).isEqualTo("contoso");
        Files.writeString(dir.resolve("cert.pem"), CERT);
        Files.writeString(dir.resolve("key.pem"), KEY);
        ClientCredentials cert = (ClientCredentials) read(
                        "{\"provider\": \"graph\", \"tenant\": \"contoso\","
                                + " \"clientId\": \"app\", \"certificate\": {\"file\": \"cert.pem\"}, \"privateKey\": {\"file\": \"key.pem\"}}",
                        Map.of())
                .credentials();
        assertThat(cert.certificate().certificatePem()).contains("BEGIN CERTIFICATE");
        assertThat(cert.kind()).isEqualTo("client-certificate");
        assertThat(cert.toString()).doesNotContain("MIIE");
    }

    @Test
    void aUsersRefreshTokenWithItsClient() throws Exception {
        RefreshTokenCredentials c = (RefreshTokenCredentials) read(
                        "{\"provider\": \"google\", \"clientId\": \"app\","
                                + " \"clientSecret\": {\"env\": \"CS\"}, \"refreshToken\": {\"env\": \"RT\"}, \"mailbox\": \"bob@example.com\"}",
                        Map.of("CS", "cs", "RT", "rt"))
                .credentials();
        assertThat(c.refreshToken().reveal()).isEqualTo("rt");
        assertThat(c.clientSecret().reveal()).isEqualTo("cs");
        assertThat(c.user()).isEqualTo(Mailbox.of("bob@example.com"));
        assertThat(c.tokenEndpoint()).isNull();
    }

    @Test
    void secretFieldsMustBeReferencesAndOfOneKind() throws Exception {
        assertThatThrownBy(() -> read("{\"provider\": \"graph\", \"clientSecret\": \"inline\"}", Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("env");
        assertThatThrownBy(() -> read(
                                "{\"provider\": \"x\", \"username\": \"a\", \"password\": {\"value\": \"p\"},"
                                        + " \"serviceAccountKey\": {\"value\": \"k\"}}",
                                Map.of())
                        .credentials())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than one kind");
        assertThatThrownBy(() -> read(
                                "{\"provider\": \"graph\", \"clientId\": \"app\","
                                        + " \"clientSecret\": {\"value\": \"s\"}}",
                                Map.of())
                        .credentials())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tenant");
        assertThatThrownBy(() -> read(
                                "{\"provider\": \"graph\", \"tenant\": \"t\", \"clientId\": \"app\","
                                        + " \"privateKey\": {\"value\": \"" + KEY.replace("\n", "\\n") + "\"}}",
                                Map.of())
                        .credentials())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("certificate");
    }
}
