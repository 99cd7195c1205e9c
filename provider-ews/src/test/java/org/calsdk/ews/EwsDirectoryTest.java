package org.calsdk.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.ews.FakeEwsServer;
import org.junit.jupiter.api.Test;

/** The directory: a supplied list of addresses resolved with ResolveNames into directory entries. */
class EwsDirectoryTest {

    private static CalendarConnection org(FakeEwsServer ews, String directory) {
        var cfg = ews.connectionConfig("svc").setting("impersonation", "true");
        if (directory != null) {
            cfg.setting("directory", directory);
        }
        return EwsProvider.builder().build().connect(cfg.build());
    }

    @Test
    void suppliedAddressesResolveToPeopleWithNamesAndAliases() {
        try (FakeEwsServer ews = FakeEwsServer.builder()
                        .serviceAccount("svc", "svc-pw")
                        .mailbox("alice@example.com", "Alice Liddell", "a.liddell@example.com")
                        .mailbox("bob@example.com")
                        .build()
                        .start();
                CalendarConnection org =
                        org(ews, "alice@example.com, a.liddell@example.com;ghost@example.com\nbob@example.com")) {
            assertThat(org.supports(Capability.DIRECTORY)).isTrue();
            List<DirectoryEntry> all = org.directory().allUsers();
            assertThat(all)
                    .extracting(e -> e.mailbox().email())
                    .containsExactly("alice@example.com", "bob@example.com");
            DirectoryEntry alice = all.get(0);
            assertThat(alice.displayName()).isEqualTo("Alice Liddell");
            assertThat(alice.aliases()).containsExactly(Mailbox.of("a.liddell@example.com"));
            assertThat(alice.kind()).isEqualTo(DirectoryEntry.Kind.PERSON);
            assertThat(alice.hasAddress(Mailbox.of("A.Liddell@example.com"))).isTrue();
            assertThat(ews.accounting().calls("ResolveNames"))
                    .as("one ResolveNames per supplied address")
                    .isEqualTo(4);
        }
    }

    @Test
    void longListsArePagedAndNoListMeansNoDirectory() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add("user" + i + "@example.com");
        }
        try (FakeEwsServer ews = FakeEwsServer.builder()
                .serviceAccount("svc", "svc-pw")
                .anyExampleMailbox(true)
                .build()
                .start()) {
            for (String m : many) {
                ews.putEvent(m, EwsPullSubscriptionTest.event("exists")); // makes the mailbox
            }
            try (CalendarConnection org = org(ews, String.join(",", many))) {
                DirectoryPage first = org.directory().users(null);
                assertThat(first.entries()).hasSize(50);
                assertThat(first.nextPageToken()).isNotNull();
                DirectoryPage second = org.directory().users(first.nextPageToken());
                assertThat(second.entries()).hasSize(20);
                assertThat(second.isLast()).isTrue();
            }
            try (CalendarConnection org = org(ews, null)) {
                assertThat(org.supports(Capability.DIRECTORY)).isFalse();
                assertThatThrownBy(org::directory)
                        .isInstanceOf(UnsupportedCapabilityException.class)
                        .hasMessageContaining("'directory'");
            }
        }
    }
}
