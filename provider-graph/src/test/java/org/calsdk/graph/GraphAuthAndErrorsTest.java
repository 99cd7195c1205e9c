package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.SetupCheck;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client credentials, the scope a connection gets, the access-policy error, all-day and zones on the wire. */
class GraphAuthAndErrorsTest {
    private FakeGraphServer graph;

    @AfterEach
    void stop() {
        if (graph != null) {
            graph.close();
        }
    }

    private ConnectionConfig.Builder app(String secret) {
        return ConnectionConfig.builder("graph")
                .setting("baseUrl", graph.baseUrl())
                .setting("tenantId", "contoso")
                .setting("clientId", "app-id")
                .setting("clientSecret", secret)
                .setting("authorityUrl", graph.authorityUrl());
    }

    @Test
    void clientCredentialsGiveAnOrganizationThatActsAsMailboxesInsideItsPolicy() {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .mailbox("carol@example.com")
                .appToken("unused")
                .client("app-id", "s3cret")
                .accessPolicy(List.of("alice@example.com"))
                .build()
                .start();
        try (CalendarConnection org = new GraphProvider().connect(app("s3cret").build())) {
            assertThat(org.scope()).isEqualTo(ConnectionScope.ORGANIZATION);
            assertThat(org.self()).isEmpty();
            CalendarConnection alice = org.impersonator().actAs(Mailbox.of("alice@example.com"));
            assertThat(alice.reader().calendars(Mailbox.of("alice@example.com")))
                    .hasSize(1);
            alice.close();
            assertThat(org.reader().calendars(Mailbox.of("alice@example.com")))
                    .as("the parent survives a view's close")
                    .hasSize(1);
            AccessCheck carol = org.impersonator().checkAccess(Mailbox.of("carol@example.com"));
            assertThat(carol.allowed()).isFalse();
            assertThat(carol.reason()).isEqualTo(AccessCheck.Reason.NOT_IN_SCOPE);
            assertThat(carol.detail()).contains("application access policy").contains("RBAC for Applications");
            AccessCheck nobody = org.impersonator().checkAccess(Mailbox.of("nobody@example.com"));
            assertThat(nobody.reason()).isEqualTo(AccessCheck.Reason.NOT_FOUND);
            assertThat(org.impersonator()
                            .checkAccess(Mailbox.of("alice@example.com"))
                            .allowed())
                    .isTrue();
            assertThat(org.impersonator().checkSetup().ok())
                    .as("secret accepted, /users readable")
                    .isTrue();
            assertThatThrownBy(() -> org.impersonator()
                            .actAs(Mailbox.of("carol@example.com"))
                            .reader()
                            .calendars(Mailbox.of("carol@example.com")))
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("RBAC for Applications");
        }
        assertThat(graph.accounting().calls("token")).as("one token, cached").isEqualTo(1);
    }

    @Test
    void aRefusedClientSecretAsksForReauthorizationWithoutShowingIt() {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .appToken("unused")
                .client("app-id", "s3cret")
                .build()
                .start();
        try (CalendarConnection org =
                new GraphProvider().connect(app("wrong-secret").build())) {
            assertThatThrownBy(() -> org.reader().calendars(Mailbox.of("alice@example.com")))
                    .isInstanceOf(ReauthorizationRequiredException.class)
                    .hasMessageContaining("app-id")
                    .hasMessageNotContaining("wrong-secret");
            SetupCheck setup = org.impersonator().checkSetup();
            assertThat(setup.item(SetupCheck.Requirement.CREDENTIAL_VALID)
                            .orElseThrow()
                            .status())
                    .isEqualTo(SetupCheck.Status.MISSING);
            assertThat(setup.toString()).doesNotContain("wrong-secret");
            AccessCheck alice = org.impersonator().checkAccess(Mailbox.of("alice@example.com"));
            assertThat(alice.reason()).isEqualTo(AccessCheck.Reason.CREDENTIAL_INVALID);
            assertThat(alice.detail()).doesNotContain("wrong-secret");
        }
    }

    @Test
    void typedClientCredentialsWorkLikeTheSettings() {
        graph = FakeGraphServer.builder()
                .mailbox("alice@example.com")
                .appToken("unused")
                .client("app-id", "s3cret")
                .build()
                .start();
        ConnectionConfig config = ConnectionConfig.builder("graph")
                .setting("baseUrl", graph.baseUrl())
                .setting("authorityUrl", graph.authorityUrl())
                .credentials(ClientCredentials.withSecret("contoso", "app-id", Secret.of("s3cret")))
                .build();
        try (CalendarConnection org = new GraphProvider().connect(config)) {
            assertThat(org.scope()).isEqualTo(ConnectionScope.ORGANIZATION);
            assertThat(org.impersonator()
                            .actAs(Mailbox.of("alice@example.com"))
                            .reader()
                            .calendars(Mailbox.of("alice@example.com")))
                    .hasSize(1);
        }
        assertThat(graph.accounting().calls("token")).isEqualTo(1);
    }

