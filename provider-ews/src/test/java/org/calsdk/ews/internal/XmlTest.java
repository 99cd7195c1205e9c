package org.calsdk.ews.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.junit.jupiter.api.Test;

/** The EWS provider's XML reader refuses what could make it read files, call out or blow up. */
class XmlTest {
    private static final ErrorContext CTX = ErrorContext.of("ews");

    private static Xml.Node parse(String s) {
        return Xml.parse(s.getBytes(StandardCharsets.UTF_8), 64 * 1024, CTX);
    }

    @Test
    void readsNamespacesAttributesAndText() {
        Xml.Node n = parse(
                "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><m:X xmlns:m=\"urn:m\" "
                        + "A=\"1 &amp; 2\"><m:T> a &lt; b </m:T></m:X></s:Body></s:Envelope>");
        assertThat(n.ns()).isEqualTo("http://schemas.xmlsoap.org/soap/envelope/");
        Xml.Node x = n.path("Body", "X").orElseThrow();
        assertThat(x.attrs()).containsEntry("A", "1 & 2");
        assertThat(x.text("T")).hasValue("a < b");
    }

    @Test
    void refusesAnExternalEntity() {
        assertThatThrownBy(
                        () -> parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                                + "<r>&xxe;</r>"))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageNotContaining("root:");
    }

    @Test
    void refusesAnyDocumentTypeDeclaration() {
        assertThatThrownBy(() -> parse("<!DOCTYPE r SYSTEM \"http://169.254.169.254/latest/meta-data\"><r/>"))
                .isInstanceOf(MalformedDataException.class);
    }

    @Test
    void refusesBillionLaughs() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol")
                    .append(i)
                    .append(" \"")
                    .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        dtd.append("]>");
        assertThatThrownBy(() -> parse(dtd + "<lolz>&lol9;</lolz>")).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void refusesAnUndeclaredEntityReference() {
        assertThatThrownBy(() -> parse("<r>&undeclared;</r>")).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void refusesAnOversizedBodyBeforeParsing() {
        byte[] big = ("<r>" + "x".repeat(70 * 1024) + "</r>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Xml.parse(big, 64 * 1024, CTX))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("more than");
    }

    @Test
    void refusesDeepNesting() {
        String deep = "<a>".repeat(Xml.MAX_DEPTH + 1) + "</a>".repeat(Xml.MAX_DEPTH + 1);
        assertThatThrownBy(() -> parse(deep))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("deeper");
    }

    @Test
    void refusesBrokenAndEmptyXml() {
        assertThatThrownBy(() -> parse("<r><unclosed></r>")).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> Xml.parse(new byte[0], 1024, CTX)).isInstanceOf(MalformedDataException.class);
    }
}
