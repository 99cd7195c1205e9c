package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.google.GoogleProvider;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.sync.MailboxStatus;
import org.calsdk.sync.SyncEngine;
import org.calsdk.sync.SyncListener;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example runs as written, against the fake Google with a delegated service account. */
class QuickStartTest {
    static final Mailbox MENTOR = Mailbox.of("mentor@acme.example.com");
    static final Mailbox MENTEE = Mailbox.of("mentee@acme.example.com");

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleBooksTheFirstSharedSlotOnceAndStartsSyncingTheMentor() throws Exception {
        KeyPair key = DemoOrganization.rsaKey();
        try (FakeGoogleServer google = FakeGoogleServer.builder()
                .user("admin@acme.example.com", "Admin")
                .user(MENTOR.email(), "Mentor")
                .user(MENTEE.email(), "Mentee")
                .serviceAccount(
                        DemoOrganization.SERVICE_ACCOUNT,
                        key.getPublic(),
                        Set.of("admin@acme.example.com", MENTOR.email(), MENTEE.email()))
                .build()
                .start()) {
            ConnectionConfig config = ConnectionConfig.builder("google")
                    .setting("baseUrl", google.baseUrl())
                    .setting("tokenUrl", google.tokenUrl())
                    .setting("serviceAccountKey", DemoOrganization.keyJson(key, google.tokenUrl()))
                    .setting("subject", "admin@acme.example.com")
                    .build();
            TimeWindow week = TimeWindow.of(Instant.parse("2027-03-01T00:00:00Z"), Duration.ofDays(5));
            try (SyncEngine engine = QuickStart.bookAndSync(config, MENTOR, MENTEE, week, dir, new SyncListener() {})) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (engine.mailboxes().stream()
                                .map(MailboxStatus::lastSyncAt)
                                .anyMatch(java.util.Objects::isNull)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(engine.mailboxes())
                        .singleElement()
                        .satisfies(m -> assertThat(m.lastSyncAt()).isNotNull());
            }
            try (CalendarConnection org = new GoogleProvider().connect(config);
                    CalendarConnection mentor = org.impersonator().actAs(MENTOR)) {
                Event booked = mentor.reader()
                        .findByKey(CalendarRef.primary(MENTOR), EventKey.of("booking-42"))
                        .orElseThrow();
                // the mentor works 09-17 Berlin, the mentee 09-17 New York: the first shared slot is 15:00 Berlin on
                // Monday
                assertThat(booked.start().toInstant(java.time.ZoneOffset.UTC))
                        .isEqualTo(Instant.parse("2027-03-01T14:00:00Z"));
                assertThat(booked.attendee(MENTEE)).isPresent();
            }
        }
    }
}
