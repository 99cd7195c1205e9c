package org.calsdk.google.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import okhttp3.HttpUrl;
import okhttp3.Request;

import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;

/**
 * The organization's users from the Admin SDK Directory API ({@code users.list}, 500 a page, ordered by
 * address). A user connection reads the domain's public directory ({@code viewType=domain_public}, which
 * any user of the domain may); an organization connection reads as its subject with the administrator's
 * view (which also says who is suspended). Entries without a usable primary address are left out.
 */
public final class GoogleDirectory implements DirectoryReader {
    static final int PAGE = 500;
    /** The scope of calendar resource reads. */
    public static final String RESOURCE_SCOPE = "https://www.googleapis.com/auth/admin.directory.resource.calendar.readonly";

    private final GoogleSession s;
    private final HttpUrl root;
    private final Mailbox actAs;
    private final boolean admin;

    GoogleDirectory(GoogleSession s, HttpUrl root, Mailbox actAs, boolean admin) {
        this.s = s;
        this.root = root;
        this.actAs = actAs;
        this.admin = admin;
    }

    @Override
    public DirectoryPage users(String pageToken) {
        HttpUrl.Builder u = root.newBuilder().addPathSegment("admin").addPathSegment("directory").addPathSegment("v1")
                .addPathSegment("users").addQueryParameter("customer", "my_customer")
                .addQueryParameter("maxResults", Integer.toString(PAGE)).addQueryParameter("orderBy", "email")
                .addQueryParameter("viewType", admin ? "admin_view" : "domain_public");
        if (pageToken != null) {
            u.addQueryParameter("pageToken", pageToken);
        }
        Map<String, Object> page = s.call("directory.users", actAs, new Request.Builder().url(u.build()).build(), true,
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
            users.add(DirectoryEntry.person(id, m, Json.str(Json.map(e, "name"), "fullName"), !Json.bool(e, "suspended"))
                    .withAliases(aliases(e, m)));
        }
        return new DirectoryPage(users, Json.str(page, "nextPageToken"));
    }

    /**
     * The customer's calendar resources ({@code resources.calendars.list}, 500 a page): category
     * {@code CONFERENCE_ROOM} is a room with its capacity and building id; {@code OTHER} is equipment; legacy
     * {@code CATEGORY_UNKNOWN} counts as a room when it has a capacity, else as equipment. Resources without a
     * usable address are left out. The token is asked for the resource scope alone
     * ({@link #RESOURCE_SCOPE}, see {@link GoogleSession#resourceTokens()}).
     */
    @Override
    public DirectoryPage rooms(String pageToken) {
        HttpUrl.Builder u = root.newBuilder().addPathSegment("admin").addPathSegment("directory").addPathSegment("v1")
                .addPathSegment("customer").addPathSegment("my_customer").addPathSegment("resources")
                .addPathSegment("calendars").addQueryParameter("maxResults", Integer.toString(PAGE));
        if (pageToken != null) {
            u.addQueryParameter("pageToken", pageToken);
        }
        Map<String, Object> page = s.call("directory.resources", actAs, new Request.Builder().url(u.build()).build(),
                true, "listing the directory's calendar resources (rooms)", s.resourceTokens());
        List<DirectoryEntry> out = new ArrayList<>();
        for (Map<String, Object> e : Json.objects(page, "items")) {
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
            boolean room = "CONFERENCE_ROOM".equals(category)
                    || (!"OTHER".equals(category) && capacity != null);
            out.add(room ? DirectoryEntry.room(id, m, name, capacity, Json.str(e, "buildingId"))
                    : new DirectoryEntry(id, m, name, true, DirectoryEntry.Kind.EQUIPMENT, List.of(), null, null));
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
}
