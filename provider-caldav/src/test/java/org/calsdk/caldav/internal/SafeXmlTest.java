package org.calsdk.caldav.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeXmlTest {
    private static final ErrorContext CTX = ErrorContext.of("caldav");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void externalEntityIsRefusedAndNeverRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<multistatus xmlns=\"DAV:\"><response><href>&x;</href></response></multistatus>";
        assertThatThrownBy(() -> Multistatus.parse(b(xxe), 1 << 20, CTX))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageNotContaining("TOP-SECRET")
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void parameterEntityToRemoteDtdIsRefused() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY % r SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %r;]>"
                + "<multistatus xmlns=\"DAV:\"/>";
        assertThatThrownBy(() -> Multistatus.parse(b(xml), 1 << 20, CTX)).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        sb.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (int i = 2; i <= 9; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                sb.append("&lol").append(i - 1).append(';');
            }
            sb.append("\">");
        }
        sb.append("]><multistatus xmlns=\"DAV:\"><response><href>&lol9;</href></response></multistatus>");
        assertThatThrownBy(() -> Multistatus.parse(b(sb.toString()), 1 << 20, CTX))
                .isInstanceOf(MalformedDataException.class);
    }

    @Test
    void oversizedBodyIsRefusedBeforeParsing() {
        String big =
                "<multistatus xmlns=\"DAV:\">" + "<response><href>/x</href></response>".repeat(1000) + "</multistatus>";
        assertThatThrownBy(() -> Multistatus.parse(b(big), 1024, CTX))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("allowed");
    }

    @Test
    void deeplyNestedXmlIsRefused() {
        String deep = "<multistatus xmlns=\"DAV:\">" + "<a>".repeat(5000) + "</a>".repeat(5000) + "</multistatus>";
        assertThatThrownBy(() -> Multistatus.parse(b(deep), 1 << 20, CTX)).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void brokenAndForeignXmlAreMalformed() {
        assertThatThrownBy(() -> Multistatus.parse(b("<multistatus xmlns=\"DAV:\">"), 1 << 20, CTX))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> Multistatus.parse(b("<html><body>login</body></html>"), 1 << 20, CTX))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("multistatus");
        assertThatThrownBy(() -> Multistatus.parse(new byte[0], 1 << 20, CTX))
                .isInstanceOf(MalformedDataException.class);
    }

    @Test
    void parsesPropstatsHrefsAndSyncToken() {
        String xml = "<?xml version='1.0' encoding='utf-8'?><d:multistatus xmlns:d=\"DAV:\" "
                + "xmlns:c=\"urn:ietf:params:xml:ns:caldav\" xmlns:cs=\"http://calendarserver.org/ns/\">"
                + "<d:response><d:href>/alice/work/</d:href>"
                + "<d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype>"
                + "<d:displayname>Work &amp; more</d:displayname><cs:getctag>\"42\"</cs:getctag>"
                + "<c:calendar-home-set><d:href>/alice/</d:href></c:calendar-home-set></d:prop>"
                + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
                + "<d:propstat><d:prop><d:sync-token/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>"
                + "</d:response>"
                + "<d:response><d:href>/alice/work/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>"
                + "<d:sync-token>tok-7</d:sync-token></d:multistatus>";
        Multistatus ms = Multistatus.parse(b(xml), 1 << 20, CTX);
        assertThat(ms.syncToken()).isEqualTo("tok-7");
        assertThat(ms.entries()).hasSize(2);
        Multistatus.Entry cal = ms.entries().get(0);
        assertThat(cal.isType(Dav.CALDAV, "calendar")).isTrue();
        assertThat(cal.text(Dav.DAV, "displayname")).contains("Work & more");
        assertThat(cal.text(Dav.CS, "getctag")).contains("\"42\"");
        assertThat(cal.href(Dav.CALDAV, "calendar-home-set")).contains("/alice/");
        assertThat(cal.text(Dav.DAV, "sync-token")).isEmpty();
        assertThat(cal.missing()).containsExactly("{DAV:}sync-token");
        assertThat(ms.entries().get(1).status()).isEqualTo(404);
    }

    @Test
    void errorBodiesNamePreconditions() {
        byte[] body = b("<?xml version='1.0'?><error xmlns=\"DAV:\"><valid-sync-token/></error>");
        assertThat(Multistatus.errorNames(body, Dav.DAV, "valid-sync-token", CTX))
                .isTrue();
        assertThat(Multistatus.errorNames(body, Dav.DAV, "other", CTX)).isFalse();
        assertThat(Multistatus.errorNames(
                        b("<!DOCTYPE x [<!ENTITY a \"b\">]><error xmlns=\"DAV:\"><valid-sync-token/></error>"),
                        Dav.DAV,
                        "valid-sync-token",
                        CTX))
                .isFalse();
        byte[] uid = b("<error xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:no-uid-conflict>"
                + "<href>/alice/work/other.ics</href></C:no-uid-conflict></error>");
        assertThat(Multistatus.errorHref(uid, Dav.CALDAV, "no-uid-conflict", CTX))
                .contains("/alice/work/other.ics");
    }

    @Test
    void escapesTextForRequestBodies() {
        assertThat(Dav.escape("a<b>&\"c'\u0001")).isEqualTo("a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
