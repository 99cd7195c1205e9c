package org.calsdk.google.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Mailbox;

/**
 * The organization's users from the Admin SDK Directory API ({@code users.list}, 500 a page, ordered by
 * address). A user connection reads the domain's public directory ({@code viewType=domain_public}, which
 * any user of the domain may); an organization connection reads as its subject with the administrator's
 * view (which also says who is suspended). Entries without a usable primary address are left out. The
 * organization connection also lists calendar resources (rooms with their building's name) and the members of
 * groups.
 */
public final class GoogleDirectory implements DirectoryReader {
    static final int PAGE = 500;
    /** Google's largest page of {@code members.list}. */
    static final int MEMBERS_PAGE = 200;
    /** The most pages of buildings read to name the rooms' buildings (500 each). */
    static final int MAX_BUILDING_PAGES = 100;
    /** The scope of calendar resource reads. */
    public static final String RESOURCE_SCOPE =
            "https://www.googleapis.com/auth/admin.directory.resource.calendar.readonly";
    /** The scope of group member reads (the narrowest that {@code members.list} accepts). */
    public static final String GROUP_SCOPE = "https://www.googleapis.com/auth/admin.directory.group.member.readonly";

    private final GoogleSession s;
    private final HttpUrl root;
    private final Mailbox actAs;
    private final boolean admin;
    /** Building id → name, read once per listing of the rooms (null: not read yet). */
    private Map<String, String> buildingNames;

    GoogleDirectory(GoogleSession s, HttpUrl root, Mailbox actAs, boolean admin) {
        this.s = s;
        this.root = root;
        this.actAs = actAs;
        this.admin = admin;
    }

    @Override
    public DirectoryPage users(String pageToken) {
        HttpUrl.Builder u = page(pageToken, PAGE, "users")
                .addQueryParameter("customer", "my_customer")
                .addQueryParameter("orderBy", "email")
                .addQueryParameter("viewType", admin ? "admin_view" : "domain_public");
        Map<String, Object> page = s.call(
                "directory.users",
                actAs,
                new Request.Builder().url(u.build()).build(),
                true,
                "listing the directory's users");
        List<DirectoryEntry> users = new ArrayList<>();
        for (Map<String, Object> e : Json.objects(page, "users")) {
            String id = Json.str(e, "id");
            String email = Json.str(e, "primaryEmail");
            if (id == null || email == null) {
                continue;
            }
            Mailbox m;
            try {
                m = Mailbox.of(email);
            } catch (InvalidInputException bad) {
                continue;
            }
            users.add(
                    DirectoryEntry.person(id, m, Json.str(Json.map(e, "name"), "fullName"), !Json.bool(e, "suspended"))
                            .withAliases(aliases(e, m)));
        }
        return new DirectoryPage(users, Json.str(page, "nextPageToken"));
    }

    /**
     * The customer's calendar resources ({@code resources.calendars.list}, 500 a page): category
     * {@code CONFERENCE_ROOM} is a room with its capacity and building (its name, from the buildings list); {@code OTHER} is
     * equipment; legacy
     * {@code CATEGORY_UNKNOWN} counts as a room when it has a capacity, else as equipment. Resources without a
     * usable address are left out. The token is asked for the resource scope alone
     * ({@link #RESOURCE_SCOPE}, see {@link GoogleSession#resourceTokens()}).
     */
    @Override
    public DirectoryPage rooms(String pageToken) {
        HttpUrl.Builder u = page(pageToken, PAGE, "customer", "my_customer", "resources", "calendars");
        Map<String, Object> page = s.call(
                "directory.resources",
                actAs,
                new Request.Builder().url(u.build()).build(),
                true,
                "listing the directory's calendar resources (rooms)",
                s.resourceTokens());
        List<DirectoryEntry> out = new ArrayList<>();
        List<Map<String, Object>> items = Json.objects(page, "items");
        Map<String, String> buildings = items.stream().anyMatch(e -> Json.str(e, "buildingId") != null)
                ? buildingNames(pageToken == null)
                : Map.of();
        for (Map<String, Object> e : items) {
            String id = Json.str(e, "resourceId");
            String email = Json.str(e, "resourceEmail");
            if (id == null || email == null) {
                continue;
            }
            Mailbox m;
            try {
                m = Mailbox.of(email);
            } catch (InvalidInputException bad) {
                continue;
            }
            String name = Json.str(e, "resourceName");
            Integer capacity = e.get("capacity") instanceof Number n && n.intValue() >= 0 ? n.intValue() : null;
            String category = Json.str(e, "resourceCategory");
            boolean room = "CONFERENCE_ROOM".equals(category) || (!"OTHER".equals(category) && capacity != null);
            out.add(
                    room
                            ? DirectoryEntry.room(id, m, name, capacity, building(Json.str(e, "buildingId"), buildings))
                            : new DirectoryEntry(
                                    id, m, name, true, DirectoryEntry.Kind.EQUIPMENT, List.of(), null, null));
        }
        return new DirectoryPage(out, Json.str(page, "nextPageToken"));
    }

    /** The name of building {@code id} in {@code names}; the id itself when none (a building deleted since). */
    private static String building(String id, Map<String, String> names) {
        return id == null ? null : names.getOrDefault(id, id);
    }

