package org.calsdk.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.caldav.internal.CalDavConnection;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.radicale.RadicaleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Discovery, calendar listing and change tags against a real Radicale. */
class RadicaleDiscoveryTest {
    private static RadicaleServer radicale;

    @BeforeAll
    static void start() {
        radicale = RadicaleServer.builder()
                .user("alice", "alice-pw")
                .user("bob", "bob-pw")
                .startOrSkip();
        radicale.createCalendar("alice", "work", "Work");
        radicale.createCalendar("alice", "home", "Home");
    }

    @AfterAll
    static void stop() {
        if (radicale != null) {
            radicale.close();
            assertThat(radicale.isRunning()).isFalse();
        }
    }

    static ConnectionConfig.Builder config(String user, String password) {
        return ConnectionConfig.builder("caldav")
                .setting("url", radicale.baseUrl())
                .setting("allowPrivateNetwork", "true")
                .credentials(PasswordCredentials.of(user, Secret.of(password)));
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(CalendarProviders.load().get("caldav")).isInstanceOf(CalDavProvider.class);
    }

    @Test
    void discoversThePrincipalAndHomeSetFromTheServerRoot() {
        try (CalendarConnection c =
                CalendarProviders.load().connect(config("alice", "alice-pw").build())) {
            CalDavConnection dav = (CalDavConnection) c;
            assertThat(dav.account().principal().encodedPath()).isEqualTo("/alice/");
            assertThat(dav.account().homeSet().encodedPath()).isEqualTo("/alice/");
            assertThat(c.self()).contains(Mailbox.of("alice@127.0.0.1"));
        }
    }

    @Test
    void listsCalendarsWithNameComponentsWritabilityAndTag() {
        try (CalendarConnection c = new CalDavProvider()
                .connect(config("alice", "alice-pw")
                        .setting("mailbox", "alice@example.com")
                        .build())) {
            Mailbox me = c.self().orElseThrow();
            List<CalendarInfo> cals = c.reader().calendars(me);
            assertThat(cals).extracting(i -> i.ref().id()).containsExactly("/alice/home/", "/alice/work/");
            CalendarInfo work = cals.get(1);
            assertThat(work.displayName()).isEqualTo("Work");
            assertThat(work.components()).containsExactly("VEVENT");
            assertThat(work.readOnly()).isFalse();
            assertThat(work.changeTag()).startsWith("http://radicale.org/ns/sync/");
            assertThat(cals.stream().filter(CalendarInfo::primary)).hasSize(1);
        }
    }

    @Test
    void changedCalendarsNeedsOnePropfindAndReportsOnlyChanges() {
        try (CalendarConnection c =
                new CalDavProvider().connect(config("alice", "alice-pw").build())) {
            Mailbox me = c.self().orElseThrow();
            Map<CalendarRef, String> first = c.changes().changedCalendars(me, Map.of());
            assertThat(first).hasSize(2);
            Map<String, String> known = new HashMap<>();
            first.forEach((ref, tag) -> known.put(ref.id(), tag));
            assertThat(c.changes().changedCalendars(me, known)).isEmpty();
            known.put("/alice/work/", "stale");
            assertThat(c.changes().changedCalendars(me, known)).containsOnlyKeys(CalendarRef.of(me, "/alice/work/"));
        }
    }

    @Test
    void wrongPasswordNeedsReauthorization() {
        try (CalendarConnection c =
                new CalDavProvider().connect(config("alice", "wrong").build())) {
            assertThatThrownBy(() -> c.reader().calendars(c.self().orElseThrow()))
                    .isInstanceOf(ReauthorizationRequiredException.class)
                    .hasMessageNotContaining("wrong");
        }
    }

    @Test
    void loopbackServerIsRefusedWithoutAllowPrivateNetwork() {
        ConnectionConfig cfg = ConnectionConfig.builder("caldav")
                .setting("url", radicale.baseUrl())
                .credentials(PasswordCredentials.of("alice", Secret.of("alice-pw")))
                .build();
        try (CalendarConnection c = new CalDavProvider().connect(cfg)) {
            assertThatThrownBy(() -> c.reader().calendars(c.self().orElseThrow()))
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("allowPrivateNetwork");
        }
    }

    @Test
    void anotherAccountsCalendarsAreNotReachable() {
        try (CalendarConnection c =
                new CalDavProvider().connect(config("bob", "bob-pw").build())) {
            assertThat(c.reader().calendars(c.self().orElseThrow())).isEmpty();
            assertThatThrownBy(() -> c.reader().calendars(Mailbox.of("alice@127.0.0.1")))
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }

    @Test
    void aHostSuppliedTransportIsUsedAndCounts() {
        org.calsdk.http.RequestCounter counter = new org.calsdk.http.RequestCounter();
        try (org.calsdk.http.HttpTransport transport = org.calsdk.http.HttpTransport.builder()
                        .provider("caldav")
                        .listener(counter)
                        .build();
                CalendarConnection c = new CalDavProvider()
                        .connect(
                                config("alice", "alice-pw").transport(transport).build())) {
            assertThat(c.reader().calendars(c.self().orElseThrow())).hasSize(2);
            assertThat(counter.total()).isGreaterThanOrEqualTo(3); // well-known redirect, root, principal, home
            // exactly 1: every transport (the host's too) keeps Radicale's HTTP/1.0 connections out of reuse
            assertThat(counter.count("list-calendars")).isEqualTo(1);
            assertThat(counter.countStatus(0)).as("failed attempts").isZero();
            assertThat(counter.count("discover")).isGreaterThanOrEqualTo(2);
        }
    }
}
