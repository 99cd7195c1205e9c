package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.google.FakeGoogleServer;

/** Domain-wide delegation: per-user views, one cached token per user, refusals that say why. */
class GoogleImpersonationTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final Mailbox BOB = Mailbox.of("bob@example.com");
    private static final Mailbox OUTSIDER = Mailbox.of("carol@example.com");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));
    private FakeGoogleServer google;
    private CalendarConnection org;

    @BeforeEach
    void start() {
        ServiceAccounts sa = ServiceAccounts.generate(null);
        google = FakeGoogleServer.builder().clock(clock).tokenLifetime(Duration.ofMinutes(10))
                .user(ALICE.email(), "Alice").user(BOB.email(), "Bob").user(OUTSIDER.email(), "Carol")
                .user("admin@example.com", "Admin")
                .serviceAccount(ServiceAccounts.CLIENT_EMAIL, sa.pair.getPublic(),
                        Set.of(ALICE.email(), BOB.email(), "admin@example.com"))
                .build().start();
        org = new GoogleProvider().connect(ConnectionConfig.builder("google").clock(clock)
                .setting("baseUrl", google.baseUrl()).setting("tokenUrl", google.tokenUrl())
                .setting("serviceAccountKey", sa.json).setting("subject", "admin@example.com").build());
    }

    @AfterEach
    void stop() {
        org.close();
        google.close();
    }

    @Test
    void aViewActsAsItsMailboxWithATokenOfItsOwnFetchedOnce() {
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        assertThat(alice.scope()).isEqualTo(ConnectionScope.USER);
        assertThat(alice.self()).hasValue(ALICE);
        List<CalendarInfo> cals = alice.reader().calendars(ALICE);
        assertThat(cals).extracting(CalendarInfo::primary).containsExactly(true);
        alice.reader().listAll(CalendarRef.primary(ALICE), TimeWindow.of(clock.instant(), Duration.ofDays(7)));
        org.impersonator().actAs(ALICE).reader().calendars(ALICE);
        assertThat(google.accounting().calls("token")).as("token requests for one user, three calls").isEqualTo(1);
        org.impersonator().actAs(BOB).reader().calendars(BOB);
        assertThat(google.accounting().calls("token")).as("a second user, a second token").isEqualTo(2);
    }

    @Test
    void aViewReadsOnlyAsItsOwnMailbox() {
        // Alice's token may not read Bob's calendar: the fake answers 404, as Google does for unshared calendars
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        assertThatThrownBy(() -> alice.reader().listAll(CalendarRef.primary(BOB), TimeWindow.of(clock.instant(),
                Duration.ofDays(1)))).isInstanceOf(org.calsdk.errors.NotFoundException.class);
    }

    @Test
    void theTokenIsRenewedShortlyBeforeItExpires() {
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        alice.reader().calendars(ALICE);
        clock.advance(Duration.ofMinutes(4));
        alice.reader().calendars(ALICE);
        assertThat(google.accounting().calls("token")).as("4 minutes into a 10-minute token").isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        alice.reader().calendars(ALICE);
        assertThat(google.accounting().calls("token")).as("less than 5 minutes left: renewed").isEqualTo(2);
    }

    @Test
    void aRevokedTokenIsReplacedOnceAfterA401() {
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        alice.reader().calendars(ALICE);
        google.revokeAccessTokens(ALICE.email());
        assertThat(alice.reader().calendars(ALICE)).isNotEmpty();
        assertThat(google.accounting().calls("token")).isEqualTo(2);
    }

    @Test
    void aUserOutsideTheDelegationIsRefusedWithTheReason() {
        CalendarConnection carol = org.impersonator().actAs(OUTSIDER);
        assertThatThrownBy(() -> carol.reader().calendars(OUTSIDER))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("domain-wide delegation")
                .satisfies(e -> assertThat(((PermissionDeniedException) e).mailbox()).hasValue(OUTSIDER));
        AccessCheck no = org.impersonator().checkAccess(OUTSIDER);
        assertThat(no.allowed()).isFalse();
        assertThat(no.reason()).contains("domain-wide delegation");
        assertThat(org.impersonator().checkAccess(ALICE).allowed()).isTrue();
    }

    @Test
    void closingAViewLeavesTheOrganizationConnectionOpen() {
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        alice.reader().calendars(ALICE);
        alice.close();
        assertThat(org.freeBusy().query(FreeBusyRequest.of(List.of(ALICE, BOB), TimeWindow.of(clock.instant(),
                Duration.ofDays(1)))).allOk()).isTrue();
    }

    @Test
    void anOrganizationConnectionActsThroughViewsOnly() {
        assertThat(org.self()).isEmpty();
        assertThatThrownBy(() -> org.reader()).isInstanceOf(UnsupportedCapabilityException.class);
    }

    @Test
    void aBrokenKeyIsBadInputNamingTheSetting() {
        assertThatThrownBy(() -> new GoogleProvider().connect(ConnectionConfig.builder("google")
                .setting("serviceAccountKey", "{\"type\":\"service_account\"}").setting("subject", "a@example.com")
                .build())).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).hasValue("serviceAccountKey"));
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
