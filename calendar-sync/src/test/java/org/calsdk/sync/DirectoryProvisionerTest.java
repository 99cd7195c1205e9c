package org.calsdk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectorySnapshot;
import org.calsdk.api.DirectorySync;
import org.calsdk.errors.OrganizationConflictException;
import org.calsdk.model.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provisioning job on the engine's public API, and the Exchange rule where the engine registers mailboxes. */
class DirectoryProvisionerTest {
    private InMemorySyncStateStore store;
    private SyncEngine engine;
    private final List<DirectoryEntry> directory = new ArrayList<>();
    private final List<DirectorySync.HostUser> hostUsers = new ArrayList<>();
    private final AtomicReference<String> stored = new AtomicReference<>("");

    @BeforeEach
    void setUp() {
        store = new InMemorySyncStateStore();
        engine = SyncEngine.builder()
                .store(store)
                .connections((i, m) -> {
                    throw new AssertionError("the job never connects a mailbox itself");
                })
                .build();
        engine.saveIntegration(Integration.active("acme", "graph"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static DirectoryEntry person(String id, String email, boolean enabled) {
        return DirectoryEntry.person(id, Mailbox.of(email), null, enabled);
    }

    private DirectoryProvisioner job(ProvisioningPolicy policy) {
        return DirectoryProvisioner.builder(engine, "acme")
                .entries(() -> directory)
                .hostUsers(() -> hostUsers)
                .policy(policy)
                .snapshot(() -> DirectorySnapshot.decode(stored.get()), s -> stored.set(s.encode()))
                .build();
    }

    @Test
    void addsMatchedPeopleThePolicyAcceptsAndPicksUpNewOnesNextRun() {
        directory.add(person("1", "alice@example.com", true));
        directory.add(person("2", "bob@example.com", true));
        directory.add(person("3", "stranger@example.com", true));
        hostUsers.add(DirectorySync.HostUser.of("a", "ALICE@example.com"));
        hostUsers.add(DirectorySync.HostUser.of("b", "bob@example.com"));
        ProvisioningPolicy notBob = m -> !m.user().id().equals("b");

        try (DirectoryProvisioner job = job(notBob)) {
            ProvisioningReport first = job.runOnce();
            assertThat(first.added()).containsExactly(Mailbox.of("alice@example.com"));
            assertThat(first.declined()).containsExactly(Mailbox.of("bob@example.com"));
            assertThat(first.directory().unmatchedDirectory())
                    .extracting(DirectoryEntry::id)
                    .containsExactly("3");
            assertThat(engine.mailboxes())
                    .extracting(MailboxStatus::mailbox)
                    .containsExactly(Mailbox.of("alice@example.com"));

            // carol joins the directory and the host; the next run adds her and reports her as new
            directory.add(person("4", "carol@example.com", true));
            hostUsers.add(DirectorySync.HostUser.of("c", "carol@example.com"));
            ProvisioningReport second = job.runOnce();
            assertThat(second.added()).containsExactly(Mailbox.of("carol@example.com"));
            assertThat(second.directory().newMatches())
                    .extracting(DirectorySync.Match::mailbox)
                    .containsExactly(Mailbox.of("carol@example.com"));
            assertThat(second.directory().newEntries()).hasSize(1);

            // alice is suspended in the directory: her sync is turned off
            directory.set(0, person("1", "alice@example.com", false));
            ProvisioningReport third = job.runOnce();
            assertThat(third.disabled()).containsExactly(Mailbox.of("alice@example.com"));
            assertThat(store.mailbox(Mailbox.of("alice@example.com"))
                            .orElseThrow()
                            .enabled())
                    .isFalse();
            assertThat(third.added()).isEmpty();
        }
    }

    @Test
    void theExchangeRuleHoldsWhereTheEngineRegistersMailboxes() {
        engine.addMailbox("acme", Mailbox.of("alice@example.com"));
        engine.saveIntegration(Integration.active("acme-onprem", "ews"));
        assertThatThrownBy(() -> engine.addMailbox("acme-onprem", Mailbox.of("bob@example.com")))
                .isInstanceOf(OrganizationConflictException.class)
                .hasMessageContaining("example.com");
        engine.addMailbox("acme-onprem", Mailbox.of("bob@other.example"));
        // reactivating an inactive on-premises integration that covers the domain is refused too
        engine.saveIntegration(Integration.active("old", "ews").withStatus(Integration.Status.INACTIVE));
        store.addMailbox("old", Mailbox.of("carol@example.com"));
        assertThatThrownBy(() -> engine.saveIntegration(Integration.active("old", "ews")))
                .isInstanceOf(OrganizationConflictException.class);

        // the provisioning job reports such a mailbox as refused and goes on
        directory.add(person("9", "dave@example.com", true));
        hostUsers.add(DirectorySync.HostUser.of("d", "dave@example.com"));
        try (DirectoryProvisioner job = DirectoryProvisioner.builder(engine, "acme-onprem")
                .entries(() -> directory)
                .hostUsers(() -> hostUsers)
                .policy(ProvisioningPolicy.all())
                .build()) {
            ProvisioningReport r = job.runOnce();
            assertThat(r.refused())
                    .extracting(ProvisioningReport.Refusal::mailbox)
                    .containsExactly(Mailbox.of("dave@example.com"));
            assertThat(r.added()).isEmpty();
        }
    }
}
