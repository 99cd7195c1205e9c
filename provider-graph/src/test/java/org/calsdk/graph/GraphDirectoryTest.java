package org.calsdk.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.errors.NotFoundException;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.Test;

/** The organization's directory over the fake Graph: users, rooms from /places, and a group's members flattened. */
class GraphDirectoryTest {

    @Test
    void roomsCarryCapacityAndBuildingAndGroupMembersAreFlattenedOnce() {
        try (FakeGraphServer graph = FakeGraphServer.builder()
                        .mailbox("alice@example.com", "Alice")
                        .mailbox("bob@example.com", "Bob")
                        .mailbox("carol@example.com", "Carol")
                        .room("board@example.com", "Boardroom", 12, "HQ")
                        .room("booth@example.com", "Phone booth", null, null)
                        .group("g-trainers", "trainers@example.com", List.of("alice@example.com", "g-leads"))
                        .group("g-leads", "leads@example.com", List.of("bob@example.com", "alice@example.com"))
                        .build()
                        .start();
                CalendarConnection tenant = GraphProvider.builder()
                        .build()
                        .connect(ConnectionConfig.builder("graph")
                                .setting("baseUrl", graph.baseUrl())
                                .setting("accessToken", "app")
                                .build())) {
            assertThat(tenant.directory().allRooms())
                    .extracting(
                            DirectoryEntry::mailbox,
                            DirectoryEntry::kind,
                            DirectoryEntry::capacity,
                            DirectoryEntry::building)
                    .containsExactly(
                            tuple(Mailbox.of("board@example.com"), DirectoryEntry.Kind.ROOM, 12, "HQ"),
                            tuple(Mailbox.of("booth@example.com"), DirectoryEntry.Kind.ROOM, null, null));

            List<DirectoryEntry> members = tenant.directory().allGroupMembers("g-trainers");
            assertThat(members)
                    .extracting(DirectoryEntry::mailbox)
                    .containsExactly(Mailbox.of("alice@example.com"), Mailbox.of("bob@example.com"));
            assertThat(members).allSatisfy(m -> assertThat(m.kind()).isEqualTo(DirectoryEntry.Kind.PERSON));
            assertThat(tenant.directory().allGroupMembers("trainers@example.com"))
                    .as("by the group's address")
                    .isEqualTo(members);
            assertThatThrownBy(() -> tenant.directory().allGroupMembers("g-nope"))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> tenant.directory().allGroupMembers("nope@example.com"))
                    .isInstanceOf(NotFoundException.class);
            assertThat(tenant.directory().allUsers())
                    .extracting(DirectoryEntry::mailbox)
                    .contains(Mailbox.of("carol@example.com"));
        }
    }
}
