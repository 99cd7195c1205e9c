package org.calsdk.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.calsdk.auth.internal.FileBacking;
import org.calsdk.auth.internal.MapBacking;
import org.calsdk.auth.internal.RecordBacking;
import org.calsdk.auth.internal.TokenNames;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.internal.Checks;

/**
 * A {@link TokenStore} that encrypts every secret with AES-256-GCM under a key the host application
 * supplies (32 raw bytes, or derived from a passphrase and salt with PBKDF2-HMAC-SHA256). Each record has
 * its own random 12-byte IV, and its name is bound in as associated data, so a record copied under
 * another name fails to decrypt. Records live in a file (rewritten atomically, mode 0600 where supported)
 * or in a map the host application owns.
 *
 * <p>Reading with a different key fails with {@link InvalidInputException} on field {@code key} saying the
 * key is wrong; a record that was altered or moved fails with {@link MalformedDataException}. Neither
 * message contains key or secret material. Thread-safe.
 *
 * <pre>{@code
 * byte[] key = loadKeyFromYourKms();              // 32 bytes
 * TokenStore store = EncryptedTokenStore.builder()
 *     .key(key)
 *     .file(Path.of("/var/lib/myapp/calendar-tokens"))
 *     .build();
 * store.store("conn-42/refresh_token", Secret.of(refreshToken));
 * }</pre>
 *
 * @since 0.1
 */
public final class EncryptedTokenStore implements TokenStore {
    /** Size of a raw key: 32 bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    /** PBKDF2 iterations used by {@link #deriveKey(char[], byte[])}. */
    public static final int PBKDF2_ITERATIONS = 210_000;

    private static final byte VERSION = 1;
    private static final int KEY_ID_BYTES = 8;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES;

    private final SecretKeySpec key;
    private final byte[] keyId;
    private final RecordBacking backing;
    private final SecureRandom random;
    private final String description;

    private EncryptedTokenStore(Builder b) {
        this.key = new SecretKeySpec(b.key, "AES");
        this.keyId = keyId(b.key);
        this.backing = b.backing;
        this.random = b.random;
        this.description = b.description;
    }

