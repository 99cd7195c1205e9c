package org.calsdk.caldav.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 6764 SRV/TXT lookup through JNDI, against a tiny DNS responder on loopback. */
class SrvLookupTest {
    private DatagramSocket socket;
    private Thread responder;

    /** Answers SRV and TXT questions for names in the map (value: "priority weight port target" or TXT text). */
    private void serve(Map<String, String> srv, Map<String, String> txt) throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        responder = new Thread(
                () -> {
                    byte[] buf = new byte[512];
                    while (!socket.isClosed()) {
                        try {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            socket.receive(p);
                            byte[] answer = answer(p.getData(), p.getLength(), srv, txt);
                            socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                        } catch (Exception e) {
                            return;
                        }
                    }
                },
                "test-dns");
        responder.setDaemon(true);
        responder.start();
    }

    private static byte[] answer(byte[] q, int len, Map<String, String> srv, Map<String, String> txt) {
        int i = 12;
        StringBuilder name = new StringBuilder();
        while (q[i] != 0) {
            int l = q[i] & 0xff;
            name.append(name.length() == 0 ? "" : ".").append(new String(q, i + 1, l, StandardCharsets.US_ASCII));
            i += l + 1;
        }
        i++;
        int qtype = ((q[i] & 0xff) << 8) | (q[i + 1] & 0xff);
        int questionEnd = i + 4;
        String key = name.toString().toLowerCase();
        byte[] rdata = null;
        if (qtype == 33 && srv.containsKey(key)) {
            String[] f = srv.get(key).split(" ");
            ByteArrayOutputStream r = new ByteArrayOutputStream();
            for (int k = 0; k < 3; k++) {
                int v = Integer.parseInt(f[k]);
                r.write(v >> 8);
                r.write(v);
            }
            writeName(r, f[3]);
            rdata = r.toByteArray();
        } else if (qtype == 16 && txt.containsKey(key)) {
            byte[] t = txt.get(key).getBytes(StandardCharsets.US_ASCII);
            rdata = new byte[t.length + 1];
            rdata[0] = (byte) t.length;
            System.arraycopy(t, 0, rdata, 1, t.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        out.write(0x81);
        out.write(rdata == null ? 0x83 : 0x80); // NXDOMAIN when there is nothing
        out.write(0);
        out.write(1);
        out.write(0);
        out.write(rdata == null ? 0 : 1);
        out.write(new byte[4], 0, 4);
        out.write(q, 12, questionEnd - 12);
        if (rdata != null) {
            out.write(0xc0);
            out.write(12);
            out.write(qtype >> 8);
            out.write(qtype);
            out.write(0);
            out.write(1);
            out.write(new byte[] {0, 0, 0, 60}, 0, 4);
            out.write(rdata.length >> 8);
            out.write(rdata.length);
            out.write(rdata, 0, rdata.length);
        }
        return out.toByteArray();
    }

    private static void writeName(ByteArrayOutputStream r, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                r.write(label.length());
                r.write(label.getBytes(StandardCharsets.US_ASCII), 0, label.length());
            }
        }
        r.write(0);
    }

    private String dns() {
        return "dns://127.0.0.1:" + socket.getLocalPort();
    }

    @BeforeEach
    void none() {
        socket = null;
    }

    @AfterEach
    void stop() {
        if (socket != null) {
            socket.close();
        }
    }

    @Test
    void srvAndTxtPathGiveTheStartUrl() throws Exception {
        serve(
                Map.of("_caldavs._tcp.example.test", "10 0 8443 dav.example.test."),
                Map.of("_caldavs._tcp.example.test", "path=/caldav/"));
        assertThat(Discovery.srvLookup("example.test", dns()))
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("https://dav.example.test:8443/caldav/"));
    }

    @Test
    void withoutTxtTheWellKnownPathIsUsed() throws Exception {
        serve(Map.of("_caldavs._tcp.example.test", "0 0 443 caldav.example.test."), Map.of());
        assertThat(Discovery.srvLookup("example.test", dns()))
                .hasValueSatisfying(
                        u -> assertThat(u.toString()).isEqualTo("https://caldav.example.test/.well-known/caldav"));
    }

    @Test
    void noRecordMeansEmpty() throws Exception {
        serve(Map.of(), Map.of());
        assertThat(Discovery.srvLookup("example.test", dns())).isEmpty();
    }

    @Test
    void aTargetOfDotMeansTheServiceIsNotOffered() throws Exception {
        serve(Map.of("_caldavs._tcp.example.test", "0 0 0 ."), Map.of());
        assertThat(Discovery.srvLookup("example.test", dns())).isEmpty();
    }

    @Test
    void aTargetOutsideTheDomainIsIgnored() throws Exception {
        serve(Map.of("_caldavs._tcp.example.test", "0 0 443 collect.evil.test."), Map.of());
        assertThat(Discovery.srvLookup("example.test", dns())).isEmpty();
    }
}
