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
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.SetupCheck;
import org.calsdk.auth.Secret;
import org.calsdk.auth.ServiceAccountCredentials;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Domain-wide delegation: per-user views, one cached token per user, refusals that say why. */
class GoogleImpersonationTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final Mailbox BOB = Mailbox.of("bob@example.com");
    private static final Mailbox OUTSIDER = Mailbox.of("carol@example.com");
    private static final Mailbox GHOST = Mailbox.of("ghost@example.com");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final GoogleProvider provider = new GoogleProvider();
    private FakeGoogleServer google;
    private ConnectionConfig orgConfig;
    private CalendarConnection org;

    @BeforeEach
    void start() {
        ServiceAccounts sa = ServiceAccounts.generate(null);
        google = FakeGoogleServer.builder()
                .clock(clock)
                .tokenLifetime(Duration.ofMinutes(10))
                .user(ALICE.email(), "Alice")
                .user(BOB.email(), "Bob")
                .user(OUTSIDER.email(), "Carol")
                .user("admin@example.com", "Admin")
                .serviceAccount(
                        ServiceAccounts.CLIENT_EMAIL,
                        sa.pair.getPublic(),
                        Set.of(ALICE.email(), BOB.email(), "admin@example.com", GHOST.email()))
                .build()
                .start();
        orgConfig = ConnectionConfig.builder("google")
                .clock(clock)
                .setting("baseUrl", google.baseUrl())
                .setting("tokenUrl", google.tokenUrl())
                .setting("serviceAccountKey", sa.json)
                .setting("subject", "admin@example.com")
                .build();
        org = provider.connect(orgConfig);
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
        assertThat(google.accounting().calls("token"))
                .as("token requests for one user, three calls")
                .isEqualTo(1);
        org.impersonator().actAs(BOB).reader().calendars(BOB);
        assertThat(google.accounting().calls("token"))
                .as("a second user, a second token")
                .isEqualTo(2);
    }

    @Test
    void aUsersTokenOutlivesTheConnectionItWasFetchedFor() {
        // the sync engine opens the organization's connection once per pass: the next pass reuses the token
        org.impersonator().actAs(ALICE).reader().calendars(ALICE);
        org.close();
        try (CalendarConnection nextPass = provider.connect(orgConfig)) {
            nextPass.impersonator().actAs(ALICE).reader().calendars(ALICE);
            assertThat(google.accounting().calls("token")).isEqualTo(1);
            clock.advance(Duration.ofMinutes(6)); // less than 5 minutes left of the 10-minute token
            nextPass.impersonator().actAs(ALICE).reader().calendars(ALICE);
            assertThat(google.accounting().calls("token")).isEqualTo(2);
        }
        try (CalendarConnection otherProvider = new GoogleProvider().connect(orgConfig)) {
            otherProvider.impersonator().actAs(ALICE).reader().calendars(ALICE);
            assertThat(google.accounting().calls("token"))
                    .as("a provider instance keeps its own tokens")
                    .isEqualTo(3);
        }
    }

    @Test
    void aViewReadsOnlyAsItsOwnMailbox() {
        // Alice's token may not read Bob's calendar: the fake answers 404, as Google does for unshared calendars
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        assertThatThrownBy(() -> alice.reader()
                        .listAll(CalendarRef.primary(BOB), TimeWindow.of(clock.instant(), Duration.ofDays(1))))
                .isInstanceOf(org.calsdk.errors.NotFoundException.class);
    }

    @Test
    void theTokenIsRenewedShortlyBeforeItExpires() {
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        alice.reader().calendars(ALICE);
        clock.advance(Duration.ofMinutes(4));
        alice.reader().calendars(ALICE);
        assertThat(google.accounting().calls("token"))
                .as("4 minutes into a 10-minute token")
                .isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        alice.reader().calendars(ALICE);
        assertThat(google.accounting().calls("token"))
                .as("less than 5 minutes left: renewed")
                .isEqualTo(2);
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
                .satisfies(e ->
                        assertThat(((PermissionDeniedException) e).mailbox()).hasValue(OUTSIDER));
        AccessCheck no = org.impersonator().checkAccess(OUTSIDER);
        assertThat(no.allowed()).isFalse();
        assertThat(no.reason()).isEqualTo(AccessCheck.Reason.NOT_IN_SCOPE);
        assertThat(no.detail()).contains("domain-wide delegation");
        assertThat(org.impersonator().checkAccess(ALICE).allowed()).isTrue();
        AccessCheck ghost = org.impersonator().checkAccess(GHOST);
        assertThat(ghost.reason()).as("delegated, but no such user").isEqualTo(AccessCheck.Reason.NOT_FOUND);
        assertThat(org.impersonator().checkAccess(List.of(ALICE, OUTSIDER, GHOST)))
                .extracting(AccessCheck::reason)
                .containsExactly(null, AccessCheck.Reason.NOT_IN_SCOPE, AccessCheck.Reason.NOT_FOUND);
    }

    @Test
    void theSetUpCheckAsksForATokenForTheSubject() {
        SetupCheck ok = org.impersonator().checkSetup();
        assertThat(ok.ok()).isTrue();
        assertThat(ok.item(SetupCheck.Requirement.DELEGATION_CONFIGURED)).isPresent();
        try (CalendarConnection outside = connect(ServiceAccounts.generate(null), OUTSIDER)) {
            SetupCheck no = outside.impersonator().checkSetup();
            assertThat(no.item(SetupCheck.Requirement.DELEGATION_CONFIGURED)
                            .orElseThrow()
                            .status())
                    .isEqualTo(SetupCheck.Status.MISSING);
        }
    }

    @Test
    void aKeyGoogleDoesNotKnowIsAnInvalidCredential() {
        try (CalendarConnection other = connect(ServiceAccounts.unknownKey(), ALICE)) {
            assertThat(other.impersonator().checkAccess(ALICE).reason())
                    .isEqualTo(AccessCheck.Reason.CREDENTIAL_INVALID);
            SetupCheck setup = other.impersonator().checkSetup();
            assertThat(setup.item(SetupCheck.Requirement.CREDENTIAL_VALID)
                            .orElseThrow()
                            .status())
                    .isEqualTo(SetupCheck.Status.MISSING);
            assertThat(setup.toString()).doesNotContain("PRIVATE KEY");
        }
    }

    /** An organization connection from typed credentials: the key JSON and the subject. */
    private CalendarConnection connect(ServiceAccounts key, Mailbox subject) {
        return new GoogleProvider()
                .connect(ConnectionConfig.builder("google")
                        .clock(clock)
                        .setting("baseUrl", google.baseUrl())
                        .setting("tokenUrl", google.tokenUrl())
                        .credentials(new ServiceAccountCredentials(Secret.of(key.json), subject))
                        .build());
    }

    @Test
    void closingAViewLeavesTheOrganizationConnectionOpen() {
        CalendarConnection alice = org.impersonator().actAs(ALICE);
        alice.reader().calendars(ALICE);
        alice.close();
        assertThat(org.freeBusy()
                        .query(FreeBusyRequest.of(
                                List.of(ALICE, BOB), TimeWindow.of(clock.instant(), Duration.ofDays(1))))
                        .allOk())
                .isTrue();
    }

    @Test
    void anOrganizationConnectionActsThroughViewsOnly() {
        assertThat(org.self()).isEmpty();
        assertThatThrownBy(() -> org.reader()).isInstanceOf(UnsupportedCapabilityException.class);
    }

    @Test
    void aBrokenKeyIsBadInputNamingTheSetting() {
        assertThatThrownBy(() -> new GoogleProvider()
                        .connect(ConnectionConfig.builder("google")
                                .setting("serviceAccountKey", "{\"type\":\"service_account\"}")
                                .setting("subject", "a@example.com")
                                .build()))
                .isInstanceOf(InvalidInputException.class)
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