    /**
     * Building id → name from {@code resources.buildings.list} (same scope as the resources), read at most
     * once per listing of the rooms ({@code fresh}: its first page) and only when a room names a building.
     */
    private Map<String, String> buildingNames(boolean fresh) {
        synchronized (this) {
            if (fresh || buildingNames == null) {
                buildingNames = readBuildings();
            }
            return buildingNames;
        }
    }

    private Map<String, String> readBuildings() {
        Map<String, String> names = new HashMap<>();
        String token = null;
        int pages = 0;
        do {
            if (++pages > MAX_BUILDING_PAGES) {
                throw new MalformedDataException(
                        "Google's buildings list did not end after " + MAX_BUILDING_PAGES
                                + " pages; its page tokens may loop",
                        s.ctx(actAs),
                        null);
            }
            HttpUrl.Builder u = page(token, PAGE, "customer", "my_customer", "resources", "buildings");
            Map<String, Object> page = s.call(
                    "directory.buildings",
                    actAs,
                    new Request.Builder().url(u.build()).build(),
                    true,
                    "listing the directory's buildings (to name the rooms' buildings)",
                    s.resourceTokens());
            for (Map<String, Object> b : Json.objects(page, "buildings")) {
                String id = Json.str(b, "buildingId");
                String name = Json.str(b, "buildingName");
                if (id != null && name != null && !name.isBlank()) {
                    names.put(id, name);
                }
            }
            token = Json.str(page, "nextPageToken");
        } while (token != null);
        return names;
    }

    /**
     * One page of a group's members ({@code members.list}, 200 a page, {@code includeDerivedMembership} so
     * that nested groups' members are listed too); {@code groupId} is the group's address, an alias or its
     * id. Users and outside addresses are {@link DirectoryEntry.Kind#PERSON}s (a suspended user not enabled);
     * the nested groups themselves and whole-customer entries are left out, as are members without a usable
     * address. Members carry no names. The token is asked for the group scope alone ({@link #GROUP_SCOPE}).
     *
     * @throws NotFoundException              when the directory has no such group
     * @throws UnsupportedCapabilityException on a user's own connection (the Admin SDK's groups need an
     *                                        administrator)
     */
    @Override
    public DirectoryPage groupMembers(String groupId, String pageToken) {
        if (groupId == null || groupId.isBlank()) {
            throw new InvalidInputException("groupId", "groupId must not be blank");
        }
        if (!admin) {
            throw new UnsupportedCapabilityException(
                    "a Google user's own connection does not list group members "
                            + "(the Admin SDK's groups need an administrator: use the organization connection)",
                    s.ctx(actAs));
        }
        HttpUrl.Builder u = page(pageToken, MEMBERS_PAGE, "groups", groupId.strip(), "members")
                .addQueryParameter("includeDerivedMembership", "true");
        Map<String, Object> page;
        try {
            page = s.call(
                    "directory.members",
                    actAs,
                    new Request.Builder().url(u.build()).build(),
                    true,
                    "listing the members of group " + groupId,
                    s.groupTokens());
        } catch (NotFoundException e) {
            throw new NotFoundException(
                    "the directory has no group " + groupId + " (Google answered 404 to "
                            + "members.list; name a group by its address, an alias or its id)",
                    e.context(),
                    e);
        }
        Set<Mailbox> seen = new LinkedHashSet<>();
        List<DirectoryEntry> out = new ArrayList<>();
        for (Map<String, Object> e : Json.objects(page, "members")) {
            String type = Json.str(e, "type");
            String email = Json.str(e, "email");
            if (email == null || "GROUP".equals(type) || "CUSTOMER".equals(type)) {
                continue;
            }
            Mailbox m;
            try {
                m = Mailbox.of(email);
            } catch (InvalidInputException bad) {
                continue;
            }
            if (!seen.add(m)) {
                continue;
            }
            String id = Json.str(e, "id");
            boolean enabled = !"SUSPENDED".equals(Json.str(e, "status"));
            out.add(DirectoryEntry.person(id == null || id.isBlank() ? m.normalized() : id, m, null, enabled));
        }
        return new DirectoryPage(out, Json.str(page, "nextPageToken"));
    }

    /** A user's other addresses ({@code aliases}), unusable ones and the primary left out. */
    private static List<Mailbox> aliases(Map<String, Object> user, Mailbox primary) {
        List<Mailbox> out = new ArrayList<>();
        if (user.get("aliases") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String a) {
                    try {
                        Mailbox m = Mailbox.of(a);
                        if (!m.equals(primary)) {
                            out.add(m);
                        }
                    } catch (InvalidInputException bad) {
                        // an alias that is no address is left out like an entry without one
                    }
                }
            }
        }
        return out;
    }

    /** {@code admin/directory/v1/<segments>} with the page size and, after the first page, its token. */
    private HttpUrl.Builder page(String pageToken, int size, String... segments) {
        HttpUrl.Builder u = root.newBuilder()
                .addPathSegment("admin")
                .addPathSegment("directory")
                .addPathSegment("v1");
        for (String segment : segments) {
            u.addPathSegment(segment);
        }
        u.addQueryParameter("maxResults", Integer.toString(size));
        if (pageToken != null) {
            u.addQueryParameter("pageToken", pageToken);
        }
        return u;
    }
}
