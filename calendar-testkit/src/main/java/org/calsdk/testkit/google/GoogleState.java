package org.calsdk.testkit.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.BusyInterval;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;

/**
 * The state of the fake Google Calendar and the handlers of its endpoints. Every handler runs under the
 * state's lock. Events are kept as the JSON resources clients sent (plus the fields Google sets), so that
 * whatever a client writes reads back as written; deleted events stay as {@code cancelled} tombstones, as
 * Google keeps them (sync answers report them; their ids stay taken).
 */
final class GoogleState {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EVENT_ID = Pattern.compile("[a-v0-9]{5,1024}");
    private static final Set<String> NOT_WITH_SYNC_TOKEN = Set.of(
            "iCalUID",
            "orderBy",
            "privateExtendedProperty",
            "q",
            "sharedExtendedProperty",
            "timeMin",
            "timeMax",
            "updatedMin");
    private static final int MAX_EXPANSION = 5_000;

    final Clock clock;
    final Map<String, User> users = new LinkedHashMap<>();
    /** access token → the user it acts for (null: any user, an unbound token of the open mode). */
    final Map<String, Token> tokens = new HashMap<>();

    final Map<String, String> refreshTokens = new HashMap<>();
    final Map<String, String> authorizationCodes = new HashMap<>();
    final Map<String, Set<String>> delegation = new HashMap<>();
    final Map<String, java.security.PublicKey> serviceAccountKeys = new HashMap<>();
    final Map<String, LongAdder> subCalls = new ConcurrentHashMap<>();
    final Set<String> autoDomains = new HashSet<>();
    int maxFreeBusyCalendars = 50;
    Duration maxFreeBusyWindow = Duration.ofDays(90);
    int maxBatchCalls = 1000;
    Duration tokenLifetime = Duration.ofHours(1);
    long seq;
    long epoch = 1;
    int tokenCounter;

    /** An access token; {@code scope} null when any scope counts (tokens given by hand or by a user's grant). */
    record Token(String user, Instant expiresAt, String scope) {
        Token(String user, Instant expiresAt) {
            this(user, expiresAt, null);
        }

        boolean grants(String scopePrefix) {
            return scope == null || java.util.Arrays.stream(scope.split(" ")).anyMatch(x -> x.startsWith(scopePrefix));
        }
    }

    /** A watch channel on a calendar's events. */
    record Channel(String id, String resourceId, String calendarId, String token, String address, Instant expiresAt) {}

    final Map<String, Channel> channels = new LinkedHashMap<>();
    final List<GoogleNotification> notifications = new ArrayList<>();
    long messageNumber;
    Duration maxChannelTtl = Duration.ofDays(30);

    /** A calendar resource of the Admin SDK (a room or other bookable thing) with a calendar of its own. */
    record Resource(
            String id,
            String email,
            String name,
            String category,
            Integer capacity,
            String buildingId,
            String floorName) {}

    final Map<String, Resource> resources = new LinkedHashMap<>();

    /** A building of the Admin SDK's resources ({@code resources.buildings}). */
    record Building(String id, String name) {}

    final Map<String, Building> buildings = new LinkedHashMap<>();

    /**
     * A group of the Admin SDK: its members by address with their role ({@code OWNER}, {@code MANAGER},
     * {@code MEMBER}); a member's type (user, group, external) is read from the state when listed.
     */
    record Group(String id, String email, String name, List<String> aliases, Map<String, String> members) {}

    /** Groups by lower-case address. */
    final Map<String, Group> groups = new LinkedHashMap<>();

    static final class User {
        final String email;
        final String name;
        boolean suspended;
        /** A calendar resource's calendar: busy time and events, but not a person of the directory. */
        boolean resource;

        final List<String> aliases = new ArrayList<>();
        final Map<String, Cal> calendars = new LinkedHashMap<>();

        User(String email, String name) {
            this.email = email;
            this.name = name;
        }
    }

    static final class Cal {
        final String id;
        final String owner;
        String summary;
        String timeZone = "UTC";
        final boolean primary;
        final Map<String, Stored> events = new LinkedHashMap<>();

        Cal(String id, String owner, String summary, boolean primary) {
            this.id = id;
            this.owner = owner;
            this.summary = summary;
            this.primary = primary;
        }
    }

    /** A stored event resource and the sequence number of its last change. */
    static final class Stored {
        ObjectNode json;
        long changed;

        Stored(ObjectNode json, long changed) {
            this.json = json;
            this.changed = changed;
        }

        boolean cancelled() {
            return "cancelled".equals(json.path("status").asText());
        }

        String recurringEventId() {
            return json.path("recurringEventId").asText(null);
        }
    }

    GoogleState(Clock clock) {
        this.clock = clock;
    }

    // ------------------------------------------------------------------------------------------------
    // users, tokens

    User addUser(String email, String name) {
        String key = email.toLowerCase(Locale.ROOT);
        return users.computeIfAbsent(key, k -> {
            User u = new User(email, name);
            u.calendars.put(key, new Cal(email, key, email, true));
            return u;
        });
    }

    /** Adds a calendar resource, and its calendar (its id is the resource's address). */
    void addResource(Resource r) {
        addUser(r.email(), r.name()).resource = true;
        resources.put(r.email().toLowerCase(Locale.ROOT), r);
    }

    Optional<User> user(String email) {
        String key = email.toLowerCase(Locale.ROOT);
        User u = users.get(key);
        if (u == null && key.contains("@") && autoDomains.contains(key.substring(key.indexOf('@') + 1))) {
            u = addUser(email, null);
        }
        return Optional.ofNullable(u);
    }

    /** Set once any credential existed: revoking them all later must not open the fake to any token. */
    private boolean authSeen;

    boolean openAuth() {
        if (!authSeen
                && !(tokens.isEmpty()
                        && delegation.isEmpty()
                        && refreshTokens.isEmpty()
                        && authorizationCodes.isEmpty())) {
            authSeen = true;
        }
        return !authSeen;
    }

    String issueToken(String user) {
        return issueToken(user, null);
    }

    /** An access token for {@code user} carrying {@code scope} (a service account's assertion names its scopes). */
    String issueToken(String user, String scope) {
        authSeen = true;
        String t = "ya29.fake-" + (++tokenCounter) + "-"
                + java.util.UUID.randomUUID().toString().replace("-", "");
        tokens.put(t, new Token(user, clock.instant().plus(tokenLifetime), scope));
        return t;
    }