    /**
     * A builder; give it a key and where to keep the records.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A fresh random 32-byte key, for applications that generate and keep their own key.
     *
     * @return 32 bytes from a {@link SecureRandom}; keep them secret
     */
    public static byte[] newKey() {
        byte[] k = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /**
     * A fresh random 16-byte salt for {@link #deriveKey(char[], byte[])}; keep it next to the store.
     *
     * @return 16 bytes from a {@link SecureRandom}
     */
    public static byte[] newSalt() {
        byte[] s = new byte[16];
        new SecureRandom().nextBytes(s);
        return s;
    }

    /**
     * Derives a 32-byte key from a passphrase with PBKDF2-HMAC-SHA256 ({@value #PBKDF2_ITERATIONS}
     * iterations). The salt is not secret but must be the same every time; at least 16 bytes.
     *
     * @param passphrase the passphrase; not kept
     * @param salt the salt from {@link #newSalt()}
     * @return the 32-byte key
     */
    public static byte[] deriveKey(char[] passphrase, byte[] salt) {
        Checks.notNull(passphrase, "passphrase");
        Checks.notNull(salt, "salt");
        Checks.check(passphrase.length > 0, "passphrase", "passphrase must not be empty");
        Checks.check(salt.length >= 16, "salt", "salt must be at least 16 bytes, was " + salt.length);
        try {
            KeySpec spec = new PBEKeySpec(passphrase, salt, PBKDF2_ITERATIONS, KEY_BYTES * 8);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public void store(String name, Secret secret) {
        TokenNames.check(name);
        Checks.notNull(secret, "secret");
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] plain = secret.reveal().getBytes(StandardCharsets.UTF_8);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad(name));
            byte[] sealed = c.doFinal(plain);
            ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + sealed.length);
            record.put(VERSION).put(keyId).put(iv).put(sealed);
            backing.put(name, record.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public Optional<Secret> load(String name) {
        TokenNames.check(name);
        byte[] record = backing.get(name);
        if (record == null) {
            return Optional.empty();
        }
        if (record.length < HEADER_BYTES + TAG_BITS / 8 || record[0] != VERSION) {
            throw new MalformedDataException("token store record '" + name + "' is not a valid encrypted record "
                    + "(damaged or written by something else); delete it and store the secret again");
        }
        byte[] recordKeyId = Arrays.copyOfRange(record, 1, 1 + KEY_ID_BYTES);
        if (!MessageDigest.isEqual(recordKeyId, keyId)) {
            throw new InvalidInputException(
                    "key",
                    "the token store key is wrong: record '" + name + "' was "
                            + "encrypted with a different key; supply the key (or passphrase and salt) the store was "
                            + "written with");
        }
        byte[] iv = Arrays.copyOfRange(record, 1 + KEY_ID_BYTES, HEADER_BYTES);
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad(name));
            plain = c.doFinal(record, HEADER_BYTES, record.length - HEADER_BYTES);
            return Optional.of(Secret.of(new String(plain, StandardCharsets.UTF_8)));
        } catch (AEADBadTagException e) {
            throw new MalformedDataException("token store record '" + name + "' failed authentication: it was "
                    + "tampered with or copied from another name; delete it and store the secret again");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    @Override
    public boolean delete(String name) {
        return backing.remove(TokenNames.check(name));
    }

    /** Where records are kept; never the key. */
    @Override
    public String toString() {
        return "EncryptedTokenStore[" + description + ", key=****]";
    }

    private static byte[] aad(String name) {
        return ("calsdk-token-store:v1:" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** A public, one-way fingerprint of the key that tells "wrong key" apart from "tampered record". */
    private static byte[] keyId(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(
                    mac.doFinal("calsdk-token-store-key-id".getBytes(StandardCharsets.US_ASCII)), KEY_ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Builds an {@link EncryptedTokenStore}. */
    public static final class Builder {
        private byte[] key;
        private RecordBacking backing;
        private String description;
        private SecureRandom random = new SecureRandom();

        private Builder() {}

        /**
         * The 32-byte AES-256 key (copied).
         *
         * @param key the key, exactly 32 bytes
         * @return this builder
         * @throws org.calsdk.errors.InvalidInputException if {@code key} is not 32 bytes long
         */
        public Builder key(byte[] key) {
            Checks.notNull(key, "key");
            Checks.check(
                    key.length == KEY_BYTES,
                    "key",
                    "key must be " + KEY_BYTES + " bytes (AES-256), was " + key.length + " bytes");
            this.key = key.clone();
            return this;
        }

        /**
         * A key derived from {@code passphrase} and {@code salt}; see {@link #deriveKey(char[], byte[])}.
         *
         * @param passphrase the passphrase
         * @param salt the salt
         * @return this builder
         */
        public Builder passphrase(char[] passphrase, byte[] salt) {
            this.key = deriveKey(passphrase, salt);
            return this;
        }

        /**
         * Keep records in {@code file} (created on first write).
         *
         * @param file the file
         * @return this builder
         */
        public Builder file(Path file) {
            Checks.notNull(file, "file");
            this.backing = new FileBacking(file);
            this.description = "file=" + file;
            return this;
        }

        /**
         * Keep records in {@code records}, a map the host application owns (it may persist it, for example
         * in its database). The store synchronizes on the map.
         *
         * @param records the map, not null
         * @return this builder
         */
        public Builder records(Map<String, byte[]> records) {
            this.backing = new MapBacking(Checks.notNull(records, "records"));
            this.description = "map";
            return this;
        }

        /**
         * The source of IVs; default a new {@link SecureRandom}.
         *
         * @param random the random source
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Checks.notNull(random, "random");
            return this;
        }

        /**
         * The store; keeps records in a private in-memory map when neither file nor map was given.
         *
         * @return the store
         * @throws org.calsdk.errors.InvalidInputException when no key was given
         */
        public EncryptedTokenStore build() {
            Checks.check(key != null, "key", "an EncryptedTokenStore needs a key: call key(bytes) or passphrase(...)");
            if (backing == null) {
                records(new ConcurrentHashMap<>());
                description = "memory";
            }
            return new EncryptedTokenStore(this);
        }
    }
}
