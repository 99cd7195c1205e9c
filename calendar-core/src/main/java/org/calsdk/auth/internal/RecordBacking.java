package org.calsdk.auth.internal;

/** Where {@link org.calsdk.auth.EncryptedTokenStore} keeps its encrypted records. Thread-safe. */
public interface RecordBacking {
    byte[] get(String name);

    void put(String name, byte[] record);

    boolean remove(String name);
}