    /** The user the request's bearer token acts for; empty for an unbound token of the open mode. */
    Optional<String> authenticate(FakeRequest r) {
        String h = r.header("Authorization").orElse("");
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new GoogleError(401, "required", "Login Required.");
        }
        String token = h.substring(7).strip();
        boolean open = openAuth();
        Token t = tokens.get(token);
        if (t == null) {
            if (open) {
                return Optional.empty();
            }
            throw new GoogleError(401, "authError", "Invalid Credentials");
        }
        if (t.expiresAt() != null && !clock.instant().isBefore(t.expiresAt())) {
            throw new GoogleError(401, "authError", "Invalid Credentials");
        }
        return Optional.ofNullable(t.user());
    }

    void count(String op) {
        subCalls.computeIfAbsent(op, k -> new LongAdder()).increment();
    }

    // ------------------------------------------------------------------------------------------------
    // calendars

    Cal calendar(String calendarId, Optional<String> caller) {
        String id = calendarId;
        if ("primary".equals(id)) {
            id = caller.orElseThrow(() -> new GoogleError(
                    400,
                    "invalid",
                    "This fake cannot tell whose 'primary' calendar is meant: the access token is not bound to a user "
                            + "(name the calendar by the user's address, or seed the token for a user)."));
        }
        String key = id.toLowerCase(Locale.ROOT);
        // a user's primary calendar is keyed by the user's address: found without a scan (freeBusy asks for
        // thousands of calendars at once, and a scan per calendar made the fake quadratic)
        User owner = users.get(key);
        Cal primary = owner == null ? null : owner.calendars.get(key);
        if (primary != null) {
            if (caller.isPresent() && !caller.get().equalsIgnoreCase(primary.owner)) {
                throw new GoogleError(404, "notFound", "Not Found");
            }
            return primary;
        }
        for (User u : users.values()) {
            Cal c = u.calendars.get(key);
            if (c == null) {
                for (Cal x : u.calendars.values()) {
                    if (x.id.equalsIgnoreCase(id)) {
                        c = x;
                    }
                }
            }
            if (c != null) {
                if (caller.isPresent() && !caller.get().equalsIgnoreCase(c.owner)) {
                    throw new GoogleError(404, "notFound", "Not Found");
                }
                return c;
            }
        }
        if (id.contains("@") && user(id).isPresent()) {
            return calendar(id, caller);
        }
        throw new GoogleError(404, "notFound", "Not Found");
    }

    ObjectNode calendarListEntry(Cal c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "calendar#calendarListEntry");
        n.put("etag", "\"" + c.id.hashCode() + "\"");
        n.put("id", c.id);
        n.put("summary", c.summary);
        n.put("timeZone", c.timeZone);
        n.put("accessRole", "owner");
        if (c.primary) {
            n.put("primary", true);
        }
        return n;
    }

    FakeResponse calendarList(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("calendarList.list");
        String who = me.orElseThrow(() -> new GoogleError(
                400,
                "invalid",
                "This fake cannot tell whose calendar " + "list is meant: the access token is not bound to a user."));
        User u = user(who).orElseThrow(() -> new GoogleError(404, "notFound", "Not Found"));
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "calendar#calendarList");
        out.put("etag", "\"" + seq + "\"");
        ArrayNode items = out.putArray("items");
        u.calendars.values().forEach(c -> items.add(calendarListEntry(c)));
        return ok(out);
    }

    FakeResponse calendarGet(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("calendars.get");
        Cal c = calendar(r.pathParam("calendarId"), me);
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "calendar#calendar");
        n.put("etag", "\"" + c.id.hashCode() + "\"");
        n.put("id", c.id);
        n.put("summary", c.summary);
        n.put("timeZone", c.timeZone);
        return ok(n);
    }

    // ------------------------------------------------------------------------------------------------
    // events

    FakeResponse insert(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("events.insert");
        Cal c = calendar(r.pathParam("calendarId"), me);
        ObjectNode body = parseBody(r);
        String id = body.path("id").asText(null);
        if (id == null) {
            id = java.util.UUID.randomUUID().toString().replace("-", "").replaceAll("[w-z]", "a");
        } else if (!EVENT_ID.matcher(id).matches()) {
            throw new GoogleError(400, "invalid", "Invalid resource id value.");
        }
        if (c.events.containsKey(id)) {
            throw new GoogleError(409, "duplicate", "The requested identifier already exists.");
        }
        validateTimes(body);
        ObjectNode stored = body.deepCopy();
        stored.put("id", id);
        stored.put("created", GoogleTimes.rfc3339(clock.instant()));
        if (!stored.hasNonNull("iCalUID")) {
            stored.put("iCalUID", id + "@google.com");
        }
        stamp(c, stored);
        bookRooms(c, stored);
        c.events.put(id, new Stored(stored, seq));
        return ok(stored);
    }

    FakeResponse get(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("events.get");
        Cal c = calendar(r.pathParam("calendarId"), me);
        return ok(find(c, r.pathParam("eventId")).orElseThrow(() -> new GoogleError(404, "notFound", "Not Found")));
    }

    FakeResponse update(FakeRequest r, boolean patch) {
        Optional<String> me = authenticate(r);
        count(patch ? "events.patch" : "events.update");
        Cal c = calendar(r.pathParam("calendarId"), me);
        String id = r.pathParam("eventId");
        ObjectNode current = find(c, id).orElseThrow(() -> new GoogleError(404, "notFound", "Not Found"));
        checkIfMatch(r, current);
        ObjectNode body = parseBody(r);
        ObjectNode next;
        if (patch) {
            next = current.deepCopy();
            body.properties().forEach(f -> next.set(f.getKey(), f.getValue()));
        } else {
            next = body.deepCopy();
        }
        next.put("id", id);
        next.set("iCalUID", current.get("iCalUID"));
        next.set("created", current.get("created"));
        for (String keep : List.of("recurringEventId", "originalStartTime")) {
            if (current.has(keep)) {
                next.set(keep, current.get(keep));
            }
        }
        if (!next.has("status")) {
            next.put("status", "confirmed");
        }
        validateTimes(next);
        stamp(c, next);
        releaseRooms(current, next);
        bookRooms(c, next);
        Stored s = c.events.get(id);
        if (s == null) {
            c.events.put(id, new Stored(next, seq)); // the first change of an occurrence makes it an exception
        } else {
            s.json = next;
            s.changed = seq;
        }
        if (recurring(next)) {
            dropStaleExceptions(c, next);
        }
        return ok(next);
    }

    FakeResponse delete(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("events.delete");
        Cal c = calendar(r.pathParam("calendarId"), me);
        String id = r.pathParam("eventId");
        ObjectNode current = find(c, id).orElseThrow(() -> new GoogleError(404, "notFound", "Not Found"));
        if ("cancelled".equals(current.path("status").asText())) {
            throw new GoogleError(410, "deleted", "Resource has been deleted");
        }
        checkIfMatch(r, current);
        ObjectNode gone = current.deepCopy();
        gone.put("status", "cancelled");
        stamp(c, gone);
        bookRooms(c, gone);
        Stored s = c.events.get(id);
        if (s == null) {
            c.events.put(id, new Stored(gone, seq));
        } else {
            s.json = gone;
            s.changed = seq;
        }
        if (recurring(current)) {
            for (Stored x : c.events.values()) {
                if (id.equals(x.recurringEventId()) && !x.cancelled()) {
                    x.json.put("status", "cancelled");
                    stamp(c, x.json);
                    x.changed = seq;
                }
            }
        }
        return FakeResponse.of(204);
    }

    FakeResponse instances(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("events.instances");
        Cal c = calendar(r.pathParam("calendarId"), me);
        ObjectNode master =
                find(c, r.pathParam("eventId")).orElseThrow(() -> new GoogleError(404, "notFound", "Not Found"));
        if (!recurring(master)) {
            throw new GoogleError(400, "invalid", "The event is not recurring.");
        }
        TimeWindow w = window(r);
        boolean showDeleted = bool(r, "showDeleted");
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode i : expand(c, master, w)) {
            if (showDeleted || !"cancelled".equals(i.path("status").asText())) {
                all.add(i);
            }
        }
        return page(r, all, null);
    }

    FakeResponse list(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("events.list");
        Cal c = calendar(r.pathParam("calendarId"), me);
        String syncToken = r.query("syncToken").orElse(null);
        String pageToken = r.query("pageToken").orElse(null);
        long since = -1;
        long snapshot = seq;
        if (syncToken != null) {
            for (String p : NOT_WITH_SYNC_TOKEN) {
                if (r.query(p).isPresent()) {
                    throw new GoogleError(400, "invalid", "Sync token cannot be used with " + p + ".");
                }
            }
            since = decodeSyncToken(syncToken, c);
        }
        if (pageToken != null) {
            long[] p = decodePageToken(pageToken);
            snapshot = p[1];
        }
        boolean showDeleted = syncToken != null || bool(r, "showDeleted");
        boolean single = bool(r, "singleEvents");
        TimeWindow w = r.query("timeMin").isPresent() || r.query("timeMax").isPresent() ? window(r) : null;
        String uid = r.query("iCalUID").orElse(null);
        String prop = r.query("privateExtendedProperty").orElse(null);
        List<ObjectNode> out = new ArrayList<>();
        for (Stored s : c.events.values()) {
            if (since >= 0 && s.changed <= since) {
                continue;
            }
            if (s.changed > snapshot) {
                continue;
            }
            ObjectNode e = s.json;
            boolean exception = s.recurringEventId() != null;
            if (s.cancelled() && !showDeleted && !(exception && !single)) {
                continue;
            }
            if (uid != null && !uid.equals(e.path("iCalUID").asText())) {
                continue;
            }
            if (prop != null && !hasPrivate(e, prop)) {
                continue;
            }
            if (single && exception) {
                continue; // placed by the expansion of its master
            }
            if (single && recurring(e) && !s.cancelled()) {
                TimeWindow ew = w != null
                        ? w
                        : TimeWindow.of(Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
                for (ObjectNode i : expand(c, e, ew)) {
                    if (showDeleted || !"cancelled".equals(i.path("status").asText())) {
                        out.add(i);
                    }
                }
                continue;
            }
            if (w != null && !s.cancelled() && !overlaps(e, w)) {
                continue;
            }
            out.add(e);
        }
        if (single && "startTime".equals(r.query("orderBy").orElse(null))) {
            out.sort(Comparator.comparing(
                    e -> GoogleTimes.time(e.get("start"), "start").toInstant(ZoneOffset.UTC)));
        }
        return page(r, out, syncToken(c, snapshot));
    }

    private FakeResponse page(FakeRequest r, List<ObjectNode> all, String nextSyncToken) {
        int max = r.query("maxResults").map(Integer::parseInt).orElse(250);
        if (max < 1 || max > 2500) {
            throw new GoogleError(400, "invalid", "Invalid value for maxResults.");
        }
        int offset = 0;
        long snapshot = seq;
        if (r.query("pageToken").isPresent()) {
            long[] p = decodePageToken(r.query("pageToken").get());
            offset = (int) p[0];
            snapshot = p[1];
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "calendar#events");
        out.put("etag", "\"" + seq + "\"");
        out.put("timeZone", "UTC");
        out.put("updated", GoogleTimes.rfc3339(clock.instant()));
        ArrayNode items = out.putArray("items");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            items.add(all.get(i));
        }
        if (end < all.size()) {
            out.put("nextPageToken", encode("p:" + end + ":" + snapshot));
        } else if (nextSyncToken != null) {
            out.put("nextSyncToken", nextSyncToken);
        }
        return ok(out);
    }

    private String syncToken(Cal c, long at) {
        return encode("s:" + epoch + ":" + c.id.hashCode() + ":" + at);
    }

    private long decodeSyncToken(String token, Cal c) {
        String[] p = decode(token).split(":");
        if (p.length != 4
                || !p[0].equals("s")
                || !p[1].equals(Long.toString(epoch))
                || !p[2].equals(Integer.toString(c.id.hashCode()))) {
            throw new GoogleError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.");
        }
        return Long.parseLong(p[3]);
    }

    private long[] decodePageToken(String token) {
        String[] p = decode(token).split(":");
        if (p.length != 3 || !p[0].equals("p")) {
            throw new GoogleError(400, "invalid", "Invalid page token value.");
        }
        return new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        try {
            return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    // ------------------------------------------------------------------------------------------------
    // watch channels

    FakeResponse watch(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("events.watch");
        Cal c = calendar(r.pathParam("calendarId"), me);
        ObjectNode body = parseBody(r);
        String id = body.path("id").asText(null);
        String address = body.path("address").asText(null);
        if (id == null || !id.matches("[A-Za-z0-9\\-_+/=]{1,64}")) {
            throw new GoogleError(400, "invalid", "Invalid channel id.");
        }
        if (!"web_hook".equals(body.path("type").asText())
                && !"webhook".equals(body.path("type").asText())) {
            throw new GoogleError(400, "invalid", "Invalid channel type.");
        }
        if (address == null || !(address.startsWith("https://") || address.startsWith("http://"))) {
            throw new GoogleError(400, "invalid", "Invalid channel address.");
        }
        if (channels.containsKey(id)) {
            throw new GoogleError(400, "channelIdNotUnique", "Channel id " + id + " not unique");
        }
        Duration ttl = Duration.ofDays(7);
        if (body.path("params").has("ttl")) {
            ttl = Duration.ofSeconds(
                    Long.parseLong(body.path("params").path("ttl").asText()));
        }
        if (ttl.compareTo(maxChannelTtl) > 0) {
            ttl = maxChannelTtl;
        }
        Instant expires = clock.instant().plus(ttl);
        String resourceId = encode("r:" + c.id).replace("_", "A").replace("-", "B");
        Channel ch = new Channel(id, resourceId, c.id, body.path("token").asText(null), address, expires);
        channels.put(id, ch);
        notify(ch, "sync");
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "api#channel");
        out.put("id", id);
        out.put("resourceId", resourceId);
        out.put("resourceUri", "https://www.googleapis.com/calendar/v3/calendars/" + c.id + "/events?alt=json");
        if (ch.token() != null) {
            out.put("token", ch.token());
        }
        out.put("expiration", Long.toString(expires.toEpochMilli()));
        return ok(out);
    }

    FakeResponse stop(FakeRequest r) {
        authenticate(r);
        count("channels.stop");
        ObjectNode body = parseBody(r);
        Channel ch = channels.get(body.path("id").asText(""));
        if (ch == null || !ch.resourceId().equals(body.path("resourceId").asText(""))) {
            throw new GoogleError(
                    404, "notFound", "Channel '" + body.path("id").asText("") + "' not found for project");
        }
        channels.remove(ch.id());
        return FakeResponse.of(204);
    }

    private void notifyChannels(Cal c, String state) {
        Instant now = clock.instant();
        channels.values().removeIf(ch -> !now.isBefore(ch.expiresAt()));
        for (Channel ch : channels.values()) {
            if (ch.calendarId().equals(c.id)) {
                notify(ch, state);
            }
        }
    }

    private void notify(Channel ch, String state) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Goog-Channel-ID", ch.id());
        if (ch.token() != null) {
            h.put("X-Goog-Channel-Token", ch.token());
        }
        h.put(
                "X-Goog-Channel-Expiration",
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ch.expiresAt().atZone(ZoneOffset.UTC)));
        h.put("X-Goog-Resource-ID", ch.resourceId());
        h.put(
                "X-Goog-Resource-URI",
                "https://www.googleapis.com/calendar/v3/calendars/" + ch.calendarId() + "/events?alt=json");
        h.put("X-Goog-Resource-State", state);
        h.put("X-Goog-Message-Number", Long.toString(++messageNumber));
        notifications.add(new GoogleNotification(ch.address(), h));
        if (notifications.size() > 10_000) {
            notifications.remove(0);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Admin SDK directory

    FakeResponse directoryUsers(FakeRequest r) {
        authenticate(r);
        count("directory.users.list");
        if (r.query("customer").isEmpty() && r.query("domain").isEmpty()) {
            throw new GoogleError(400, "badRequest", "Bad Request: give customer or domain.");
        }
        int max = r.query("maxResults").map(Integer::parseInt).orElse(100);
        if (max < 1 || max > 500) {
            throw new GoogleError(400, "invalid", "Invalid Input: maxResults");
        }
        String domain = r.query("domain").map(d -> d.toLowerCase(Locale.ROOT)).orElse(null);
        List<User> all = users.values().stream()
                .filter(u -> !u.resource)
                .filter(u -> domain == null || u.email.toLowerCase(Locale.ROOT).endsWith("@" + domain))
                .sorted(Comparator.comparing(u -> u.email.toLowerCase(Locale.ROOT)))
                .toList();
        int offset = 0;
        if (r.query("pageToken").isPresent()) {
            String[] p = decode(r.query("pageToken").get()).split(":");
            if (p.length != 2 || !p[0].equals("u")) {
                throw new GoogleError(400, "invalid", "Invalid Input: pageToken");
            }
            offset = Integer.parseInt(p[1]);
        }
        boolean admin = "admin_view".equals(r.query("viewType").orElse("admin_view"));
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "admin#directory#users");
        out.put("etag", "\"" + users.size() + "\"");
        ArrayNode list = out.putArray("users");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            User u = all.get(i);
            ObjectNode n = list.addObject();
            n.put("kind", "admin#directory#user");
            n.put("id", userId(u.email));
            n.put("primaryEmail", u.email);
            String name = u.name == null ? u.email.substring(0, u.email.indexOf('@')) : u.name;
            n.putObject("name").put("fullName", name);
            if (admin) {
                n.put("suspended", u.suspended);
            }
            if (!u.aliases.isEmpty()) {
                ArrayNode a = n.putArray("aliases");
                u.aliases.forEach(a::add);
            }
        }
        if (end < all.size()) {
            out.put("nextPageToken", encode("u:" + end));
        }
        return ok(out);
    }

    /** The Admin SDK's id of a user (stable: derived from the address). */
    static String userId(String email) {
        return Long.toString(Math.abs((long) email.toLowerCase(Locale.ROOT).hashCode()) + 100_000_000_000L);
    }

    /**
     * {@code groups.list} of the Admin SDK: the customer's groups by address, up to 200 a page (Google's
     * limit); {@code customer} or {@code domain} is required. Needs a group scope.
     */
    FakeResponse directoryGroups(FakeRequest r) {
        authenticate(r);
        count("directory.groups.list");
        requireScope(r, "https://www.googleapis.com/auth/admin.directory.group", false);
        if (r.query("customer").isEmpty()
                && r.query("domain").isEmpty()
                && r.query("userKey").isEmpty()) {
            throw new GoogleError(400, "badRequest", "Bad Request: give customer, domain or userKey.");
        }
        int max = maxResults(r, 200);
        String domain = r.query("domain").map(d -> d.toLowerCase(Locale.ROOT)).orElse(null);
        String userKey = r.query("userKey").map(u -> u.toLowerCase(Locale.ROOT)).orElse(null);
        List<Group> all = groups.values().stream()
                .filter(g ->
                        domain == null || g.email().toLowerCase(Locale.ROOT).endsWith("@" + domain))
                .filter(g -> userKey == null || g.members().containsKey(userKey))
                .sorted(Comparator.comparing(g -> g.email().toLowerCase(Locale.ROOT)))
                .toList();
        int offset = offset(r, "g");
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "admin#directory#groups");
        out.put("etag", "\"" + groups.size() + "\"");
        ArrayNode list = out.putArray("groups");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            Group g = all.get(i);
            ObjectNode n = list.addObject();
            n.put("kind", "admin#directory#group");
            n.put("id", g.id());
            n.put("etag", "\"" + g.id() + "-" + g.members().size() + "\"");
            n.put("email", g.email());
            n.put("name", g.name());
            n.put("directMembersCount", Integer.toString(g.members().size()));
            n.put("adminCreated", true);
            if (!g.aliases().isEmpty()) {
                ArrayNode a = n.putArray("aliases");
                g.aliases().forEach(a::add);
            }
        }
        if (end < all.size()) {
            out.put("nextPageToken", encode("g:" + end));
        }
        return ok(out);
    }

    /**
     * {@code members.list} of the Admin SDK: a group (by address, alias or id) and its members, up to 200 a
     * page; with {@code includeDerivedMembership=true} the members of nested groups follow, each address once
     * (nested groups stay listed as members of type {@code GROUP}). An unknown group answers 404
     * {@code notFound}, as Google does.
     */
    FakeResponse directoryMembers(FakeRequest r) {
        authenticate(r);
        count("directory.members.list");
        requireScope(r, "https://www.googleapis.com/auth/admin.directory.group", true);
        Group g = group(r.pathParam("groupKey"))
                .orElseThrow(() -> new GoogleError(404, "notFound", "Resource Not Found: groupKey"));
        int max = maxResults(r, 200);
        boolean derived = bool(r, "includeDerivedMembership");
        String role = r.query("roles").orElse(null);
        Map<String, String> members = new LinkedHashMap<>();
        collectMembers(g, derived, new HashSet<>(), members);
        List<Map.Entry<String, String>> all = members.entrySet().stream()
                .filter(e ->
                        role == null || java.util.Arrays.asList(role.split(",")).contains(e.getValue()))
                .toList();
        int offset = offset(r, "m");
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "admin#directory#members");
        out.put("etag", "\"" + g.id() + "-" + all.size() + "\"");
        ArrayNode list = out.putArray("members");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            String email = all.get(i).getKey();
            Group nested = groups.get(email);
            User u = users.get(email);
            ObjectNode n = list.addObject();
            n.put("kind", "admin#directory#member");
            n.put("etag", "\"" + email.hashCode() + "\"");
            n.put(
                    "id",
                    nested != null
                            ? nested.id()
                            : u != null ? userId(email) : "ext-" + Integer.toHexString(email.hashCode()));
            n.put("email", nested != null ? nested.email() : u != null ? u.email : email);
            n.put("role", all.get(i).getValue());
            n.put("type", nested != null ? "GROUP" : u != null ? "USER" : "EXTERNAL");
            if (u != null) {
                n.put("status", u.suspended ? "SUSPENDED" : "ACTIVE");
            }
        }
        if (end < all.size()) {
            out.put("nextPageToken", encode("m:" + end));
        }
        return ok(out);
    }

    private void collectMembers(Group g, boolean derived, Set<String> seenGroups, Map<String, String> out) {
        if (!seenGroups.add(g.email().toLowerCase(Locale.ROOT))) {
            return;
        }
        for (Map.Entry<String, String> m : g.members().entrySet()) {
            out.putIfAbsent(m.getKey(), m.getValue());
        }
        if (derived) {
            for (String m : g.members().keySet()) {
                Group nested = groups.get(m);
                if (nested != null) {
                    collectMembers(nested, true, seenGroups, out);
                }
            }
        }
    }

    /** A group by address, alias or id. */
    private Optional<Group> group(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        Group g = groups.get(k);
        if (g != null) {
            return Optional.of(g);
        }
        return groups.values().stream()
                .filter(x -> x.id().equals(key) || x.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(key)))
                .findFirst();
    }

    /**
     * {@code resources.buildings.list} of the Admin SDK: the customer's buildings, up to 500 a page. Needs the
     * calendar resource scope, as Google does.
     */
    FakeResponse directoryBuildings(FakeRequest r) {
        authenticate(r);
        count("directory.resources.buildings.list");
        requireScope(r, "https://www.googleapis.com/auth/admin.directory.resource.calendar", false);
        int max = maxResults(r, 500);
        List<Building> all = buildings.values().stream()
                .sorted(Comparator.comparing(Building::id))
                .toList();
        int offset = offset(r, "b");
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "admin#directory#resources#buildings#buildingsList");
        out.put("etag", "\"" + buildings.size() + "\"");
        ArrayNode list = out.putArray("buildings");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            Building b = all.get(i);
            ObjectNode n = list.addObject();
            n.put("kind", "admin#directory#resources#buildings#Building");
            n.put("etags", "\"" + b.id() + "\"");
            n.put("buildingId", b.id());
            n.put("buildingName", b.name());
            n.putArray("floorNames").add("1");
        }
        if (end < all.size()) {
            out.put("nextPageToken", encode("b:" + end));
        }
        return ok(out);
    }

    /**
     * Refuses a token issued for other scopes (tokens without a recorded scope pass). With {@code orMember},
     * the narrower {@code .member} scopes count as well (they are what {@code members.list} also accepts).
     */
    private void requireScope(FakeRequest r, String scope, boolean orMember) {
        Token t = tokens.get(r.header("Authorization").orElse("").substring(7).strip());
        if (t == null || t.scope() == null) {
            return;
        }
        boolean granted = java.util.Arrays.stream(t.scope().split(" "))
                .anyMatch(x -> x.equals(scope)
                        || x.equals(scope + ".readonly")
                        || (orMember && (x.equals(scope + ".member") || x.equals(scope + ".member.readonly"))));
        if (!granted) {
            throw new GoogleError(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
        }
    }

    private static int maxResults(FakeRequest r, int limit) {
        int max = r.query("maxResults").map(Integer::parseInt).orElse(Math.min(100, limit));
        if (max < 1 || max > limit) {
            throw new GoogleError(400, "invalid", "Invalid Input: maxResults");
        }
        return max;
    }

    private static int offset(FakeRequest r, String kind) {
        if (r.query("pageToken").isEmpty()) {
            return 0;
        }
        String[] p = decode(r.query("pageToken").get()).split(":");
        if (p.length != 2 || !p[0].equals(kind)) {
            throw new GoogleError(400, "invalid", "Invalid Input: pageToken");
        }
        return Integer.parseInt(p[1]);
    }

    /**
     * {@code resources.calendars.list} of the Admin SDK: the customer's calendar resources by address, up to
     * 500 a page (Google's limit), as {@code CalendarResources}.
     */
    FakeResponse directoryResources(FakeRequest r) {
        authenticate(r);
        count("directory.resources.calendars.list");
        Token t = tokens.get(r.header("Authorization").orElse("").substring(7).strip());
        if (t != null && !t.grants("https://www.googleapis.com/auth/admin.directory.resource.calendar")) {
            throw new GoogleError(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
        }
        int max = r.query("maxResults").map(Integer::parseInt).orElse(100);
        if (max < 1 || max > 500) {
            throw new GoogleError(400, "invalid", "Invalid Input: maxResults");
        }
        List<Resource> all = resources.values().stream()
                .sorted(Comparator.comparing(x -> x.email().toLowerCase(Locale.ROOT)))
                .toList();
        int offset = 0;
        if (r.query("pageToken").isPresent()) {
            String[] p = decode(r.query("pageToken").get()).split(":");
            if (p.length != 2 || !p[0].equals("r")) {
                throw new GoogleError(400, "invalid", "Invalid Input: pageToken");
            }
            offset = Integer.parseInt(p[1]);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "admin#directory#resources#calendars#calendarResourcesList");
        out.put("etag", "\"" + resources.size() + "\"");
        ArrayNode items = out.putArray("items");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            Resource x = all.get(i);
            ObjectNode n = items.addObject();
            n.put("kind", "admin#directory#resources#calendars#CalendarResource");
            n.put("etags", "\"" + x.id() + "\"");
            n.put("resourceId", x.id());
            n.put("resourceName", x.name());
            n.put("resourceEmail", x.email());
            n.put("resourceCategory", x.category());
            n.put(
                    "generatedResourceName",
                    (x.buildingId() == null ? "" : x.buildingId() + "-")
                            + (x.floorName() == null ? "" : x.floorName() + "-")
                            + x.name()
                            + (x.capacity() == null ? "" : " (" + x.capacity() + ")"));
            if (x.capacity() != null) {
                n.put("capacity", x.capacity());
            }
            if (x.buildingId() != null) {
                n.put("buildingId", x.buildingId());
            }
            if (x.floorName() != null) {
                n.put("floorName", x.floorName());
            }
        }
        if (end < all.size()) {
            out.put("nextPageToken", encode("r:" + end));
        }
        return ok(out);
    }

    // ------------------------------------------------------------------------------------------------
    // freeBusy

    FakeResponse freeBusy(FakeRequest r) {
        Optional<String> me = authenticate(r);
        count("freebusy.query");
        ObjectNode body = parseBody(r);
        Instant min = instant(body.path("timeMin").asText(null), "timeMin");
        Instant max = instant(body.path("timeMax").asText(null), "timeMax");
        if (!max.isAfter(min)) {
            throw new GoogleError(400, "timeRangeEmpty", "The specified time range is empty.");
        }
        if (Duration.between(min, max).compareTo(maxFreeBusyWindow) > 0) {
            throw new GoogleError(400, "timeRangeTooLong", "The requested time range is too long.");
        }
        JsonNode items = body.path("items");
        if (items.size() > maxFreeBusyCalendars) {
            throw new GoogleError(400, "tooManyCalendarsRequested", "The number of calendars requested is too large.");
        }
        TimeWindow w = TimeWindow.of(min, max);
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "calendar#freeBusy");
        out.put("timeMin", GoogleTimes.rfc3339(min));
        out.put("timeMax", GoogleTimes.rfc3339(max));
        ObjectNode cals = out.putObject("calendars");
        for (JsonNode item : items) {
            String id = item.path("id").asText();
            count("freebusy.calendar");
            ObjectNode entry = cals.putObject(id);
            Cal c;
            try {
                c = calendar(id, Optional.empty());
            } catch (GoogleError e) {
                entry.putArray("errors").addObject().put("domain", "global").put("reason", "notFound");
                entry.putArray("busy");
                continue;
            }
            ArrayNode busy = entry.putArray("busy");
            for (BusyInterval b : busy(c, w)) {
                busy.addObject().put("start", GoogleTimes.rfc3339(b.start())).put("end", GoogleTimes.rfc3339(b.end()));
            }
        }
        me.ifPresent(x -> {});
        return ok(out);
    }

    private List<BusyInterval> busy(Cal c, TimeWindow w) {
        List<Event> events = new ArrayList<>();
        for (Stored s : c.events.values()) {
            if (s.cancelled() || s.recurringEventId() != null) {
                continue;
            }
            if (recurring(s.json)) {
                for (ObjectNode i : expand(c, s.json, w)) {
                    if (!"cancelled".equals(i.path("status").asText())) {
                        events.add(GoogleTimes.toCore(stripRecurrence(i)));
                    }
                }
            } else {
                events.add(GoogleTimes.toCore(s.json));
            }
        }
        // Google's free/busy knows only busy: tentative time is busy time
        List<Event> opaque = events.stream()
                .map(e -> e.toBuilder()
                        .status(e.isCancelled() ? e.status() : org.calsdk.model.EventStatus.CONFIRMED)
                        .build())
                .toList();
        return mergeAll(Recurrences.busy(opaque, w, ZoneOffset.UTC));
    }

    private static List<BusyInterval> mergeAll(List<BusyInterval> in) {
        List<BusyInterval> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparing(BusyInterval::start));
        List<BusyInterval> out = new ArrayList<>();
        for (BusyInterval b : sorted) {
            if (!out.isEmpty() && !b.start().isAfter(out.get(out.size() - 1).end())) {
                BusyInterval last = out.remove(out.size() - 1);
                out.add(BusyInterval.of(
                        last.start(), b.end().isAfter(last.end()) ? b.end() : last.end(), last.status()));
            } else {
                out.add(b);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // helpers

    /** The event {@code id}: stored, or an occurrence of a stored series not changed yet. */
    Optional<ObjectNode> find(Cal c, String id) {
        Stored s = c.events.get(id);
        if (s != null) {
            return Optional.of(s.json);
        }
        int cut = id.lastIndexOf('_');
        if (cut < 0) {
            return Optional.empty();
        }
        Stored master = c.events.get(id.substring(0, cut));
        if (master == null || !recurring(master.json) || master.cancelled()) {
            return Optional.empty();
        }
        Event core = GoogleTimes.toCore(master.json);
        Instant from = core.start().toInstant(ZoneOffset.UTC).minus(Duration.ofDays(1));
        TimeWindow w = TimeWindow.of(from, from.plus(Duration.ofDays(3660)));
        try (Stream<Occurrence> occ = Recurrences.expand(core, w, ZoneOffset.UTC)) {
            return occ.limit(MAX_EXPANSION)
                    .filter(o -> o.recurrenceId() != null
                            && GoogleTimes.instanceSuffix(o.recurrenceId()).equals(id.substring(cut + 1)))
                    .findFirst()
                    .map(o -> instance(master.json, o));
        }
    }

    /** The occurrences of {@code master} overlapping {@code w}, exceptions in their place. */
    private List<ObjectNode> expand(Cal c, ObjectNode master, TimeWindow w) {
        String id = master.path("id").asText();
        Map<String, Stored> exceptions = new HashMap<>();
        for (Stored s : c.events.values()) {
            if (id.equals(s.recurringEventId())) {
                exceptions.put(s.json.path("id").asText(), s);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        Event core = GoogleTimes.toCore(master);
        // an occurrence moved into the window from outside it is found through its exception
        TimeWindow wide =
                TimeWindow.of(w.start().minus(Duration.ofDays(366)), w.end().plus(Duration.ofDays(366)));
        Set<String> placed = new HashSet<>();
        try (Stream<Occurrence> occ = Recurrences.expand(core, wide, ZoneOffset.UTC)) {
            Iterator<Occurrence> it = occ.limit(MAX_EXPANSION).iterator();
            while (it.hasNext()) {
                Occurrence o = it.next();
                String iid = id + "_" + GoogleTimes.instanceSuffix(o.recurrenceId());
                Stored ex = exceptions.get(iid);
                ObjectNode i = ex != null ? ex.json : instance(master, o);
                placed.add(iid);
                if (overlaps(i, w)
                        || (ex != null
                                && ex.cancelled()
                                && w.overlaps(
                                        o.startInstant(ZoneOffset.UTC),
                                        o.endInstant(ZoneOffset.UTC).plusSeconds(1)))) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    static boolean recurring(JsonNode e) {
        JsonNode r = e.get("recurrence");
        return r != null && r.isArray() && !r.isEmpty();
    }

    private static ObjectNode instance(ObjectNode master, Occurrence o) {
        ObjectNode i = master.deepCopy();
        i.remove("recurrence");
        String masterId = master.path("id").asText();
        i.put("id", masterId + "_" + GoogleTimes.instanceSuffix(o.recurrenceId()));
        i.put("recurringEventId", masterId);
        i.set("originalStartTime", originalStart(master, o.recurrenceId()));
        i.set("start", GoogleTimes.json(o.start()));
        i.set("end", GoogleTimes.json(o.end()));
        return i;
    }

    private static ObjectNode originalStart(ObjectNode master, EventTime rid) {
        ObjectNode n = GoogleTimes.json(rid);
        if (master.path("start").has("timeZone") && n.has("dateTime")) {
            n.put("timeZone", master.path("start").path("timeZone").asText());
        }
        return n;
    }

    private static ObjectNode stripRecurrence(ObjectNode i) {
        ObjectNode copy = i.deepCopy();
        copy.remove("recurrence");
        return copy;
    }

    /** After a series' times or rules change, its exceptions for occurrences that no longer exist go. */
    private void dropStaleExceptions(Cal c, ObjectNode master) {
        String id = master.path("id").asText();
        Event core = GoogleTimes.toCore(master);
        Set<String> valid = new HashSet<>();
        Instant from = core.start().toInstant(ZoneOffset.UTC).minus(Duration.ofDays(1));
        try (Stream<Occurrence> occ =
                Recurrences.expand(core, TimeWindow.of(from, from.plus(Duration.ofDays(3660))), ZoneOffset.UTC)) {
            occ.limit(MAX_EXPANSION).forEach(o -> valid.add(id + "_" + GoogleTimes.instanceSuffix(o.recurrenceId())));
        }
        c.events.entrySet().removeIf(e -> id.equals(e.getValue().recurringEventId()) && !valid.contains(e.getKey()));
    }

    private static boolean overlaps(ObjectNode e, TimeWindow w) {
        EventTime s = GoogleTimes.time(e.get("start"), "start");
        EventTime en = GoogleTimes.time(e.get("end"), "end");
        if (recurring(e)) {
            try (Stream<Occurrence> occ = Recurrences.expand(GoogleTimes.toCore(e), w, ZoneOffset.UTC)) {
                return occ.findAny().isPresent();
            }
        }
        Instant a = s.toInstant(ZoneOffset.UTC);
        Instant b = en.toInstant(ZoneOffset.UTC);
        return a.equals(b) ? w.contains(a) : w.overlaps(a, b);
    }

    private static boolean hasPrivate(ObjectNode e, String prop) {
        int eq = prop.indexOf('=');
        if (eq < 0) {
            throw new GoogleError(400, "invalid", "Invalid privateExtendedProperty value.");
        }
        return prop.substring(eq + 1)
                .equals(e.path("extendedProperties")
                        .path("private")
                        .path(prop.substring(0, eq))
                        .asText(null));
    }

    /**
     * Google puts an event into the calendars of the rooms it invites (calendar resources) and answers for
     * them, as a room set to accept automatically does: {@code accepted} when the room is free then,
     * {@code declined} when another event holds it (a series is accepted as a whole). A cancelled or
     * declined event leaves the room's calendar (cancelled there); the room's answer is written into
     * {@code event}'s attendee.
     */
    private void bookRooms(Cal organizer, ObjectNode event) {
        if (!event.path("attendees").isArray()) {
            return;
        }
        String id = event.path("id").asText();
        boolean cancelled = "cancelled".equals(event.path("status").asText());
        for (JsonNode a : event.path("attendees")) {
            String email = a.path("email").asText("").toLowerCase(Locale.ROOT);
            User roomUser = resources.containsKey(email) ? users.get(email) : null;
            Cal room = roomUser == null ? null : roomUser.calendars.get(email);
            if (room == null || room == organizer) {
                continue;
            }
            Stored held = room.events.remove(id);
            boolean free = cancelled || recurring(event) || roomFree(room, event);
            if (held != null) {
                room.events.put(id, held);
            }
            if (!cancelled) {
                ((ObjectNode) a).put("responseStatus", free ? "accepted" : "declined");
            }
            ObjectNode copy = event.deepCopy();
            if (cancelled || !free) {
                if (held == null) {
                    continue;
                }
                copy.put("status", "cancelled");
            }
            stamp(room, copy);
            if (held == null) {
                room.events.put(id, new Stored(copy, seq));
            } else {
                held.json = copy;
                held.changed = seq;
            }
        }
    }

    /** A room that {@code before} invited and {@code after} does not gives the event up (cancelled there). */
    private void releaseRooms(ObjectNode before, ObjectNode after) {
        Set<String> still = new HashSet<>();
        after.path("attendees")
                .forEach(a -> still.add(a.path("email").asText("").toLowerCase(Locale.ROOT)));
        for (JsonNode a : before.path("attendees")) {
            String email = a.path("email").asText("").toLowerCase(Locale.ROOT);
            User roomUser = resources.containsKey(email) && !still.contains(email) ? users.get(email) : null;
            Stored held = roomUser == null
                    ? null
                    : roomUser.calendars.get(email).events.get(before.path("id").asText());
            if (held != null && !held.cancelled()) {
                held.json.put("status", "cancelled");
                stamp(roomUser.calendars.get(email), held.json);
                held.changed = seq;
            }
        }
    }

    /** Whether nothing else holds {@code room} during the (single) {@code event}. */
    private boolean roomFree(Cal room, ObjectNode event) {
        Event core = GoogleTimes.toCore(event);
        TimeWindow all = TimeWindow.of(Instant.parse("1900-01-01T00:00:00Z"), Instant.parse("2200-01-01T00:00:00Z"));
        for (BusyInterval b : Recurrences.busy(List.of(core), all, ZoneOffset.UTC)) {
            if (!busy(room, TimeWindow.of(b.start(), b.end())).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private void stamp(Cal c, ObjectNode e) {
        seq++;
        notifyChannels(c, "exists");
        e.put("kind", "calendar#event");
        e.put("etag", "\"" + (3_000_000_000_000L + seq) + "\"");
        e.put("updated", GoogleTimes.rfc3339(clock.instant()));
        if (!e.has("status")) {
            e.put("status", "confirmed");
        }
        if (!e.has("organizer")) {
            e.putObject("organizer").put("email", c.owner).put("self", true);
        }
        if (!e.has("creator")) {
            e.putObject("creator").put("email", c.owner).put("self", true);
        }
    }

    private static void checkIfMatch(FakeRequest r, ObjectNode current) {
        Optional<String> ifMatch = r.header("If-Match");
        if (ifMatch.isPresent()
                && !ifMatch.get().equals("*")
                && !ifMatch.get().equals(current.path("etag").asText())) {
            throw new GoogleError(412, "conditionNotMet", "Precondition Failed");
        }
    }

    private static void validateTimes(ObjectNode e) {
        EventTime s = GoogleTimes.time(e.get("start"), "start");
        EventTime en = GoogleTimes.time(e.get("end"), "end");
        if (s.isAllDay() != en.isAllDay()) {
            throw new GoogleError(400, "invalid", "Start and end times must either both be date or both be dateTime.");
        }
        if (en.toInstant(ZoneOffset.UTC).isBefore(s.toInstant(ZoneOffset.UTC))) {
            throw new GoogleError(400, "timeRangeEmpty", "The specified time range is empty.");
        }
        if (recurring(e)) {
            GoogleTimes.toCore(e);
        }
    }

    static ObjectNode parseBody(FakeRequest r) {
        try {
            byte[] raw = r.body();
            if (r.header("Content-Encoding")
                    .map(v -> v.toLowerCase(Locale.ROOT).contains("gzip"))
                    .orElse(false)) {
                // Google's client libraries gzip request bodies by default
                try (java.util.zip.GZIPInputStream in =
                        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                    raw = in.readNBytes(16 * 1024 * 1024);
                }
            }
            JsonNode n = JSON.readTree(raw);
            if (n == null || !n.isObject()) {
                throw new GoogleError(400, "parseError", "Parse Error");
            }
            return (ObjectNode) n;
        } catch (java.io.IOException e) {
            throw new GoogleError(400, "parseError", "Parse Error");
        }
    }

    private static TimeWindow window(FakeRequest r) {
        Instant min = r.query("timeMin").map(v -> instant(v, "timeMin")).orElse(Instant.parse("1970-01-01T00:00:00Z"));
        Instant max = r.query("timeMax").map(v -> instant(v, "timeMax")).orElse(Instant.parse("2100-01-01T00:00:00Z"));
        if (!max.isAfter(min)) {
            throw new GoogleError(400, "timeRangeEmpty", "The specified time range is empty.");
        }
        return TimeWindow.of(min, max);
    }

    private static Instant instant(String v, String field) {
        if (v == null) {
            throw new GoogleError(400, "required", "Missing " + field + ".");
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new GoogleError(400, "invalid", "Bad Request: invalid " + field + ".");
        }
    }

    private static boolean bool(FakeRequest r, String name) {
        return r.query(name).map(Boolean::parseBoolean).orElse(false);
    }

    static FakeResponse ok(JsonNode n) {
        return FakeResponse.json(200, n.toString());
    }
}
