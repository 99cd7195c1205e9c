package org.calsdk.caldav.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.Deflater;
import okhttp3.HttpUrl;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.TimeWindow;
import org.junit.jupiter.api.Test;

class PageTokensTest {
    private static final HttpUrl CAL = HttpUrl.get("https://dav.example.com/calendars/alice/work/");
    private static final TimeWindow WEEK = TimeWindow.of(Instant.parse("2026-03-02T00:00:00Z"), Duration.ofDays(7));
    private static final Function<String, String> TO_ID =
            name -> name.startsWith("/") ? name : CAL.encodedPath() + name;

    @Test
    void roundTripsInOrderAndStaysSmall() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add("/calendars/alice/work/" + new UUID(i * 7919L, i * 104729L) + ".ics");
        }
        ids.add("/calendars/alice/elsewhere/x.ics");
        String token = PageTokens.encode(CAL, WEEK, ids);
        assertThat(PageTokens.decode(token, CAL, WEEK, TO_ID, ErrorContext.NONE))
                .isEqualTo(ids);
        // the calendar path is not repeated per resource, and the names compress
        assertThat(token.length()).isLessThan(ids.size() * 30);
        assertThat(PageTokens.encode(CAL, WEEK, List.of())).isNull();
    }

    @Test
    void aTokenThatInflatesBeyondTheLimitIsRefusedNotRead() {
        byte[] huge = new byte[PageTokens.MAX_INFLATED_BYTES + 1];
        Deflater d = new Deflater();
        d.setInput(huge);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[12]);
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        String bomb =
                PageTokens.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
        assertThatThrownBy(() -> PageTokens.decode(bomb, CAL, WEEK, TO_ID, ErrorContext.NONE))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).hasValue("pageToken"))
                .hasMessageContaining("too large");
    }

    @Test
    void namesTheResolverRefusesMakeTheTokenInvalid() {
        String token = PageTokens.encode(CAL, WEEK, List.of("https://evil.example.net/x.ics"));
        Function<String, String> strict = name -> {
            if (name.contains("://")) {
                throw new InvalidInputException("event id", "not on this server");
            }
            return name;
        };
        assertThatThrownBy(() -> PageTokens.decode(token, CAL, WEEK, strict, ErrorContext.NONE))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).hasValue("pageToken"));
    }
}
