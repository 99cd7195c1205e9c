package org.calsdk.auth.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.errors.MalformedDataException;

/**
 * Records in one file, one {@code base64url(name) base64(record)} line each. Every change rewrites a
 * temporary file (mode 0600 where the file system is POSIX), forces it to disk and moves it over the old
 * one atomically, so a crash leaves either the old or the new file, never half of one. Safe across
 * threads of one process; not across processes writing the same file.
 */
public final class FileBacking implements RecordBacking {
    private static final String HEADER = "# calsdk encrypted token store v1";
    private static final Base64.Encoder NAME_ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder NAME_DEC = Base64.getUrlDecoder();

    private final Path file;

    public FileBacking(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized byte[] get(String name) {
        return read().get(name);
    }

    @Override
    public synchronized void put(String name, byte[] record) {
        Map<String, byte[]> all = read();
        all.put(name, record.clone());
        write(all);
    }

    @Override
    public synchronized boolean remove(String name) {
        Map<String, byte[]> all = read();
        boolean had = all.remove(name) != null;
        if (had) {
            write(all);
        }
        return had;
    }

    private Map<String, byte[]> read() {
        Map<String, byte[]> all = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return all;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token store " + file, e);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            try {
                if (space < 0) {
                    throw new IllegalArgumentException("no separator");
                }
                String name = new String(NAME_DEC.decode(line.substring(0, space)), StandardCharsets.UTF_8);
                all.put(name, Base64.getDecoder().decode(line.substring(space + 1)));
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException("token store " + file + " line " + n
                        + " is not a valid record; the file was edited or damaged");
            }
        }
        return all;
    }

    private void write(Map<String, byte[]> all) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        all.forEach((name, record) -> sb.append(NAME_ENC.encodeToString(name.getBytes(StandardCharsets.UTF_8)))
                .append(' ')
                .append(Base64.getEncoder().encodeToString(record))
                .append('\n'));
        Path dir = file.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            boolean posix =
                    FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            tmp = posix
                    ? Files.createTempFile(
                            dir,
                            ".tokens",
                            ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".tokens", ".tmp");
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write token store " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file holds only ciphertext
                }
            }
        }
    }
}