    @Test
    void allDayAndZonedEventsComeBackAsWritten() {
        graph = FakeGraphServer.builder().mailbox("alice@example.com").build().start();
        try (CalendarConnection c = new GraphProvider()
                .connect(graph.connectionConfig("alice@example.com")
                        .setting("timeZone", "Europe/Berlin")
                        .build())) {
            CalendarRef cal = CalendarRef.primary(Mailbox.of("alice@example.com"));
            Event allDay = c.writer()
                    .create(
                            cal,
                            EventKey.of("holiday"),
                            Event.builder()
                                    .summary("holiday")
                                    .time(
                                            EventTime.allDay(java.time.LocalDate.of(2031, 7, 1)),
                                            EventTime.allDay(java.time.LocalDate.of(2031, 7, 2)))
                                    .build());
            Event read = c.reader().get(cal, allDay.id().orElseThrow()).orElseThrow();
            assertThat(read.isAllDay()).isTrue();
            assertThat(read.start()).isEqualTo(EventTime.allDay(java.time.LocalDate.of(2031, 7, 1)));
            assertThat(read.key()).hasValue(EventKey.of("holiday"));

            java.time.ZonedDateTime sydney =
                    java.time.ZonedDateTime.of(2031, 7, 1, 9, 0, 0, 0, java.time.ZoneId.of("Australia/Sydney"));
            Event zoned = c.writer()
                    .create(
                            cal,
                            EventKey.of("sydney"),
                            Event.builder()
                                    .summary("call")
                                    .time(EventTime.of(sydney), EventTime.of(sydney.plusHours(1)))
                                    .build());
            Event back = c.reader().findByKey(cal, EventKey.of("sydney")).orElseThrow();
            assertThat(back.id()).isEqualTo(zoned.id());
            assertThat(back.start()).isEqualTo(EventTime.of(sydney));
        }
        assertThat(graph.accounting().sent())
                .allSatisfy(s -> assertThat(s.header("Prefer").orElse(""))
                        .contains("outlook.timezone=\"UTC\"")
                        .contains("IdType=\"ImmutableId\""));
    }

    @Test
    void aCursorFromElsewhereIsAResyncNotARequestToAnotherHost() {
        graph = FakeGraphServer.builder().mailbox("alice@example.com").build().start();
        try (CalendarConnection c = new GraphProvider()
                .connect(graph.connectionConfig("alice@example.com").build())) {
            CalendarRef cal = CalendarRef.primary(Mailbox.of("alice@example.com"));
            assertThat(
                            c.changes()
                                    .changes(
                                            cal,
                                            org.calsdk.api.SyncCursor.of(
                                                    "graph1|I|2031-01-01T00:00:00Z|2031-02-01T00:00:00Z|https://attacker.example/v1.0/x")))
                    .isInstanceOf(org.calsdk.api.ChangeBatch.ResyncRequired.class);
            assertThat(graph.accounting().totalCalls()).isZero();
        }
    }

    @Test
    void theDirectoryPagesThroughUsersAtGraphsLargestPageSize() {
        graph = FakeGraphServer.builder().build().start();
        for (int i = 0; i < 1000; i++) {
            graph.addMailbox("user" + i + "@example.com");
        }
        try (CalendarConnection org = new GraphProvider()
                .connect(ConnectionConfig.builder("graph")
                        .setting("baseUrl", graph.baseUrl())
                        .setting("accessToken", "app")
                        .build())) {
            assertThat(org.directory().allUsers())
                    .hasSize(1000)
                    .extracting(u -> u.mailbox().email())
                    .doesNotHaveDuplicates()
                    .contains("user0@example.com", "user999@example.com");
        }
        assertThat(graph.accounting().calls("users")).as("999 + 1").isEqualTo(2);
    }

    @Test
    void theSyncWindowRollsForwardByAFullRead() {
        graph = FakeGraphServer.builder().mailbox("alice@example.com").build().start();
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2031-01-01T00:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        try (CalendarConnection c = new GraphProvider()
                .connect(
                        graph.connectionConfig("alice@example.com").clock(clock).build())) {
            CalendarRef cal = CalendarRef.primary(Mailbox.of("alice@example.com"));
            org.calsdk.api.ChangeBatch first = c.changes().changes(cal, org.calsdk.api.SyncCursor.START);
            org.calsdk.api.SyncCursor cursor = ((org.calsdk.api.ChangeBatch.Changes) first).next();
            now.set(now.get().plus(java.time.Duration.ofHours(20)));
            assertThat(c.changes().changes(cal, cursor)).isInstanceOf(org.calsdk.api.ChangeBatch.Changes.class);
            now.set(now.get().plus(java.time.Duration.ofDays(2)));
            assertThat(c.changes().changes(cal, cursor)).isInstanceOf(org.calsdk.api.ChangeBatch.ResyncRequired.class);
        }
    }
}
