package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The demo runs offline on the embedded fakes and shows each capability's real result. */
class DemoCommandTest {

    @Test
    void demoRunsEveryStepOnEmbeddedFakes() {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            code = CalendarCli.run("demo");
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(out)
                // recurrence: moved occurrence shown at its new time, the EXDATE'd one absent
                .contains("Wed 3 Mar 15:00-16:00 Berlin  Weekly mentoring (moved)")
                .doesNotContain("Wed 3 Mar 10:00-11:00")
                .doesNotContain("Wed 10 Mar 10:00")
                // free/busy: one call, per-mailbox error for the mailbox outside the scope
                .contains("outsider@example.com: error (PermissionDeniedException)")
                .contains("calls made to the provider: 1")
                // availability: first common slot after the mentor's moved session plus buffer
                .contains("Wed 3 Mar 16:15 Berlin = Wed 3 Mar 10:15 New York  [mentee, mentor]")
                // idempotent write
                .contains("events with key booking-1001 in the calendar: 1")
                // sync both ways
                .contains("changed in the calendar: [TIME], now starts Wed 3 Mar 13:00 Berlin")
                .contains("external event created: \"Dentist\"")
                // CalDAV over HTTP
                .contains("same event? true")
                .contains("alice's busy time on Monday: [2027-03-01T13:00:00Z..2027-03-01T14:00:00Z busy]");
    }
}
