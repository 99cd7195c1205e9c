package org.calsdk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.directory.Directory;
import com.google.api.services.directory.model.Building;
import com.google.api.services.directory.model.Buildings;
import com.google.api.services.directory.model.Group;
import com.google.api.services.directory.model.Groups;
import com.google.api.services.directory.model.Member;
import com.google.api.services.directory.model.Members;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.testkit.SeedData;
import org.calsdk.testkit.google.FakeGoogleServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Groups of the Admin SDK directory: the provider lists a group's members page by page (nested groups
 * flattened, outsiders included, suspended users not enabled), refuses an unknown group with
 * NotFoundException, and asks for the group scope in a token of its own; the official directory client reads
 * the same groups and members pages from the fake. Rooms carry their building's name.
 */
class GoogleGroupsTest {
    private static final String ADMIN = "admin@example.com";
    private ServiceAccounts sa;
    private FakeGoogleServer google;

    @BeforeEach
    void start() {
        sa = ServiceAccounts.generate(null);
        FakeGoogleServer.Builder b = FakeGoogleServer.builder()
                .user(ADMIN, "Admin")
                .user("alice@example.com", "Alice")
                .user("bob@example.com", "Bob")
                .group("leads@example.com", "Leads", "alice@example.com", "partner@other.org")
                .group("team@example.com", "Team", "bob@example.com", "leads@example.com", "alice@example.com")
                .building("hq", "Headquarters")
                .room("c_board@resource.calendar.google.com", "Boardroom", 12, "hq")
                .room("c_annex@resource.calendar.google.com", "Annex room", 4, "gone")
                .serviceAccount(ServiceAccounts.CLIENT_EMAIL, sa.pair.getPublic(), Set.of(ADMIN));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            String m = String.format("u%03d@example.com", i);
            b.user(m, "User " + i);
            many.add(m);
        }
        b.group("all@example.com", "Everyone", many.toArray(String[]::new));
        google = b.build().start();
        google.seed(SeedData.organization("example.com")
                .user("dave@example.com", "Dave", u -> u.disabled())
                .build());
    }

    @AfterEach
    void stop() {
        google.close();
    }

    private CalendarConnection org(String groupScopes) {
        ConnectionConfig.Builder b = ConnectionConfig.builder("google")
                .setting("baseUrl", google.baseUrl())
                .setting("tokenUrl", google.tokenUrl())
                .setting("serviceAccountKey", sa.json)
                .setting("subject", ADMIN);
        if (groupScopes != null) {
            b.setting("groupScopes", groupScopes);
        }
        return new GoogleProvider().connect(b.build());
    }

    @Test
    void aGroupsMembersAreListedWithNestedGroupsFlattenedAndOutsidersIncluded() {
        try (CalendarConnection org = org(null)) {
            assertThat(org.supports(Capability.DIRECTORY_GROUPS)).isTrue();
            List<DirectoryEntry> team = org.directory().allGroupMembers("team@example.com");
            assertThat(team)
                    .extracting(e -> e.mailbox().email())
                    .containsExactly("bob@example.com", "alice@example.com", "partner@other.org");
            assertThat(team).extracting(DirectoryEntry::kind).containsOnly(DirectoryEntry.Kind.PERSON);
            assertThat(team).extracting(DirectoryEntry::id).doesNotHaveDuplicates();
            assertThat(team).allSatisfy(e -> assertThat(e.enabled()).isTrue());
            assertThat(google.calls("directory.members.list")).isEqualTo(1);
            long tokens = google.accounting().calls("token");
            org.directory().allUsers();
            assertThat(google.accounting().calls("token"))
                    .as("the group scope is asked for apart, before the users")
                    .isEqualTo(tokens + 1);
        }
    }

    @Test
    void fourHundredFiftyMembersAreThreePagesOfAtMostTwoHundred() {
        try (CalendarConnection org = org(null)) {
            DirectoryPage first = org.directory().groupMembers("all@example.com", null);
            assertThat(first.entries()).hasSize(200);
            assertThat(first.nextPageToken()).isNotNull();
            List<DirectoryEntry> all = org.directory().allGroupMembers("all@example.com");
            assertThat(all).hasSize(450).extracting(DirectoryEntry::mailbox).doesNotHaveDuplicates();
            assertThat(google.calls("directory.members.list")).isEqualTo(1 + 3);
        }
    }

    @Test
    void aSuspendedMemberIsNotEnabledAndAGroupIsFoundByItsId() throws IOException {
        google.close();
        google = FakeGoogleServer.builder()
                .user(ADMIN, "Admin")
                .serviceAccount(ServiceAccounts.CLIENT_EMAIL, sa.pair.getPublic(), Set.of(ADMIN))
                .group("ops@example.com", "Ops", "dave@example.com", ADMIN)
                .build()
                .start();
        google.seed(SeedData.organization("example.com")
                .user("dave@example.com", "Dave", u -> u.disabled())
                .build());
        String groupId = officialClient()
                .groups()
                .list()
                .setCustomer("my_customer")
                .execute()
                .getGroups()
                .get(0)
                .getId();
        try (CalendarConnection org = org(null)) {
            List<DirectoryEntry> ops = org.directory().allGroupMembers(groupId);
            assertThat(ops).extracting(e -> e.mailbox().email()).containsExactly("dave@example.com", ADMIN);
            assertThat(ops.get(0).enabled()).isFalse();
            assertThat(ops.get(1).enabled()).isTrue();
        }
    }

    @Test
    void anUnknownGroupIsNotFound() {
        try (CalendarConnection org = org(null)) {
            assertThatThrownBy(() -> org.directory().groupMembers("nobody@example.com", null))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("no group nobody@example.com");
        }
    }

    @Test
    void withoutTheGroupScopeOnlyTheGroupsAreRefused() {
        try (CalendarConnection org = org("https://www.googleapis.com/auth/calendar")) {
            assertThatThrownBy(() -> org.directory().groupMembers("team@example.com", null))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThat(org.directory().allUsers()).isNotEmpty();
        }
    }

    @Test
    void aUsersOwnConnectionDoesNotListGroups() {
        try (CalendarConnection alice = new GoogleProvider()
                .connect(google.connectionConfig("alice@example.com").build())) {
            assertThat(alice.supports(Capability.DIRECTORY_GROUPS)).isFalse();
            assertThatThrownBy(() -> alice.directory().groupMembers("team@example.com", null))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            assertThat(google.calls("directory.members.list")).isZero();
        }
    }

    @Test
    void roomsCarryTheirBuildingsNameOrTheIdOfABuildingNoLongerListed() {
        try (CalendarConnection org = org(null)) {
            List<DirectoryEntry> rooms = org.directory().allRooms();
            assertThat(rooms).extracting(DirectoryEntry::building).containsExactly("gone", "Headquarters");
            assertThat(google.calls("directory.resources.buildings.list")).isEqualTo(1);
        }
    }

    private Directory officialClient() {
        String token = google.issueAccessToken(ADMIN);
        return new Directory.Builder(
                        new NetHttpTransport(),
                        GsonFactory.getDefaultInstance(),
                        req -> req.getHeaders().setAuthorization("Bearer " + token))
                .setRootUrl(google.baseUrl())
                .setApplicationName("calsdk-wire-test")
                .build();
    }

    @Test
    void theOfficialClientPagesThroughTheSameGroupsMembersAndBuildings() throws IOException {
        Directory dir = officialClient();
        List<Group> groups = new ArrayList<>();
        String token = null;
        do {
            Groups page = dir.groups()
                    .list()
                    .setCustomer("my_customer")
                    .setMaxResults(2)
                    .setPageToken(token)
                    .execute();
            groups.addAll(page.getGroups());
            token = page.getNextPageToken();
        } while (token != null);
        assertThat(groups)
                .extracting(Group::getEmail)
                .containsExactly("all@example.com", "leads@example.com", "team@example.com");
        assertThat(groups.get(2).getName()).isEqualTo("Team");
        assertThat(groups.get(2).getDirectMembersCount()).isEqualTo(3L);

        Members direct = dir.members().list("team@example.com").execute();
        assertThat(direct.getMembers())
                .extracting(Member::getEmail)
                .containsExactly("bob@example.com", "leads@example.com", "alice@example.com");
        assertThat(direct.getMembers()).extracting(Member::getType).containsExactly("USER", "GROUP", "USER");
        Members derived = dir.members()
                .list("team@example.com")
                .setIncludeDerivedMembership(true)
                .execute();
        assertThat(derived.getMembers())
                .extracting(Member::getEmail)
                .containsExactly("bob@example.com", "leads@example.com", "alice@example.com", "partner@other.org");
        assertThat(derived.getMembers().get(3).getType()).isEqualTo("EXTERNAL");

        List<Member> all = new ArrayList<>();
        token = null;
        do {
            Members page = dir.members()
                    .list("all@example.com")
                    .setMaxResults(200)
                    .setPageToken(token)
                    .execute();
            all.addAll(page.getMembers());
            token = page.getNextPageToken();
        } while (token != null);
        assertThat(all).hasSize(450);
        assertThat(all.get(0).getRole()).isEqualTo("MEMBER");
        assertThat(all.get(0).getStatus()).isEqualTo("ACTIVE");

        try (CalendarConnection org = org(null)) {
            assertThat(org.directory().allGroupMembers("all@example.com"))
                    .extracting(e -> e.mailbox().email())
                    .containsExactlyElementsOf(
                            all.stream().map(Member::getEmail).toList());
        }
        assertThatThrownBy(() -> dir.members().list("nobody@example.com").execute())
                .isInstanceOf(com.google.api.client.googleapis.json.GoogleJsonResponseException.class)
                .satisfies(e -> assertThat(
                                ((com.google.api.client.googleapis.json.GoogleJsonResponseException) e).getStatusCode())
                        .isEqualTo(404));

        Buildings buildings = dir.resources().buildings().list("my_customer").execute();
        assertThat(buildings.getBuildings())
                .extracting(Building::getBuildingId, Building::getBuildingName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hq", "Headquarters"));
    }
}
