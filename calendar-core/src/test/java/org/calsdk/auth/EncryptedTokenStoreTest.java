package org.calsdk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedTokenStoreTest {
    private final byte[] key = EncryptedTokenStore.newKey();
    private final Map<String, byte[]> records = new HashMap<>();
    private final EncryptedTokenStore store =
            EncryptedTokenStore.builder().key(key).records(records).build();

    @Test
    void roundTripsSecretsAndKeepsOnlyCiphertext() {
        store.store("conn-1/refresh_token", Secret.of("1//refresh-token-ünïcode"));
        store.store("conn-1/password", Secret.of("app-password"));

        assertThat(store.load("conn-1/refresh_token")).contains(Secret.of("1//refresh-token-ünïcode"));
        assertThat(store.load("conn-1/password").map(Secret::reveal)).contains("app-password");
        assertThat(store.load("conn-2/password")).isEmpty();
        assertThat(new String(records.get("conn-1/password"), StandardCharsets.ISO_8859_1))
                .doesNotContain("app-password");
        assertThat(store.delete("conn-1/password")).isTrue();
        assertThat(store.delete("conn-1/password")).isFalse();
        assertThat(store.load("conn-1/password")).isEmpty();
    }

    @Test
    void sameSecretEncryptsDifferentlyEachTime() {
        store.store("a", Secret.of("same"));
        byte[] first = records.get("a");
        store.store("a", Secret.of("same"));

        assertThat(records.get("a")).isNotEqualTo(first);
    }

    @Test
    void wrongKeyGivesAClearError() {
        store.store("conn-1/refresh_token", Secret.of("rt"));
        EncryptedTokenStore other = EncryptedTokenStore.builder()
                .key(EncryptedTokenStore.newKey())
                .records(records)
                .build();

        assertThatThrownBy(() -> other.load("conn-1/refresh_token"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).contains("key");
                    assertThat(e.getMessage()).contains("key is wrong");
                });
    }

    @Test
    void tamperedCiphertextIsRejected() {
        store.store("conn-1/refresh_token", Secret.of("rt"));
        byte[] r = records.get("conn-1/refresh_token");
        r[r.length - 3] ^= 0x01;

        assertThatThrownBy(() -> store.load("conn-1/refresh_token"))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("tampered");
    }

    @Test
    void truncatedRecordIsRejected() {
        records.put("x", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> store.load("x")).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void swappedRecordsAreRejected() {
        store.store("alice/refresh_token", Secret.of("alice-rt"));
        store.store("mallory/refresh_token", Secret.of("mallory-rt"));
        byte[] alice = records.get("alice/refresh_token");
        records.put("alice/refresh_token", records.get("mallory/refresh_token"));
        records.put("mallory/refresh_token", alice);

        assertThatThrownBy(() -> store.load("mallory/refresh_token")).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> store.load("alice/refresh_token")).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void keyMustBe32Bytes() {
        assertThatThrownBy(() -> EncryptedTokenStore.builder().key(new byte[16]))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).contains("key"));
        assertThatThrownBy(() -> EncryptedTokenStore.builder().build()).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void passphraseDerivedKeyReadsWhatTheSamePassphraseWrote() {
        byte[] salt = EncryptedTokenStore.newSalt();
        EncryptedTokenStore a = EncryptedTokenStore.builder()
                .passphrase("correct horse".toCharArray(), salt)
                .records(records)
                .build();
        a.store("n", Secret.of("v"));

        EncryptedTokenStore b = EncryptedTokenStore.builder()
                .passphrase("correct horse".toCharArray(), salt)
                .records(records)
                .build();
        EncryptedTokenStore wrong = EncryptedTokenStore.builder()
                .passphrase("battery staple".toCharArray(), salt)
                .records(records)
                .build();

        assertThat(b.load("n")).contains(Secret.of("v"));
        assertThatThrownBy(() -> wrong.load("n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key is wrong");
    }

    @Test
    void fileBackedStoreSurvivesReopeningWithOwnerOnlyPermissions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/tokens");
        EncryptedTokenStore s1 =
                EncryptedTokenStore.builder().key(key).file(file).build();
        s1.store("conn-1/refresh_token", Secret.of("rt-value"));
        s1.store("conn-2/password", Secret.of("pw-value"));
        s1.delete("conn-2/password");

        EncryptedTokenStore s2 =
                EncryptedTokenStore.builder().key(key).file(file).build();
        assertThat(s2.load("conn-1/refresh_token")).contains(Secret.of("rt-value"));
        assertThat(s2.load("conn-2/password")).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("rt-value").doesNotContain("conn-1");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary files left behind").containsExactly(file);
        }
        assertThatThrownBy(() -> EncryptedTokenStore.builder()
                        .key(EncryptedTokenStore.newKey())
                        .file(file)
                        .build()
                        .load("conn-1/refresh_token"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void damagedFileIsReportedAsMalformed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "not a record line\n");

        assertThatThrownBy(() -> EncryptedTokenStore.builder()
                        .key(key)
                        .file(file)
                        .build()
                        .load("x"))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void toStringShowsNeitherKeyNorSecrets() {
        store.store("n", Secret.of("super-secret"));
        InMemoryTokenStore mem = new InMemoryTokenStore();
        mem.store("n", Secret.of("super-secret"));

        assertThat(store + " " + mem).doesNotContain("super-secret");
        assertThat(store.toString()).contains("key=****");
    }

    @Test
    void badNamesAreRejected() {
        assertThatThrownBy(() -> store.store(" ", Secret.of("x"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.store("a\nb", Secret.of("x"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.store(null, Secret.of("x")))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name == null");
        assertThat(TokenStore.name("conn-1", "refresh_token")).isEqualTo("conn-1/refresh_token");
    }
}
