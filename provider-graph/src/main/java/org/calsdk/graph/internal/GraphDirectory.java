package org.calsdk.graph.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.Mailbox;

/**
 * The organization's users through {@code /users} (pages of 999, the most Graph gives), its rooms through
 * {@code /places}, and the members of its groups; users without a mail address (no mailbox) are left out. The page token is Graph's next link, checked to lie under the
 * base URL.
 */
public final class GraphDirectory implements DirectoryReader {
    static final int PAGE_SIZE = 999;
    static final int ROOM_PAGE_SIZE = 100;
    private final GraphSession s;

    public GraphDirectory(GraphSession session) {
        this.s = session;
    }

    @Override
    public DirectoryPage users(String pageToken) {
        HttpUrl url = pageToken != null
                ? pageUrl(pageToken)
                : s.client()
                        .url("users")
                        .addQueryParameter("$top", Integer.toString(PAGE_SIZE))
                        .addQueryParameter("$select", "id,mail,userPrincipalName,displayName,accountEnabled")
                        .build();
        Map<String, Object> body = s.client().get("users", null, url);
        List<DirectoryEntry> users = new ArrayList<>();
        for (Map<String, Object> u : GraphClient.values(body)) {
            person(u).ifPresent(users::add);
        }
        return new DirectoryPage(users, next(body));
    }

    /**
     * Rooms through {@code /places/microsoft.graph.room} (pages of {@value #ROOM_PAGE_SIZE}, Graph's most),
     * with their capacity and building; rooms without an address are left out.
     */
    @Override
    public DirectoryPage rooms(String pageToken) {
        HttpUrl url = pageToken != null
                ? pageUrl(pageToken)
                : s.client()
                        .url("places", "microsoft.graph.room")
                        .addQueryParameter("$top", Integer.toString(ROOM_PAGE_SIZE))
                        .build();
        Map<String, Object> body = s.client().get("places.rooms", null, url);
        List<DirectoryEntry> rooms = new ArrayList<>();
        for (Map<String, Object> r : GraphClient.values(body)) {
            String id = Json.str(r, "id");
            Optional<Mailbox> mail = mailbox(Json.str(r, "emailAddress"));
            if (id == null || mail.isEmpty()) {
                continue;
            }
            Object cap = r.get("capacity");
            Integer capacity = cap instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE
                    ? (int) n.longValue()
                    : null;
            rooms.add(
                    DirectoryEntry.room(id, mail.get(), Json.str(r, "displayName"), capacity, Json.str(r, "building")));
        }
        return new DirectoryPage(rooms, next(body));
    }

    /**
     * The members of a group through {@code /groups/{id}/transitiveMembers} (nested groups' members flattened
     * in by Graph, each once), people only (groups, devices and contacts are left out), pages of 999. A
     * group named by its address is looked up first ({@code /groups?$filter=mail eq '...'}).
     */
    @Override
    public DirectoryPage groupMembers(String groupId, String pageToken) {
        if (groupId == null || groupId.isBlank()) {
            throw new InvalidInputException("groupId", "the group's id or address is required");
        }
        HttpUrl url;
        if (pageToken != null) {
            url = pageUrl(pageToken);
        } else {
            String id = groupId.contains("@") ? groupIdByMail(groupId.strip()) : groupId.strip();
            url = s.client()
                    .url("groups", id, "transitiveMembers")
                    .addQueryParameter("$top", Integer.toString(PAGE_SIZE))
                    .addQueryParameter("$select", "id,mail,userPrincipalName,displayName,accountEnabled")
                    .build();
        }
        HttpResponse r = s.client().send("groups.members", null, "GET", url, null, null);
        if (r.status() == 404) {
            throw new NotFoundException(
                    "Graph has no group '" + groupId + "'",
                    s.client().context(null).withStatusCode(404));
        }
        if (!r.isSuccessful()) {
            throw s.client().error(r, null, "groups.members");
        }
        Map<String, Object> body = s.client().parse(r, null, "groups.members");
        List<DirectoryEntry> members = new ArrayList<>();
        for (Map<String, Object> m : GraphClient.values(body)) {
            String type = Json.str(m, "@odata.type");
            if (type == null || type.equals("#microsoft.graph.user")) {
                person(m).ifPresent(members::add);
            }
        }
        return new DirectoryPage(members, next(body));
    }

    private String groupIdByMail(String mail) {
        HttpUrl url = s.client()
                .url("groups")
                .addQueryParameter("$filter", "mail eq '" + mail.replace("'", "''") + "'")
                .addQueryParameter("$select", "id,mail")
                .build();
        List<Map<String, Object>> found = GraphClient.values(s.client().get("groups", null, url));
        String id = found.isEmpty() ? null : Json.str(found.get(0), "id");
        if (id == null) {
            throw new NotFoundException(
                    "Graph has no group with the address " + mail, s.client().context(null));
        }
        return id;
    }

    private static Optional<DirectoryEntry> person(Map<String, Object> u) {
        String id = Json.str(u, "id");
        Optional<Mailbox> mail = mailbox(Json.str(u, "mail"));
        if (id == null || mail.isEmpty()) {
            return Optional.empty(); // no mailbox
        }
        return Optional.of(DirectoryEntry.person(
                id, mail.get(), Json.str(u, "displayName"), !Boolean.FALSE.equals(u.get("accountEnabled"))));
    }

    private static Optional<Mailbox> mailbox(String address) {
        if (address == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Mailbox.of(address));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    private HttpUrl pageUrl(String pageToken) {
        HttpUrl url = HttpUrl.parse(pageToken);
        if (url == null || !s.client().isUnderBase(url)) {
            throw new InvalidInputException("pageToken", "not a directory page token of this Graph connection");
        }
        return url;
    }

    private String next(Map<String, Object> body) {
        String next = Json.str(body, "@odata.nextLink");
        s.client().serverLink(next, null);
        return next;
    }
}
