package org.calsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.OrganizationConflictException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.Test;

class DirectorySyncTest {
    private static DirectoryEntry person(String id, String email, String... aliases) {
        return DirectoryEntry.person(id, Mailbox.of(email), null, true)
                .withAliases(java.util.Arrays.stream(aliases).map(Mailbox::of).toList());
    }

    @Test
    void matchesByPrimaryThenAliasesIgnoringCaseAndReportsBothSidesUnmatched() {
        List<DirectoryEntry> dir = List.of(
                person("1", "Alice@Example.com"),
                person("2", "robert@example.com", "bob@example.com"),
                person("3", "carol@example.com"),
                DirectoryEntry.room("r1", Mailbox.of("room@example.com"), "Room", 4, null),
                DirectoryEntry.person("4", Mailbox.of("dave@example.com"), "Dave", false));
        List<DirectorySync.HostUser> host = List.of(
                DirectorySync.HostUser.of("u-alice", "alice@EXAMPLE.com"),
                new DirectorySync.HostUser("u-bob", Mailbox.of("bob@example.com"), List.of()),
                DirectorySync.HostUser.of("u-erin", "erin@example.com"),
                DirectorySync.HostUser.of("u-dave", "dave@example.com"));

        DirectorySync.Report r = DirectorySync.match(dir, host, DirectorySnapshot.none());

        assertThat(r.matched()).extracting(m -> m.user().id()).containsExactly("u-alice", "u-bob");
        assertThat(r.matched().get(1).matchedBy()).isEqualTo(Mailbox.of("bob@example.com"));
        assertThat(r.matched().get(1).mailbox())
                .as("sync the directory's primary address")
                .isEqualTo(Mailbox.of("robert@example.com"));
        assertThat(r.unmatchedDirectory()).extracting(DirectoryEntry::id).containsExactly("3");
        assertThat(r.unmatchedHost()).extracting(DirectorySync.HostUser::id).containsExactly("u-dave", "u-erin");
        assertThat(r.disabled()).extracting(DirectoryEntry::id).containsExactly("4");
        assertThat(r.newEntries()).as("no snapshot yet: nobody is news").isEmpty();
        assertThat(r.snapshot().size()).as("people only, disabled included").isEqualTo(4);
    }

    @Test
    void aPrimaryToPrimaryMatchWinsOverAnAliasMatch() {
        // the host user "sam" is both entry 1's alias and entry 2's primary address
        List<DirectoryEntry> dir =
                List.of(person("1", "samantha@example.com", "sam@example.com"), person("2", "sam@example.com"));
        DirectorySync.Report r =
                DirectorySync.match(dir, List.of(DirectorySync.HostUser.of("u", "sam@example.com")), null);
        assertThat(r.matched())
                .singleElement()
                .satisfies(m -> assertThat(m.entry().id()).isEqualTo("2"));
        assertThat(r.unmatchedDirectory()).extracting(DirectoryEntry::id).containsExactly("1");
    }

    @Test
    void newSinceTheStoredSnapshotSurvivesEncoding() {
        DirectorySync.Report first = DirectorySync.match(
                List.of(person("1", "a@example.com")),
                List.of(
                        DirectorySync.HostUser.of("a", "a@example.com"),
                        DirectorySync.HostUser.of("b", "b@example.com")),
                DirectorySnapshot.none());
        DirectorySnapshot stored = DirectorySnapshot.decode(first.snapshot().encode());
        assertThat(stored).isEqualTo(first.snapshot());

        // b joins; a is renamed (same id): only b is new
        DirectorySync.Report second = DirectorySync.match(
                List.of(person("1", "a.new@example.com", "a@example.com"), person("id/2\nx", "b@example.com")),
                List.of(
                        DirectorySync.HostUser.of("a", "a@example.com"),
                        DirectorySync.HostUser.of("b", "b@example.com")),
                stored);
        assertThat(second.newEntries()).extracting(DirectoryEntry::id).containsExactly("id/2\nx");
        assertThat(second.newMatches()).extracting(m -> m.user().id()).containsExactly("b");
        assertThat(DirectorySnapshot.decode(second.snapshot().encode()).contains("id/2\nx"))
                .isTrue();
    }

    @Test
    void badInputIsATypedError() {
        assertThatThrownBy(() -> DirectorySync.match(
                        List.of(),
                        List.of(
                                DirectorySync.HostUser.of("a", "x@example.com"),
                                new DirectorySync.HostUser(
                                        "b", Mailbox.of("y@example.com"), List.of(Mailbox.of("X@example.com")))),
                        null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("X@example.com");
        assertThatThrownBy(() -> DirectorySync.match(
                        List.of(person("1", "a@example.com"), person("1", "b@example.com")), List.of(), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> DirectorySnapshot.decode("not a snapshot")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void readsEveryPageOfTheProvidersDirectory() {
        DirectoryReader reader = token -> token == null
                ? new DirectoryPage(List.of(person("1", "a@example.com")), "p2")
                : new DirectoryPage(List.of(person("2", "b@example.com")), null);
        CalendarConnection c = new CalendarConnection() {
            public String providerId() {
                return "test";
            }

            public java.util.Set<Capability> capabilities() {
                return java.util.Set.of(Capability.DIRECTORY);
            }

            public ConnectionScope scope() {
                return ConnectionScope.ORGANIZATION;
            }

            public java.util.Optional<Mailbox> self() {
                return java.util.Optional.empty();
            }

            public DirectoryReader directory() {
                return reader;
            }

            public void close() {}
        };
        DirectorySync.Report r = DirectorySync.run(c, List.of(DirectorySync.HostUser.of("b", "B@example.com")), null);
        assertThat(r.matched()).extracting(m -> m.entry().id()).containsExactly("2");
        assertThat(r.unmatchedDirectory()).extracting(DirectoryEntry::id).containsExactly("1");
    }

    @Test
    void exchangeOnlineAndOnPremisesNeverShareADomain() {
        OrganizationIntegration online = new OrganizationIntegration("m365", "graph", java.util.Set.of("Example.com"));
        OrganizationIntegration onPrem =
                new OrganizationIntegration("exch", "ews", java.util.Set.of("example.com", "b.com"));
        OrganizationIntegration google = new OrganizationIntegration("g", "google", java.util.Set.of("example.com"));
        assertThat(ExchangeDeployments.conflicts(List.of(online, onPrem, google)))
                .containsExactly(new ExchangeDeployments.Conflict("example.com", "m365", "exch"));
        assertThatThrownBy(() -> ExchangeDeployments.requireCompatible(onPrem, List.of(online, google)))
                .isInstanceOf(OrganizationConflictException.class)
                .hasMessageContaining("example.com")
                .satisfies(e ->
                        assertThat(((OrganizationConflictException) e).domain()).isEqualTo("example.com"));
        ExchangeDeployments.requireCompatible(
                new OrganizationIntegration("exch2", "ews", java.util.Set.of("c.com")), List.of(online));
        ExchangeDeployments.requireCompatible(google, List.of(online, onPrem));
    }
}
