package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.http.RetryPolicy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.Fault;
import org.calsdk.testkit.FaultRule;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and failing answers on the wire end in typed errors, and impersonation refusals name what an
 * Exchange administrator must change.
 */
class EwsHostileAnswerTest {
    private static FakeEwsServer ews;
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");

    @BeforeAll
    static void start() {
        ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .mailbox("alice@example.com")
                .mailbox("carol@example.com")
                .impersonationScope("svc", "alice@example.com")
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        ews.close();
    }

    @AfterEach
    void clear() {
        ews.faults().clear();
    }

    private static CalendarConnection connect(String mailbox) {
        var b = ews.connectionConfig("svc").setting("impersonation", "true");
        if (mailbox != null) {
            b.setting("mailbox", mailbox);
        }
        return EwsProvider.builder()
                .retryPolicy(RetryPolicy.none())
                .maxResponseBytes(64 * 1024)
                .build()
                .connect(b.build());
    }

    private static void answer(String body) {
        ews.faults()
                .add(FaultRule.on("GetFolder")
                        .always()
                        .inject(Fault.respond(FakeResponse.body(200, "text/xml", body))));
    }

    @Test
    void anExternalEntityInTheAnswerIsRefused() {
        answer(
                "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>&x;</s:Body></s:Envelope>");
        try (CalendarConnection c = connect("alice@example.com")) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(MalformedDataException.class);
        }
    }

    @Test
    void billionLaughsInTheAnswerIsRefused() {
        answer("<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><r>&c;</r>");
        try (CalendarConnection c = connect("alice@example.com")) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(MalformedDataException.class);
        }
    }

    @Test
    void anOversizedAnswerIsRefused() {
        answer("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + "x".repeat(100_000)
                + "</s:Body></s:Envelope>");
        try (CalendarConnection c = connect("alice@example.com")) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(MalformedDataException.class);
        }
    }

    @Test
    void anAnswerThatIsNotSoapIsRefused() {
        answer("<html><body>login</body></html>");
        try (CalendarConnection c = connect("alice@example.com")) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE))
                    .isInstanceOf(MalformedDataException.class)
                    .hasMessageContaining("not a SOAP envelope");
        }
    }

    @Test
    void aServerErrorPageIsProviderUnavailableNotASoapFault() {
        ews.faults().add(FaultRule.on("GetFolder").always().inject(Fault.respond(FakeResponse.text(500, "boom"))));
        try (CalendarConnection c = connect("alice@example.com")) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE)).isInstanceOf(ProviderUnavailableException.class);
        }
    }

    @Test
    void impersonatingAMailboxOutsideTheScopeNamesTheRoleAndItsScope() {
        try (CalendarConnection c = connect("carol@example.com")) {
            assertThatThrownBy(() -> c.reader().calendars(Mailbox.of("carol@example.com")))
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("ErrorImpersonateUserDenied")
                    .hasMessageContaining("ApplicationImpersonation")
                    .hasMessageContaining("management scope");
        }
    }

    @Test
    void impersonatingAMailboxThatDoesNotExistIsNotFound() {
        try (CalendarConnection c = connect("nobody@example.com")) {
            assertThatThrownBy(() -> c.reader().calendars(Mailbox.of("nobody@example.com")))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("ErrorNonExistentMailbox");
        }
    }

    @Test
    void theAccessReportGivesTheReason() {
        try (CalendarConnection service = connect(null)) {
            assertThat(service.impersonator().checkAccess(ALICE).allowed()).isTrue();
            assertThat(service.impersonator().checkAccess(Mailbox.of("carol@example.com")))
                    .satisfies(a -> assertThat(a.allowed()).isFalse())
                    .satisfies(a -> assertThat(a.reason()).isEqualTo(org.calsdk.api.AccessCheck.Reason.NOT_IN_SCOPE))
                    .satisfies(a -> assertThat(a.detail()).contains("ApplicationImpersonation"));
            assertThat(service.impersonator()
                            .checkAccess(Mailbox.of("nobody@example.com"))
                            .reason())
                    .isEqualTo(org.calsdk.api.AccessCheck.Reason.NOT_FOUND);
            var setup = service.impersonator().checkSetup();
            assertThat(setup.item(org.calsdk.api.SetupCheck.Requirement.CREDENTIAL_VALID)
                            .orElseThrow()
                            .status())
                    .isEqualTo(org.calsdk.api.SetupCheck.Status.OK);
            assertThat(setup.ok()).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsReauthorizationRequiredAndNeverEchoed() {
        var cfg = ews.connectionConfig("svc")
                .setting("mailbox", "alice@example.com")
                .credentials(org.calsdk.auth.PasswordCredentials.of("svc", org.calsdk.auth.Secret.of("wrong-pw-123")))
                .build();
        try (CalendarConnection c = EwsProvider.builder().build().connect(cfg)) {
            assertThatThrownBy(() -> c.reader().calendars(ALICE))
                    .isInstanceOf(org.calsdk.errors.ReauthorizationRequiredException.class)
                    .hasMessageNotContaining("wrong-pw-123");
        }
    }

    @Test
    void settingsAreChecked() {
        EwsProvider p = new EwsProvider();
        assertThatThrownBy(() ->
                        p.connect(org.calsdk.api.ConnectionConfig.builder("ews").build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("url");
        assertThatThrownBy(() -> p.connect(org.calsdk.api.ConnectionConfig.builder("ews")
                        .setting("url", "https://svc:pw@mail.example.com/EWS/Exchange.asmx")
                        .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining("pw@");
        try (CalendarConnection c = p.connect(org.calsdk.api.ConnectionConfig.builder("ews")
                .setting("url", ews.url())
                .setting("mailbox", "alice@example.com")
                .build())) {
            assertThat(c.freeBusy()
                            .query(FreeBusyRequest.of(
                                    List.of(ALICE),
                                    TimeWindow.of(Instant.parse("2031-01-01T00:00:00Z"), Duration.ofDays(1))))
                            .get(ALICE)
                            .orElseThrow()
                            .error())
                    .as("a loopback endpoint without allowPrivateNetwork")
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }
}
