package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.WriteOptions;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CalDAV's set-up check and write options, against the testkit's fake server. */
class CalDavSetupAndWriteOptionsTest {
    private FakeCalDavServer server;
    private CalendarConnection connection;

    private CalendarConnection connect(String password) {
        server = FakeCalDavServer.builder()
                .user("alice", "alice-pw")
                .calendar("alice", "work", "Work")
                .build()
                .start();
        CalDavProvider provider =
                CalDavProvider.builder().retryPolicy(RetryPolicy.none()).build();
        connection = provider.connect(server.connectionConfig("alice")
                .credentials(PasswordCredentials.of("alice", Secret.of(password)))
                .build());
        return connection;
    }

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRefusedPasswordShowsAsAMissingCredentialNotAnException() {
        SetupCheck setup = connect("wrong").checkSetup();
        assertThat(setup.ok()).isFalse();
        SetupCheck.Item item =
                setup.item(SetupCheck.Requirement.CREDENTIAL_VALID).orElseThrow();
        assertThat(item.status()).isEqualTo(SetupCheck.Status.MISSING);
        assertThat(item.detail()).doesNotContain("wrong").doesNotContain("alice-pw");
    }

    @Test
    void aWorkingAccountPassesTheSetupCheck() {
        assertThat(connect("alice-pw").checkSetup().ok()).isTrue();
    }

    @Test
    void cancelKeepsTheEventCancelledAndNotificationChoicesAreRefused() {
        CalendarConnection c = connect("alice-pw");
        CalendarRef work = c.reader().calendars(Mailbox.of("alice@example.com")).stream()
                .map(CalendarInfo::ref)
                .filter(r -> r.id().contains("work"))
                .findFirst()
                .orElseThrow();
        Instant at = Instant.parse("2031-06-02T10:00:00Z");
        Event draft = Event.builder()
                .summary("review")
                .start(EventTime.utc(at))
                .end(EventTime.utc(at.plus(Duration.ofHours(1))))
                .build();
        assertThatThrownBy(() -> c.writer().create(work, EventKey.of("silent"), draft, WriteOptions.silent()))
                .isInstanceOf(UnsupportedCapabilityException.class);
        assertThat(server.event("alice", "work", "silent.ics"))
                .as("nothing was written")
                .isEmpty();
        Event made = c.writer().create(work, EventKey.of("review"), draft, WriteOptions.defaults());
        c.writer().delete(work, made.id().orElseThrow(), made.version().orElseThrow(), WriteOptions.cancelMeeting());
        assertThat(server.event("alice", "work", "review.ics"))
                .hasValueSatisfying(ics -> assertThat(ics).contains("STATUS:CANCELLED"));
        assertThat(c.reader().get(work, made.id().orElseThrow()))
                .hasValueSatisfying(e -> assertThat(e.isCancelled()).isTrue());
        c.writer().delete(work, made.id().orElseThrow(), null, WriteOptions.defaults());
        assertThat(c.reader()
                        .listAll(work, org.calsdk.model.TimeWindow.of(at.minusSeconds(3600), at.plusSeconds(7200))))
                .isEmpty();
    }
}
