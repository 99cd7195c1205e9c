package org.calsdk.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.Test;

class CalendarExceptionTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");

    @Test
    void contextIsExposedAndAppendedToTheMessage() {
        ErrorContext ctx =
                ErrorContext.of("graph").withMailbox(ALICE).withStatusCode(404).withRequestId("abc-1");
        NotFoundException e = new NotFoundException("calendar 'work' does not exist; list calendars first", ctx);

        assertThat(e.provider()).contains("graph");
        assertThat(e.mailbox()).contains(ALICE);
        assertThat(e.statusCode()).hasValue(404);
        assertThat(e.requestId()).contains("abc-1");
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("calendar 'work' does not exist; list calendars first "
                        + "[provider=graph, mailbox=alice@example.com, status=404, requestId=abc-1]");
        assertThat(e.context()).isEqualTo(ctx);
    }

    @Test
    void attemptsAreRecordedAndShown() {
        ProviderUnavailableException e =
                new ProviderUnavailableException("server down; try again later", ErrorContext.of("caldav"));
        e.withAttempts(4);

        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.getMessage()).endsWith("[provider=caldav, attempts=4]");
        assertThat(new CalendarException("x", null).withAttempts(3).getMessage())
                .isEqualTo("x [attempts=3]");
    }

    @Test
    void retryableFlagsFollowTheKindOfError() {
        ErrorContext none = ErrorContext.NONE;
        assertThat(new RateLimitedException("slow down", none, Duration.ofSeconds(5)).retryable())
                .isTrue();
        assertThat(new ProviderUnavailableException("down", none).retryable()).isTrue();
        assertThat(new ReauthorizationRequiredException("relink", none).retryable())
                .isFalse();
        assertThat(new PermissionDeniedException("no", none).retryable()).isFalse();
        assertThat(new NotFoundException("gone", none).retryable()).isFalse();
        assertThat(new ConflictException("stale", none).retryable()).isFalse();
        assertThat(new InvalidInputException("field", "bad").retryable()).isFalse();
        assertThat(new MalformedDataException("broken").retryable()).isFalse();
        assertThat(new UnsupportedCapabilityException("no push", none).retryable())
                .isFalse();
    }

    @Test
    void typedDetailsAreCarried() {
        assertThat(new RateLimitedException("x", ErrorContext.NONE, Duration.ofSeconds(30)).retryAfter())
                .contains(Duration.ofSeconds(30));
        assertThat(new RateLimitedException("x", ErrorContext.NONE, null).retryAfter())
                .isEmpty();
        assertThat(new ReauthorizationRequiredException("x", ErrorContext.NONE, "https://relink", null).relinkUrl())
                .contains("https://relink");
        assertThat(new ConflictException("x", ErrorContext.NONE, "etag-2").currentVersion())
                .contains("etag-2");
        assertThat(new InvalidInputException("start", "start is required").field())
                .contains("start");
        assertThat(new MalformedDataException("bad ics").field()).isEmpty();
    }

    @Test
    void emptyContextAddsNothing() {
        CalendarException e = new CalendarException("plain", ErrorContext.NONE);
        assertThat(e.getMessage()).isEqualTo("plain");
        assertThat(e.provider()).isEmpty();
        assertThat(e.statusCode()).isEmpty();
        assertThat(e.requestId()).isEmpty();
    }
}
