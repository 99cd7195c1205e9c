package org.calsdk.testkit.ews;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The fake's side of an NTLM handshake, message framing only (MS-NLMP 2.2.1): it recognises a Type 1
 * (NEGOTIATE) message, answers with a Type 2 (CHALLENGE) message offering NTLMv2 (target information
 * present), and reads the fields of the client's Type 3 (AUTHENTICATE) message with every security buffer
 * bounds-checked. It computes no NTLM cryptography, so it cannot check the password: it checks that the
 * answer is well formed, names a known account and carries an NTLMv2 response (longer than the 24 bytes of
 * the old NTLMv1 one).
 */
final class NtlmMessages {
    private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
    private static final int UNICODE = 0x1;
    private static final int REQUEST_TARGET = 0x4;
    private static final int NTLM = 0x200;
    private static final int ALWAYS_SIGN = 0x8000;
    private static final int TARGET_TYPE_DOMAIN = 0x10000;
    private static final int EXTENDED_SESSION_SECURITY = 0x80000;
    private static final int TARGET_INFO = 0x800000;
    private static final int N128 = 0x20000000;
    private static final int N56 = 0x80000000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a Type 3 message says. */
    record Authenticate(String domain, String user, String workstation, int ntResponseLength) {}

    private NtlmMessages() {}

    /** The message type (1, 2 or 3), or -1 when {@code m} is no NTLM message. */
    static int type(byte[] m) {
        if (m.length < 12 || !Arrays.equals(Arrays.copyOf(m, 8), SIGNATURE)) {
            return -1;
        }
        return ByteBuffer.wrap(m, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** A CHALLENGE message for domain {@code domain}, with a fresh 8-byte server challenge. */
    static byte[] challenge(String domain) {
        byte[] target = domain.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer info = ByteBuffer.allocate(4 + target.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        info.putShort((short) 2).putShort((short) target.length).put(target); // MsvAvNbDomainName
        info.putShort((short) 0).putShort((short) 0); // MsvAvEOL
        byte[] serverChallenge = new byte[8];
        RANDOM.nextBytes(serverChallenge);
        int header = 48;
        ByteBuffer b =
                ByteBuffer.allocate(header + target.length + info.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE).putInt(2);
        b.putShort((short) target.length).putShort((short) target.length).putInt(header);
        b.putInt(UNICODE
                | REQUEST_TARGET
                | NTLM
                | ALWAYS_SIGN
                | TARGET_TYPE_DOMAIN
                | EXTENDED_SESSION_SECURITY
                | TARGET_INFO
                | N128
                | N56);
        b.put(serverChallenge).putLong(0);
        b.putShort((short) info.capacity()).putShort((short) info.capacity()).putInt(header + target.length);
        b.put(target).put(info.array());
        return b.array();
    }

    /** The fields of an AUTHENTICATE message; throws IllegalArgumentException when it is malformed. */
    static Authenticate authenticate(byte[] m) {
        if (type(m) != 3 || m.length < 64) {
            throw new IllegalArgumentException("not an NTLM Type 3 message");
        }
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        int flags = b.getInt(60);
        boolean unicode = (flags & UNICODE) != 0;
        byte[] nt = field(m, b, 20);
        return new Authenticate(
                text(field(m, b, 28), unicode),
                text(field(m, b, 36), unicode),
                text(field(m, b, 44), unicode),
                nt.length);
    }

    private static byte[] field(byte[] m, ByteBuffer b, int at) {
        int len = Short.toUnsignedInt(b.getShort(at));
        long offset = Integer.toUnsignedLong(b.getInt(at + 4));
        if (offset + len > m.length) {
            throw new IllegalArgumentException("an NTLM security buffer points outside the message");
        }
        return Arrays.copyOfRange(m, (int) offset, (int) offset + len);
    }

    private static String text(byte[] f, boolean unicode) {
        return new String(f, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.US_ASCII);
    }
}
