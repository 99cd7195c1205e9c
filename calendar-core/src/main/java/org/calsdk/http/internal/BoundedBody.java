package org.calsdk.http.internal;

import java.io.IOException;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/** Reads a response body completely, refusing bodies above a size limit instead of exhausting memory. */
public final class BoundedBody {
    private BoundedBody() {}

    /** Thrown when the body is larger than allowed. */
    public static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        private final long limit;

        TooLargeException(long limit) {
            super("response body larger than " + limit + " bytes", null, false, false);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * At most the first {@code maxBytes} bytes of the body; the rest is not read (closing the response
     * drops it). For error bodies, which are kept for classification but never worth much memory.
     *
     * @throws IOException when the connection fails before {@code maxBytes} or the end
     */
    public static byte[] readPrefix(ResponseBody body, long maxBytes) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (buffer.size() < maxBytes) {
            long read = source.read(buffer, Math.min(8192, maxBytes - buffer.size()));
            if (read == -1) {
                break;
            }
        }
        return buffer.readByteArray();
    }

    /**
     * The whole body.
     *
     * @throws IOException        when the connection fails or the body is truncated
     * @throws TooLargeException  when the body has more than {@code maxBytes} bytes
     */
    public static byte[] read(ResponseBody body, long maxBytes) throws IOException, TooLargeException {
        if (body == null) {
            return new byte[0];
        }
        long declared = body.contentLength();
        if (declared > maxBytes) {
            throw new TooLargeException(maxBytes);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (true) {
            long read = source.read(buffer, 8192);
            if (read == -1) {
                break;
            }
            if (buffer.size() > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
        }
        return buffer.readByteArray();
    }
}
