package org.calsdk.graph.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import okhttp3.HttpUrl;

import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;

/**
 * The organization's users through {@code /users} (pages of 999, the most Graph gives); users without a
 * mail address (no mailbox) are left out. The page token is Graph's next link, checked to lie under the
 * base URL.
 */
public final class GraphDirectory implements DirectoryReader {
    static final int PAGE_SIZE = 999;
    private final GraphSession s;

    public GraphDirectory(GraphSession session) {
        this.s = session;
    }

    @Override
    public DirectoryPage users(String pageToken) {
        HttpUrl url;
        if (pageToken == null) {
            url = s.client().url("users").addQueryParameter("$top", Integer.toString(PAGE_SIZE))
                    .addQueryParameter("$select", "id,mail,userPrincipalName,displayName,accountEnabled").build();
        } else {
            url = HttpUrl.parse(pageToken);
            if (url == null || !s.client().isUnderBase(url)) {
                throw new InvalidInputException("pageToken", "not a directory page token of this Graph connection");
            }
        }
        Map<String, Object> body = s.client().get("users", null, url);
        List<DirectoryEntry> users = new ArrayList<>();
        for (Map<String, Object> u : GraphClient.values(body)) {
            String mail = Json.str(u, "mail");
            String id = Json.str(u, "id");
            if (mail == null || id == null) {
                continue;
            }
            Mailbox m;
            try {
                m = Mailbox.of(mail);
            } catch (InvalidInputException e) {
                continue;
            }
            users.add(DirectoryEntry.person(id, m, Json.str(u, "displayName"), !Boolean.FALSE.equals(u.get("accountEnabled"))));
        }
        String next = Json.str(body, "@odata.nextLink");
        if (next != null) {
            HttpUrl n = HttpUrl.parse(next);
            if (n == null || !s.client().isUnderBase(n)) {
                throw new org.calsdk.errors.MalformedDataException("Graph sent a next link outside the base URL",
                        s.client().context(null), null);
            }
        }
        return new DirectoryPage(users, next);
    }
}
