package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.SkippedEvent;
import org.calsdk.caldav.CalDavProvider;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.caldav.FakeCalDavServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §1: a poisoned event (a 393-byte VTIMEZONE that would expand forever) in one mailbox's
 * calendar used to kill {@code sync --once} without even recording the failure. Now it is skipped and
 * reported for its mailbox; the pass, the mailbox's other events and the other mailboxes go on.
 */
class PoisonedEventSyncTest {
    static final String EVIL_TZ = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
            + "BEGIN:VTIMEZONE\r\nTZID:Evil Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
            + "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            + "BEGIN:VEVENT\r\nUID:evil-tz@example.com\r\n"
            + "DTSTART;TZID=Evil Standard Time:20260301T090000\r\nDTEND;TZID=Evil Standard Time:20260301T100000\r\n"
            + "SUMMARY:xxxxxxxxxx\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    @Test
    void aPoisonedEventIsSkippedAndReportedForItsMailboxOnly() throws Exception {
        try (FakeCalDavServer dav = FakeCalDavServer.builder()
                .user("ann", "ann-pw")
                .user("ben", "ben-pw")
                .calendar("ann", "calendar", "Calendar")
                .calendar("ben", "calendar", "Calendar")
                .build()
                .start()) {
            dav.putEvent("ann", "calendar", "good.ics", CalDavFaultSoakTest.ics("ann-good", "Good", 1));
            dav.putEvent("ann", "calendar", "evil.ics", EVIL_TZ);
            dav.putEvent("ben", "calendar", "good.ics", CalDavFaultSoakTest.ics("ben-good", "Also good", 2));
            CalendarProviders providers = CalendarProviders.of(CalDavProvider.builder()
                    .retryPolicy(RetryPolicy.custom().maxAttempts(1).build())
                    .build());
            SyncConnections connections = (integration, mailbox) -> providers.connect(dav.connectionConfig(
                            mailbox.email().substring(0, mailbox.email().indexOf('@')))
                    .build());
            InMemorySyncStateStore store = new InMemorySyncStateStore();
            List<SkippedEvent> told = new CopyOnWriteArrayList<>();
            HostRecorder host = new HostRecorder() {
                @Override
                public void onEventSkipped(Mailbox mailbox, CalendarRef calendar, SkippedEvent skipped) {
                    told.add(skipped);
                }
            };
            MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
            try (SyncEngine engine = SyncEngine.builder()
                    .store(store)
                    .connections(connections)
                    .listener(host)
                    .clock(clock)
                    .random(new Random(1))
                    .nodeId("poison")
                    .build()) {
                engine.saveIntegration(Integration.active("dav", "caldav"));
                Mailbox ann = Mailbox.of("ann@example.com");
                Mailbox ben = Mailbox.of("ben@example.com");
                engine.addMailbox("dav", ann);
                engine.addMailbox("dav", ben);

                MailboxSyncResult a = engine.syncMailbox(ann);
                MailboxSyncResult b = engine.syncMailbox(ben);

                assertThat(a.outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(b.outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(host.external.values())
                        .extracting(e -> e.summary())
                        .containsExactlyInAnyOrder("Good", "Also good");
                assertThat(told)
                        .singleElement()
                        .satisfies(x -> assertThat(x.eventId()).endsWith("evil.ics"));
                MailboxStatus annStatus = store.mailbox(ann).orElseThrow();
                assertThat(annStatus.lastError())
                        .satisfies(m -> assertThat(m).contains("evil.ics").contains("ical.maxVTimeZoneTransitions"));
                assertThat(annStatus.failures()).isZero();
                assertThat(annStatus.lastSyncAt()).isNotNull();
                assertThat(store.mailbox(ben).orElseThrow().lastError()).isNull();

                // the next pass reads from the advanced cursor: nothing new, the skipped event is not "deleted"
                clock.advance(java.time.Duration.ofMinutes(10));
                assertThat(engine.syncMailbox(ann).outcome()).isEqualTo(MailboxSyncResult.Outcome.OK);
                assertThat(host.externalLog).noneMatch(c -> c instanceof ExternalChange.Deleted);
            }
        }
    }
}
