package org.calsdk.ews.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EwsResponseClassifierSearchTest {
    private static final byte[] BUSY = "ErrorServerBusy".getBytes(StandardCharsets.US_ASCII);

    @Property(tries = 2000)
    void findsTheFirstOccurrenceLikeStringIndexOf(@ForAll("bodies") String body) {
        byte[] hay = body.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(EwsResponseClassifier.indexOf(hay, BUSY)).isEqualTo(body.indexOf("ErrorServerBusy"));
        byte[] other = "ResponseClass=\"Error\"".getBytes(StandardCharsets.US_ASCII);
        assertThat(EwsResponseClassifier.indexOf(hay, other)).isEqualTo(body.indexOf("ResponseClass=\"Error\""));
    }

    @Provide
    Arbitrary<String> bodies() {
        // pieces that look like the needle, so near misses and overlaps are common
        Arbitrary<String> piece = Arbitraries.of(
                "Error",
                "Server",
                "Busy",
                "ErrorServerBusy",
                "ErrorServerBus",
                "rServerBusy",
                "<m:ResponseCode>",
                "ResponseClass=\"Error\"",
                "ResponseClass=\"Err",
                "x",
                "yy",
                "\u00e9",
                "EErrorServerBusy");
        return piece.list().ofMaxSize(40).map(l -> String.join("", l));
    }
}
