package org.calsdk.sync.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code calsdkprobe:}) that is the plain disk, except that it remembers the channels a
 * checking open makes on this thread, so they can be closed when the open fails. H2 2.3 leaves the file
 * open and locked when its SQL layer fails to open a damaged file read-only (the storage is opened, then
 * the constructor that would own it throws); every later open in the same JVM then reads "in use".
 */
public final class ProbeFilePath extends FilePathWrapper {
    static final String SCHEME = "calsdkprobe";

    private static final ThreadLocal<List<FileChannel>> OPENED = new ThreadLocal<>();

    static {
        FilePath.register(new ProbeFilePath());
    }

    /** Registered with H2 once; H2 makes further instances through the public no-argument constructor. */
    public ProbeFilePath() {}

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel channel = getBase().open(mode);
        List<FileChannel> opened = OPENED.get();
        if (opened != null) {
            opened.add(channel);
        }
        return channel;
    }

    /** Starts remembering the channels opened on this thread (and, on first use, registers the scheme). */
    static void begin() {
        OPENED.set(new ArrayList<>());
    }

    /** Stops remembering; with {@code closeThem}, closes what was opened since {@link #begin()}. */
    static void end(boolean closeThem) {
        List<FileChannel> opened = OPENED.get();
        OPENED.remove();
        if (closeThem && opened != null) {
            for (FileChannel c : opened) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // the open already failed; releasing its file is best effort
                }
            }
        }
    }
}
