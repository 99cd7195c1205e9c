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
final class GoogleDirectory implements DirectoryReader {
    static final int PAGE = 500;

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
