package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.directory.Directory;
import com.google.api.services.directory.model.User;
import com.google.api.services.directory.model.Users;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake's Admin SDK directory, read by Google's own client ({@code google-api-services-admin-directory})
 * and by the provider: the same users, pages, names, aliases and suspension.
 */
class OfficialDirectoryClientWireTest {
    private FakeGoogleServer google;

    @BeforeEach
    void start() {
        google = FakeGoogleServer.builder()
                .user("carol@example.com", "Carol")
                .alias("carol@example.com", "c@example.com")
                .user("alice@example.com", "Alice")
                .user("bob@example.com", "Bob")
                .build()
                .start();
        google.seed(SeedData.organization("example.com")
                .user("dave@example.com", "Dave", u -> u.disabled())
                .build());
    }

    @AfterEach
    void stop() {
        google.close();
    }

    @Test
    void theOfficialClientPagesThroughTheUsers() throws IOException {
        String token = google.issueAccessToken("alice@example.com");
        Directory dir = new Directory.Builder(
                        new NetHttpTransport(),
                        GsonFactory.getDefaultInstance(),
                        req -> req.getHeaders().setAuthorization("Bearer " + token))
                .setRootUrl(google.baseUrl())
                .setApplicationName("calsdk-wire-test")
                .build();
        List<User> all = new ArrayList<>();
        String pageToken = null;
        do {
            Users page = dir.users()
                    .list()
                    .setCustomer("my_customer")
                    .setMaxResults(3)
                    .setOrderBy("email")
                    .setPageToken(pageToken)
                    .execute();
            all.addAll(page.getUsers());
            pageToken = page.getNextPageToken();
        } while (pageToken != null);
        assertThat(all)
                .extracting(User::getPrimaryEmail)
                .containsExactly("alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com");
        assertThat(all.get(2).getName().getFullName()).isEqualTo("Carol");
        assertThat(all.get(2).getAliases()).containsExactly("c@example.com");
        assertThat(all.get(3).getSuspended()).isTrue();
    }

    @Test
    void theProviderListsTheSameUsers() {
        try (CalendarConnection alice = new GoogleProvider()
                .connect(google.connectionConfig("alice@example.com").build())) {
            List<DirectoryEntry> users = alice.directory().allUsers();
            assertThat(users)
                    .extracting(u -> u.mailbox().email())
                    .containsExactly("alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com");
            assertThat(users.get(0).displayName()).isEqualTo("Alice");
            assertThat(users).extracting(DirectoryEntry::id).doesNotHaveDuplicates();
            assertThat(users).extracting(DirectoryEntry::kind).containsOnly(DirectoryEntry.Kind.PERSON);
            assertThat(users.get(2).aliases()).extracting(Mailbox::email).containsExactly("c@example.com");
        }
    }
}
