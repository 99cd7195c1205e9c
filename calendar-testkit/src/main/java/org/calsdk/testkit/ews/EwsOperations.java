package org.calsdk.testkit.ews;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.Attendee;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.Event;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.model.TimeWindow;
import org.calsdk.testkit.FakeResponse;

/** The fake's SOAP operations over its {@link EwsStore}. Every operation holds the store's lock. */
final class EwsOperations {
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
    static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    static final String ERRORS = "http://schemas.microsoft.com/exchange/services/2006/errors";
    private static final int MAX_SYNC = 512;
    private static final java.time.format.DateTimeFormatter LOCAL =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final EwsStore store;
    private final Clock clock;
    private final EwsSubscriptions subscriptions;

    EwsOperations(EwsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.subscriptions = new EwsSubscriptions(store, clock);
    }

    /** A request-level failure, answered as a SOAP fault (HTTP 500). */
    static final class SoapFault extends RuntimeException {
        final String code;
        final Long backOff;

        SoapFault(String code, String message, Long backOff) {
            super(message);
            this.code = code;
            this.backOff = backOff;
        }
    }

    /** A failure of one response message. */
    static final class ItemError extends RuntimeException {
        final String code;

        ItemError(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static FakeResponse fault(String code, String message, Long backOff) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"" + SOAP
                + "\"><s:Body><s:Fault><faultcode xmlns:a=\"" + TYPES + "\">a:" + code
                + "</faultcode><faultstring xml:lang=\"en-US\">"
                + El.esc(message) + "</faultstring><detail><e:ResponseCode xmlns:e=\"" + ERRORS + "\">" + code
                + "</e:ResponseCode><e:Message xmlns:e=\"" + ERRORS + "\">" + El.esc(message) + "</e:Message>");
        if (backOff != null) {
            x.append("<e:MessageXml xmlns:e=\"")
                    .append(ERRORS)
                    .append("\"><t:Value xmlns:t=\"")
                    .append(TYPES)
                    .append("\" Name=\"BackOffMilliseconds\">")
                    .append(backOff)
                    .append("</t:Value></e:MessageXml>");
        }
        x.append("</detail></s:Fault></s:Body></s:Envelope>");
        return FakeResponse.body(500, "text/xml; charset=utf-8", x.toString());
    }

    private static FakeResponse ok(String body) {
        String x = "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"" + SOAP + "\"><s:Header>"
                + "<h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"1\" MajorBuildNumber=\"2507\" MinorBuildNumber=\"6\""
                + " Version=\"V2017_07_11\" xmlns:h=\"" + TYPES + "\"/></s:Header><s:Body xmlns:m=\"" + MESSAGES
                + "\" xmlns:t=\"" + TYPES + "\">" + body + "</s:Body></s:Envelope>";
        return FakeResponse.body(200, "text/xml; charset=utf-8", x);
    }

    private static String error(String element, ItemError e) {
        return "<m:" + element + " ResponseClass=\"Error\"><m:MessageText>" + El.esc(e.getMessage())
                + "</m:MessageText><m:ResponseCode>" + e.code
                + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:" + element + ">";
    }

    private static String success(String element, String inner) {
        return "<m:" + element + " ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>" + inner + "</m:"
                + element + ">";
    }

    /** Who is calling and as whom. */
    private record Caller(String account, EwsStore.Box box) {}

    /** Answers one request routed to the fake. */
    FakeResponse handle(org.calsdk.testkit.FakeRequest request) {
        El envelope;
        try {
            envelope = El.parse(request.body());
        } catch (IllegalArgumentException e) {
            envelope = null;
        }
        return handle(request.header("Authorization").orElse(null), envelope);
    }

    FakeResponse handle(String authorization, El envelope) {
        String ntlmDomain;
        synchronized (store) {
            ntlmDomain = store.ntlmDomain;
        }
        if (ntlmDomain != null) {
            return ntlm(authorization, ntlmDomain, envelope);
        }
        String account = authenticate(authorization);
        if (account == null) {
            return FakeResponse.text(401, "credentials required")
                    .withHeader("WWW-Authenticate", "Basic realm=\"fake-ews\"");
        }
        return serve(account, envelope);
    }

    /** NTLM: challenge, or let a well-formed Type 3 message of a known account in. */
    private FakeResponse ntlm(String authorization, String domain, El envelope) {
        FakeResponse challenge =
                FakeResponse.text(401, "NTLM authentication required").withHeader("WWW-Authenticate", "NTLM");
        if (authorization == null || !authorization.regionMatches(true, 0, "NTLM ", 0, 5)) {
            return challenge;
        }
        byte[] m;
        try {
            m = java.util.Base64.getDecoder().decode(authorization.substring(5).trim());
        } catch (IllegalArgumentException e) {
            return challenge;
        }
        int type = NtlmMessages.type(m);
        if (type == 1) {
            return FakeResponse.text(401, "NTLM challenge")
                    .withHeader(
                            "WWW-Authenticate",
                            "NTLM " + java.util.Base64.getEncoder().encodeToString(NtlmMessages.challenge(domain)));
        }
        if (type != 3) {
            return challenge;
        }
        NtlmMessages.Authenticate a;
        try {
            a = NtlmMessages.authenticate(m);
        } catch (IllegalArgumentException e) {
            return challenge;
        }
        String account;
        synchronized (store) {
            account = store.accounts.keySet().stream()
                    .filter(k -> k.equalsIgnoreCase(a.user()))
                    .findFirst()
                    .orElse(null);
            if (account == null || a.ntResponseLength() <= 24) {
                return challenge; // unknown account, or the old NTLMv1 response
            }
            if (store.ntlmLogins.size() < 1000) {
                store.ntlmLogins.add(
                        new FakeEwsServer.NtlmLogin(a.domain(), a.user(), a.workstation(), a.ntResponseLength()));
            }
        }
        return serve(account, envelope);
    }

    private FakeResponse serve(String account, El envelope) {
        if (envelope == null
                || !envelope.name().equals("Envelope")
                || envelope.child("Body").isEmpty()
                || envelope.child("Body").get().children().isEmpty()) {
            return fault(
                    "ErrorSchemaValidation",
                    "The request failed schema validation: not a SOAP envelope with a body.",
                    null);
        }
        El op = envelope.child("Body").get().children().get(0);
        synchronized (store) {
            try {
                if (store.serverBusyCalls > 0) {
                    store.serverBusyCalls--;
                    throw new SoapFault(
                            "ErrorServerBusy",
                            "The server cannot service this request right now. Try again later.",
                            store.serverBusyBackOff);
                }
                Caller caller = caller(account, envelope);
                String body = switch (op.name()) {
                    case "GetFolder" -> getFolder(caller, op);
                    case "FindItem" -> findItem(caller, op);
                    case "GetItem" -> getItem(caller, op);
                    case "CreateItem" -> createItem(caller, op);
                    case "UpdateItem" -> updateItem(caller, op);
                    case "DeleteItem" -> deleteItem(caller, op);
                    case "SyncFolderItems" -> syncFolderItems(caller, op);
                    case "GetUserAvailabilityRequest" -> availability(caller, op);
                    case "ResolveNames" -> resolveNames(op);
                    case "Subscribe" ->
                        subscription(
                                caller,
                                op,
                                "Subscribe",
                                op.child("PullSubscriptionRequest")
                                        .flatMap(p -> p.child("FolderIds"))
                                        .orElse(null));
                    case "GetEvents", "Unsubscribe" -> subscription(caller, op, op.name(), null);
                    default ->
                        throw new SoapFault(
                                "ErrorInvalidRequest", "The fake does not implement " + op.name() + ".", null);
                };
                return ok(body);
            } catch (SoapFault f) {
                return fault(f.code, f.getMessage(), f.backOff);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                return fault("ErrorSchemaValidation", "The request failed schema validation: " + e.getMessage(), null);
            }
        }
    }

    private String authenticate(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            synchronized (store) {
                return store.accounts.isEmpty() && !token.isEmpty() ? "bearer" : null;
            }
        }
        String raw = FakeEwsServer.basicUser(authorization);
        if (raw == null || raw.indexOf(':') < 0) {
            return null;
        }
        String user = raw.substring(0, raw.indexOf(':'));
        String pw = raw.substring(raw.indexOf(':') + 1);
        synchronized (store) {
            if (store.accounts.isEmpty()) {
                return user.isEmpty() ? null : user;
            }
            return pw.equals(store.accounts.get(user)) ? user : null;
        }
    }

    private Caller caller(String account, El envelope) {
        Optional<String> imp = envelope.path("Header", "ExchangeImpersonation", "ConnectingSID")
                .flatMap(s -> s.text("SmtpAddress")
                        .or(() -> s.text("PrimarySmtpAddress"))
                        .or(() -> s.text("PrincipalName")));
        if (imp.isPresent()) {
            String target = imp.get().toLowerCase(Locale.ROOT);
            Set<String> scope = store.impersonationScopes.get(account);
            EwsStore.Box box = store.box(target);
            if (box == null) {
                throw new SoapFault(
                        "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.", null);
            }
            if (scope != null && !scope.contains(target)) {
                throw new SoapFault(
                        "ErrorImpersonateUserDenied",
                        "The account does not have permission to impersonate the requested user.",
                        null);
            }
            return new Caller(account, box);
        }
        String own = account.contains("@") ? account : account + "@example.com";
        return new Caller(account, store.box(own));
    }

    private EwsStore.Box folderBox(Caller c, El folderIds) {
        El f = folderIds.children().isEmpty() ? null : folderIds.children().get(0);
        if (f == null) {
            throw new IllegalArgumentException("no folder id");
        }
        if (f.name().equals("DistinguishedFolderId")) {
            if (!"calendar".equals(f.attr("Id").orElse(""))) {
                throw new ItemError("ErrorFolderNotFound", "The specified folder could not be found in the store.");
            }
            Optional<String> other = f.path("Mailbox", "EmailAddress").map(El::text);
            if (other.isPresent()) {
                EwsStore.Box b = store.box(other.get());
                if (b == null) {
                    throw new ItemError(
                            "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.");
                }
                if (c.box == null || !b.email.equals(c.box.email)) {
                    Set<String> scope = store.impersonationScopes.get(c.account);
                    if (scope != null && !scope.contains(b.email)) {
                        throw new ItemError("ErrorAccessDenied", "Access is denied. Check credentials and try again.");
                    }
                }
                return b;
            }
            if (c.box == null) {
                throw new ItemError("ErrorNonExistentMailbox", "The account '" + c.account + "' has no mailbox.");
            }
            return c.box;
        }
        String id = f.attr("Id").orElse("");
        EwsStore.Box b = store.boxByFolder(id);
        if (b == null || c.box != null && !b.email.equals(c.box.email)) {
            throw new ItemError("ErrorFolderNotFound", "The specified folder could not be found in the store.");
        }
        return b;
    }

    // ----------------------------------------------------------------------------------------------------
    // GetFolder

    private String getFolder(Caller c, El op) {
        StringBuilder out = new StringBuilder("<m:GetFolderResponse><m:ResponseMessages>");
        El ids = op.child("FolderIds").orElseThrow(() -> new IllegalArgumentException("GetFolder needs FolderIds"));
        for (El id : ids.children()) {
            try {
                EwsStore.Box b = folderBox(c, new El("FolderIds", Map.of(), List.of(id), ""));
                out.append(
                        success(
                                "GetFolderResponseMessage",
                                "<m:Folders><t:CalendarFolder><t:FolderId Id=\"" + b.folderId
                                        + "\" ChangeKey=\"AgAAABYAAA" + b.generation
                                        + "\"/><t:FolderClass>IPF.Appointment</t:FolderClass>"
                                        + "<t:DisplayName>Calendar</t:DisplayName><t:TotalCount>" + b.items.size()
                                        + "</t:TotalCount><t:ChildFolderCount>0</t:ChildFolderCount></t:CalendarFolder></m:Folders>"));
            } catch (ItemError e) {
                out.append(error("GetFolderResponseMessage", e));
            }
        }
        return out.append("</m:ResponseMessages></m:GetFolderResponse>").toString();
    }

    // ----------------------------------------------------------------------------------------------------
    // FindItem

    private String findItem(Caller c, El op) {
        String inner;
        try {
            EwsStore.Box b = folderBox(
                    c,
                    op.child("ParentFolderIds")
                            .orElseThrow(() -> new IllegalArgumentException("FindItem needs ParentFolderIds")));
            Optional<El> view = op.child("CalendarView");
            List<String> items = new ArrayList<>();
            boolean last = true;
            int offset = 0;
            if (view.isPresent()) {
                Instant s = Instant.parse(view.get().attr("StartDate").orElseThrow());
                Instant e = Instant.parse(view.get().attr("EndDate").orElseThrow());
                int max = Integer.parseInt(view.get().attr("MaxEntriesReturned").orElse("1000000"));
                List<String[]> found = new ArrayList<>();
                for (EwsStore.Item it : b.items.values()) {
                    Event ev = it.event;
                    if (ev.isRecurring()) {
                        Recurrences.expand(ev, TimeWindow.of(s, e), ZoneOffset.UTC)
                                .forEach(o -> {
                                    Event occ = occurrenceEvent(ev, o);
                                    boolean exception = ev.overrides().stream()
                                            .anyMatch(
                                                    x -> x.recurrenceId().get().equals(o.recurrenceId()));
                                    found.add(new String[] {
                                        Long.toString(
                                                o.startInstant(ZoneOffset.UTC).getEpochSecond()),
                                        EwsItems.toXml(
                                                it,
                                                occ,
                                                EwsStore.occurrenceId(it.id, o.recurrenceId(), EwsItems.zoneOf(ev)),
                                                exception ? "Exception" : "Occurrence",
                                                it,
                                                false)
                                    });
                                });
                    } else {
                        Instant es = ev.start().toInstant(EwsItems.zoneOf(ev));
                        Instant ee = ev.end().toInstant(EwsItems.zoneOf(ev));
                        if (es.isBefore(e) && (ee.isAfter(s) || es.equals(ee) && !es.isBefore(s))) {
                            found.add(new String[] {
                                Long.toString(es.getEpochSecond()), EwsItems.toXml(it, ev, it.id, "Single", null, false)
                            });
                        }
                    }
                }
                found.sort(Comparator.comparingLong(a -> Long.parseLong(a[0])));
                last = found.size() <= max;
                found.stream().limit(max).forEach(a -> items.add(a[1]));
            } else {
                Optional<String[]> restriction = op.child("Restriction")
                        .flatMap(r -> r.find("IsEqualTo"))
                        .map(eq -> new String[] {
                            eq.find("ExtendedFieldURI")
                                    .flatMap(x -> x.attr("PropertyName"))
                                    .orElseThrow(() -> new IllegalArgumentException(
                                            "the fake restricts by an extended property only")),
                            eq.find("Constant").flatMap(x -> x.attr("Value")).orElse("")
                        });
                Optional<El> paged = op.child("IndexedPageItemView");
                int max = paged.flatMap(p -> p.attr("MaxEntriesReturned"))
                        .map(Integer::parseInt)
                        .orElse(1000);
                offset = paged.flatMap(p -> p.attr("Offset"))
                        .map(Integer::parseInt)
                        .orElse(0);
                List<EwsStore.Item> all = b.items.values().stream()
                        .filter(it -> restriction.isEmpty()
                                || restriction.get()[1].equals(
                                        it.extended.get(restriction.get()[0])))
                        .toList();
                for (int i = offset; i < Math.min(all.size(), offset + max); i++) {
                    EwsStore.Item it = all.get(i);
                    items.add(EwsItems.toXml(
                            it, it.event, it.id, it.event.isRecurring() ? "RecurringMaster" : "Single", null, false));
                }
                last = offset + max >= all.size();
                offset = Math.min(all.size(), offset + max);
            }
            inner = success(
                    "FindItemResponseMessage",
                    "<m:RootFolder TotalItemsInView=\"" + items.size()
                            + "\" IncludesLastItemInRange=\"" + last + "\""
                            + (view.isPresent() ? "" : " IndexedPagingOffset=\"" + offset + "\"")
                            + "><t:Items>" + String.join("", items) + "</t:Items></m:RootFolder>");
        } catch (ItemError e) {
            inner = error("FindItemResponseMessage", e);
        }
        return "<m:FindItemResponse><m:ResponseMessages>" + inner + "</m:ResponseMessages></m:FindItemResponse>";
    }

    private static Event occurrenceEvent(Event master, Occurrence o) {
        for (Event x : master.overrides()) {
            if (x.recurrenceId().get().equals(o.recurrenceId())) {
                return x;
            }
        }
        return master.toBuilder()
                .recurrence(null)
                .overrides(List.of())
                .recurrenceId(o.recurrenceId())
                .time(o.start(), o.end())
                .build();
    }

    // ----------------------------------------------------------------------------------------------------
    // GetItem

    /** An item, and the occurrence's original start when the id named an occurrence. */
    private record Target(EwsStore.Item item, EventTime occurrence) {}

    private Target resolve(Caller c, El id) {
        EwsStore.Box box = c.box;
        if (box == null) {
            throw new ItemError("ErrorNonExistentMailbox", "The account '" + c.account + "' has no mailbox.");
        }
        switch (id.name()) {
            case "ItemId" -> {
                String v = id.attr("Id").orElse("");
                int tilde = v.indexOf('~');
                if (tilde > 0) {
                    EwsStore.Item m = item(box, v.substring(0, tilde));
                    Instant at = Instant.ofEpochSecond(Long.parseLong(v.substring(tilde + 1)));
                    return new Target(m, EwsItems.timeLike(m.event, at));
                }
                return new Target(item(box, v), null);
            }
            case "OccurrenceItemId" -> {
                EwsStore.Item m = item(box, id.attr("RecurringMasterId").orElse(""));
                int index = Integer.parseInt(id.attr("InstanceIndex").orElse("0"));
                return new Target(m, nth(m.event, index));
            }
            case "RecurringMasterItemId" -> {
                String v = id.attr("OccurrenceId").orElse("");
                int tilde = v.indexOf('~');
                EwsStore.Item m = item(box, tilde > 0 ? v.substring(0, tilde) : v);
                if (!m.event.isRecurring()) {
                    throw new ItemError(
                            "ErrorCalendarCannotUseIdForRecurringMasterId", "The id is not an occurrence of a series.");
                }
                return new Target(m, null);
            }
            default -> throw new IllegalArgumentException("unknown item id element " + id.name());
        }
    }

    private static EwsStore.Item item(EwsStore.Box box, String id) {
        EwsStore.Item it = box.items.get(id);
        if (it == null) {
            throw new ItemError("ErrorItemNotFound", "The specified object was not found in the store.");
        }
        return it;
    }

    /** The {@code index}-th (1-based) start of the series' pattern, deleted occurrences counted. */
    private static EventTime nth(Event master, int index) {
        if (!master.isRecurring()) {
            throw new ItemError("ErrorCalendarCannotUseIdForOccurrenceId", "The item is not a recurring master.");
        }
        if (index < 1) {
            throw new ItemError(
                    "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "InstanceIndex must be at least 1.");
        }
        Event bare = master.toBuilder()
                .overrides(List.of())
                .recurrence(master.recurrence().get().withExdates(List.of()))
                .build();
        Instant from = master.start().toInstant(EwsItems.zoneOf(master));
        List<Occurrence> occ = Recurrences.expand(
                        bare, TimeWindow.of(from, from.plus(Duration.ofDays(3660))), ZoneOffset.UTC)
                .limit(index)
                .toList();
        if (occ.size() < index) {
            throw new ItemError(
                    "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "The occurrence index is out of range.");
        }
        EventTime rid = occ.get(index - 1).recurrenceId();
        if (master.recurrence().get().exdates().stream()
                .anyMatch(x -> x.toInstant(ZoneOffset.UTC).equals(rid.toInstant(ZoneOffset.UTC)))) {
            throw new ItemError(
                    "ErrorCalendarOccurrenceIsDeletedFromRecurrence", "The occurrence was deleted from the series.");
        }
        return rid;
    }

    private static Event occurrence(Event master, EventTime rid) {
        Instant at = rid.toInstant(EwsItems.zoneOf(master));
        for (Event o : master.overrides()) {
            if (o.recurrenceId().get().toInstant(EwsItems.zoneOf(master)).equals(at)) {
                return o;
            }
        }
        if (master.recurrence().get().exdates().stream()
                .anyMatch(x -> x.toInstant(EwsItems.zoneOf(master)).equals(at))) {
            throw new ItemError(
                    "ErrorCalendarOccurrenceIsDeletedFromRecurrence", "The occurrence was deleted from the series.");
        }
        Duration length = Duration.between(
                master.start().toInstant(EwsItems.zoneOf(master)), master.end().toInstant(EwsItems.zoneOf(master)));
        EventTime end = EwsItems.timeLike(master, at.plus(length));
        return master.toBuilder()
                .recurrence(null)
                .overrides(List.of())
                .recurrenceId(rid)
                .time(rid, end)
                .build();
    }

    private String getItem(Caller c, El op) {
        StringBuilder out = new StringBuilder("<m:GetItemResponse><m:ResponseMessages>");
        for (El id : op.child("ItemIds")
                .orElseThrow(() -> new IllegalArgumentException("GetItem needs ItemIds"))
                .children()) {
            try {
                Target t = resolve(c, id);
                String xml;
                if (t.occurrence == null) {
                    xml = EwsItems.toXml(
                            t.item,
                            t.item.event,
                            t.item.id,
                            t.item.event.isRecurring() ? "RecurringMaster" : "Single",
                            null,
                            true);
                } else {
                    Event o = occurrence(t.item.event, t.occurrence);
                    boolean exception = t.item.event.overrides().contains(o);
                    xml = EwsItems.toXml(
                            t.item,
                            o,
                            EwsStore.occurrenceId(t.item.id, t.occurrence, EwsItems.zoneOf(t.item.event)),
                            exception ? "Exception" : "Occurrence",
                            t.item,
                            true);
                }
                out.append(success("GetItemResponseMessage", "<m:Items>" + xml + "</m:Items>"));
            } catch (ItemError e) {
                out.append(error("GetItemResponseMessage", e));
            }
        }
        return out.append("</m:ResponseMessages></m:GetItemResponse>").toString();
    }

    // ----------------------------------------------------------------------------------------------------
    // CreateItem

    static Map<String, String> extended(El item) {
        Map<String, String> m = new LinkedHashMap<>();
        for (El p : item.all("ExtendedProperty")) {
            String name = p.child("ExtendedFieldURI")
                    .flatMap(u -> u.attr("PropertyName"))
                    .orElse(null);
            if (name != null) {
                m.put(name, p.text("Value").orElse(""));
            }
        }
        return m;
    }

    private String createItem(Caller c, El op) {
        StringBuilder out = new StringBuilder("<m:CreateItemResponse><m:ResponseMessages>");
        EwsStore.Box box;
        try {
            box = op.child("SavedItemFolderId").map(f -> folderBox(c, f)).orElse(c.box);
            if (box == null) {
                throw new ItemError("ErrorNonExistentMailbox", "The account '" + c.account + "' has no mailbox.");
            }
        } catch (ItemError e) {
            return out.append(error("CreateItemResponseMessage", e))
                    .append("</m:ResponseMessages></m:CreateItemResponse>")
                    .toString();
        }
        for (El it : op.child("Items")
                .orElseThrow(() -> new IllegalArgumentException("CreateItem needs Items"))
                .children()) {
            try {
                switch (it.name()) {
                    case "CalendarItem" -> {
                        Instant now = clock.instant();
                        Map<String, String> ext = extended(it);
                        Event e = EwsItems.apply(null, it, ext);
                        String id = EwsStore.newItemId();
                        if (e.uid().isEmpty()) {
                            e = e.toBuilder()
                                    .uid("040000008200E00074C5B7101A82E008" + id.substring(7))
                                    .build();
                        }
                        if (e.organizer().isEmpty()) {
                            e = e.toBuilder()
                                    .organizer(Organizer.of(Mailbox.of(box.email)))
                                    .build();
                        }
                        EwsStore.Item item = new EwsStore.Item(id, box.email, box.folderId, now, e);
                        item.extended.putAll(ext);
                        box.items.put(id, item);
                        store.log(box, "Create", id);
                        if (sends(op.attr("SendMeetingInvitations").orElse(""))) {
                            store.send("MeetingRequest", box.email, attendeeAddresses(e, box.email), id);
                        }
                        out.append(success(
                                "CreateItemResponseMessage",
                                "<m:Items><t:CalendarItem><t:ItemId Id=\"" + id + "\" ChangeKey=\"" + item.changeKey()
                                        + "\"/></t:CalendarItem></m:Items>"));
                    }
                    case "AcceptItem", "TentativelyAcceptItem", "DeclineItem" -> {
                        El ref = it.child("ReferenceItemId")
                                .orElseThrow(() -> new IllegalArgumentException("a response needs ReferenceItemId"));
                        EwsStore.Item target = item(box, ref.attr("Id").orElse(""));
                        String rt = it.name().equals("AcceptItem")
                                ? "Accept"
                                : it.name().equals("DeclineItem") ? "Decline" : "Tentative";
                        target.myResponse = rt;
                        Mailbox me = Mailbox.of(box.email);
                        List<Attendee> as = new ArrayList<>();
                        for (Attendee a : target.event.attendees()) {
                            as.add(a.mailbox().equals(me) ? a.withResponse(EwsItems.response(rt)) : a);
                        }
                        target.event = target.event.toBuilder().attendees(as).build();
                        touch(box, target);
                        if (sendsMessage(op)) {
                            store.send(
                                    "MeetingResponse",
                                    box.email,
                                    target.event
                                            .organizer()
                                            .map(o -> List.of(o.mailbox().normalized()))
                                            .orElse(List.of()),
                                    target.id);
                        }
                        out.append(success("CreateItemResponseMessage", "<m:Items/>"));
                    }
                    case "CancelCalendarItem" -> {
                        El ref = it.child("ReferenceItemId")
                                .orElseThrow(
                                        () -> new IllegalArgumentException("a cancellation needs ReferenceItemId"));
                        EwsStore.Item target = item(box, ref.attr("Id").orElse(""));
                        if (!organizes(target, box.email)) {
                            throw new ItemError("ErrorInvalidOperation", "Only the organizer can cancel a meeting.");
                        }
                        if (sendsMessage(op)) {
                            store.send(
                                    "MeetingCancellation",
                                    box.email,
                                    attendeeAddresses(target.event, box.email),
                                    target.id);
                        }
                        box.items.remove(target.id);
                        store.log(box, "Delete", target.id);
                        out.append(success("CreateItemResponseMessage", "<m:Items/>"));
                    }
                    default ->
                        throw new ItemError(
                                "ErrorInvalidRequest", "The fake creates calendar items and meeting responses only.");
                }
            } catch (ItemError e) {
                out.append(error("CreateItemResponseMessage", e));
            } catch (RuntimeException e) {
                out.append(error(
                        "CreateItemResponseMessage",
                        new ItemError("ErrorInvalidPropertySet", String.valueOf(e.getMessage()))));
            }
        }
        return out.append("</m:ResponseMessages></m:CreateItemResponse>").toString();
    }

    /** Whether a SendMeetingInvitations / ...OrCancellations / SendMeetingCancellations value sends anything. */
    private static boolean sends(String mode) {
        return mode.startsWith("SendToAll") || mode.startsWith("SendOnlyTo") || mode.startsWith("SendToChanged");
    }

    /** Whether a response or cancellation's MessageDisposition sends it (SaveOnly keeps a draft only). */
    private static boolean sendsMessage(El op) {
        String d = op.attr("MessageDisposition").orElse("SendAndSaveCopy");
        return d.equals("SendAndSaveCopy") || d.equals("SendOnly");
    }

    private static boolean organizes(EwsStore.Item item, String email) {
        return item.event
                .organizer()
                .map(o -> o.mailbox().normalized().equals(email))
                .orElse(true);
    }

    private static List<String> attendeeAddresses(Event e, String self) {
        List<String> to = new ArrayList<>();
        for (Attendee a : e.attendees()) {
            if (!a.mailbox().normalized().equals(self)) {
                to.add(a.mailbox().normalized());
            }
        }
        return to;
    }

    /** Subscribe, GetEvents and Unsubscribe: one response message each. */
    private String subscription(Caller c, El op, String name, El folderIds) {
        String element = name + "ResponseMessage";
        String inner;
        try {
            EwsStore.Box box = folderIds != null ? folderBox(c, folderIds) : c.box;
            if (box == null) {
                throw new ItemError("ErrorNonExistentMailbox", "The account '" + c.account + "' has no mailbox.");
            }
            inner = success(
                    element,
                    switch (name) {
                        case "Subscribe" -> subscriptions.subscribe(box, op);
                        case "GetEvents" -> subscriptions.getEvents(box, op);
                        default -> {
                            subscriptions.unsubscribe(box, op);
                            yield "";
                        }
                    });
        } catch (ItemError e) {
            inner = error(element, e);
        }
        return "<m:" + name + "Response><m:ResponseMessages>" + inner + "</m:ResponseMessages></m:" + name
                + "Response>";
    }

    private void touch(EwsStore.Box box, EwsStore.Item item) {
        item.change++;
        item.modified = clock.instant();
        store.log(box, "Update", item.id);
    }

    /** Seeds an event as another client would. */
    String put(String mailbox, Event event) {
        synchronized (store) {
            EwsStore.Box box = store.box(mailbox);
            if (box == null) {
                throw new IllegalArgumentException("no mailbox " + mailbox);
            }
            String id = EwsStore.newItemId();
            Event e = event.uid().isPresent()
                    ? event
                    : event.toBuilder()
                            .uid("040000008200E00074C5B7101A82E008" + id.substring(7))
                            .build();
            EwsStore.Item item = new EwsStore.Item(
                    id,
                    box.email,
                    box.folderId,
                    clock.instant(),
                    e.toBuilder().id(null).version(null).build());
            e.key().ifPresent(k -> item.extended.put(EwsItems.KEY_PROPERTY, k.value()));
            box.items.put(id, item);
            store.log(box, "Create", id);
            return id;
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // UpdateItem

    private String updateItem(Caller c, El op) {
        String resolution = op.attr("ConflictResolution").orElse("AutoResolve");
        StringBuilder out = new StringBuilder("<m:UpdateItemResponse><m:ResponseMessages>");
        for (El change : op.child("ItemChanges")
                .orElseThrow(() -> new IllegalArgumentException("UpdateItem needs ItemChanges"))
                .all("ItemChange")) {
            try {
                El id = change.children().get(0);
                Target t = resolve(c, id);
                String sentKey = id.attr("ChangeKey").orElse(null);
                if (sentKey != null && !sentKey.equals(t.item.changeKey()) && !resolution.equals("AlwaysOverwrite")) {
                    throw new ItemError(
                            "ErrorIrresolvableConflict",
                            "The send or update operation could not be performed because the change key passed in the request "
                                    + "does not match the current change key for the item.");
                }
                List<El> merged = new ArrayList<>();
                Map<String, String> ext = new LinkedHashMap<>(t.item.extended);
                List<String> deletes = new ArrayList<>();
                for (El u : change.child("Updates")
                        .orElseThrow(() -> new IllegalArgumentException("ItemChange needs Updates"))
                        .children()) {
                    Optional<El> extUri = u.child("ExtendedFieldURI");
                    if (u.name().equals("DeleteItemField")) {
                        if (extUri.isPresent()) {
                            ext.remove(extUri.get().attr("PropertyName").orElse(""));
                        } else {
                            deletes.add(u.child("FieldURI")
                                    .flatMap(f -> f.attr("FieldURI"))
                                    .orElse(""));
                        }
                        continue;
                    }
                    El ci = u.child("CalendarItem")
                            .orElseThrow(() -> new IllegalArgumentException("a SetItemField needs a CalendarItem"));
                    if (extUri.isPresent()) {
                        ext.putAll(extended(ci));
                    } else {
                        merged.addAll(ci.children());
                    }
                }
                El all = new El("CalendarItem", Map.of(), merged, "");
                if (t.occurrence != null) {
                    // an occurrence's own extended properties: only what this request sets (the series keeps its own)
                    ext.clear();
                    for (El u : change.child("Updates").get().children()) {
                        if (u.name().equals("SetItemField")
                                && u.child("ExtendedFieldURI").isPresent()) {
                            u.child("CalendarItem").ifPresent(ci -> ext.putAll(extended(ci)));
                        }
                    }
                }
                Event base = t.occurrence == null ? t.item.event : occurrence(t.item.event, t.occurrence);
                Event.Builder b = base.toBuilder();
                for (String f : deletes) {
                    switch (f) {
                        case "item:Body" -> b.description(null);
                        case "calendar:Location" -> b.location(null);
                        case "calendar:Recurrence" -> b.recurrence(null).overrides(List.of());
                        case "calendar:RequiredAttendees", "calendar:OptionalAttendees", "calendar:Resources" -> {
                            Attendee.Role role = EwsItems.role(f.substring(9));
                            b.attendees(base.attendees().stream()
                                    .filter(a -> a.role() != role)
                                    .toList());
                        }
                        default ->
                            throw new ItemError("ErrorInvalidPropertyDelete", "The fake cannot delete " + f + ".");
                    }
                }
                Event updated = EwsItems.apply(b.build(), all, ext);
                if (t.occurrence == null) {
                    t.item.event = updated;
                } else {
                    Event o = updated.toBuilder()
                            .recurrenceId(t.occurrence)
                            .recurrence(null)
                            .overrides(List.of())
                            .build();
                    List<Event> overrides = new ArrayList<>();
                    Instant at = t.occurrence.toInstant(EwsItems.zoneOf(t.item.event));
                    for (Event x : t.item.event.overrides()) {
                        if (!x.recurrenceId()
                                .get()
                                .toInstant(EwsItems.zoneOf(t.item.event))
                                .equals(at)) {
                            overrides.add(x);
                        }
                    }
                    overrides.add(o);
                    t.item.event = t.item.event.toBuilder().overrides(overrides).build();
                }
                if (t.occurrence == null) {
                    t.item.extended.clear();
                    t.item.extended.putAll(ext);
                }
                touch(store.box(t.item.mailbox), t.item);
                if (organizes(t.item, t.item.mailbox)
                        && sends(
                                op.attr("SendMeetingInvitationsOrCancellations").orElse(""))) {
                    store.send(
                            "MeetingRequest",
                            t.item.mailbox,
                            attendeeAddresses(t.item.event, t.item.mailbox),
                            t.item.id);
                }
                String itemId = t.occurrence == null
                        ? t.item.id
                        : EwsStore.occurrenceId(t.item.id, t.occurrence, EwsItems.zoneOf(t.item.event));
                out.append(
                        success(
                                "UpdateItemResponseMessage",
                                "<m:Items><t:CalendarItem><t:ItemId Id=\"" + itemId + "\" ChangeKey=\""
                                        + t.item.changeKey()
                                        + "\"/></t:CalendarItem></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>"));
            } catch (ItemError e) {
                out.append(error("UpdateItemResponseMessage", e));
            } catch (org.calsdk.errors.InvalidInputException e) {
                out.append(error(
                        "UpdateItemResponseMessage",
                        new ItemError("ErrorCalendarEndDateIsEarlierThanStartDate", e.getMessage())));
            }
        }
        return out.append("</m:ResponseMessages></m:UpdateItemResponse>").toString();
    }

    // ----------------------------------------------------------------------------------------------------
    // DeleteItem

    private String deleteItem(Caller c, El op) {
        StringBuilder out = new StringBuilder("<m:DeleteItemResponse><m:ResponseMessages>");
        for (El id : op.child("ItemIds")
                .orElseThrow(() -> new IllegalArgumentException("DeleteItem needs ItemIds"))
                .children()) {
            try {
                Target t = resolve(c, id);
                EwsStore.Box box = store.box(t.item.mailbox);
                boolean organizer = organizes(t.item, box.email);
                if (organizer && sends(op.attr("SendMeetingCancellations").orElse(""))) {
                    store.send("MeetingCancellation", box.email, attendeeAddresses(t.item.event, box.email), t.item.id);
                }
                if (t.occurrence == null) {
                    box.items.remove(t.item.id);
                    store.log(box, "Delete", t.item.id);
                } else {
                    Event m = t.item.event;
                    ZoneId z = EwsItems.zoneOf(m);
                    Instant at = t.occurrence.toInstant(z);
                    List<Event> overrides = m.overrides().stream()
                            .filter(x -> !x.recurrenceId().get().toInstant(z).equals(at))
                            .toList();
                    List<EventTime> ex = new ArrayList<>(m.recurrence().get().exdates());
                    ex.add(t.occurrence);
                    t.item.event = m.toBuilder()
                            .overrides(overrides)
                            .recurrence(m.recurrence().get().withExdates(ex))
                            .build();
                    touch(box, t.item);
                }
                out.append(success("DeleteItemResponseMessage", ""));
            } catch (ItemError e) {
                out.append(error("DeleteItemResponseMessage", e));
            }
        }
        return out.append("</m:ResponseMessages></m:DeleteItemResponse>").toString();
    }

    // ----------------------------------------------------------------------------------------------------
    // SyncFolderItems

    private String syncFolderItems(Caller c, El op) {
        String inner;
        try {
            EwsStore.Box b = folderBox(
                    c,
                    op.child("SyncFolderId")
                            .orElseThrow(() -> new IllegalArgumentException("SyncFolderItems needs SyncFolderId")));
            int max = Integer.parseInt(op.text("MaxChangesReturned")
                    .orElseThrow(() -> new IllegalArgumentException("SyncFolderItems needs MaxChangesReturned")));
            if (max < 1 || max > MAX_SYNC) {
                throw new IllegalArgumentException("MaxChangesReturned must be 1-512, was " + max);
            }
            String state = op.text("SyncState").orElse("");
            long since = state.isEmpty() ? 0 : EwsStore.parseSyncState(b, state);
            if (since < 0) {
                throw new ItemError(
                        "ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.");
            }
            Map<String, EwsStore.Change> latest = new LinkedHashMap<>();
            Map<String, Boolean> createdAfter = new LinkedHashMap<>();
            for (EwsStore.Change ch : b.log) {
                if (ch.seq() <= since) {
                    continue;
                }
                latest.remove(ch.itemId());
                latest.put(ch.itemId(), ch);
                if (ch.kind().equals("Create")) {
                    createdAfter.put(ch.itemId(), true);
                }
            }
            List<EwsStore.Change> changes = latest.values().stream()
                    .filter(ch -> !(ch.kind().equals("Delete") && createdAfter.containsKey(ch.itemId())))
                    .sorted(Comparator.comparingLong(EwsStore.Change::seq))
                    .toList();
            boolean last = changes.size() <= max;
            List<EwsStore.Change> page = changes.subList(0, Math.min(max, changes.size()));
            long next = last ? store.seq : page.get(page.size() - 1).seq();
            StringBuilder x = new StringBuilder();
            for (EwsStore.Change ch : page) {
                EwsStore.Item it = b.items.get(ch.itemId());
                if (ch.kind().equals("Delete") || it == null) {
                    x.append("<t:Delete><t:ItemId Id=\"").append(ch.itemId()).append("\"/></t:Delete>");
                } else {
                    String kind = createdAfter.containsKey(ch.itemId()) ? "Create" : "Update";
                    x.append("<t:")
                            .append(kind)
                            .append(">")
                            .append(EwsItems.toXml(
                                    it,
                                    it.event,
                                    it.id,
                                    it.event.isRecurring() ? "RecurringMaster" : "Single",
                                    null,
                                    false))
                            .append("</t:")
                            .append(kind)
                            .append(">");
                }
            }
            inner = success(
                    "SyncFolderItemsResponseMessage",
                    "<m:SyncState>" + EwsStore.syncState(b, next) + "</m:SyncState><m:IncludesLastItemInRange>" + last
                            + "</m:IncludesLastItemInRange><m:Changes>" + x + "</m:Changes>");
        } catch (ItemError e) {
            inner = error("SyncFolderItemsResponseMessage", e);
        }
        return "<m:SyncFolderItemsResponse><m:ResponseMessages>" + inner
                + "</m:ResponseMessages></m:SyncFolderItemsResponse>";
    }

    // ----------------------------------------------------------------------------------------------------
    // GetUserAvailability

    private String availability(Caller c, El op) {
        List<El> boxes =
                op.child("MailboxDataArray").map(a -> a.all("MailboxData")).orElse(List.of());
        if (boxes.isEmpty()) {
            throw new SoapFault("ErrorInvalidRequest", "GetUserAvailability needs at least one MailboxData.", null);
        }
        if (boxes.size() > FakeEwsServer.MAX_AVAILABILITY_MAILBOXES) {
            throw new SoapFault(
                    "ErrorInvalidRequest", "The request names " + boxes.size() + " mailboxes; the limit is 100.", null);
        }
        El tz = op.child("TimeZone")
                .orElseThrow(() -> new SoapFault("ErrorInvalidRequest", "TimeZone is required.", null));
        int bias = Integer.parseInt(tz.text("Bias").orElse("0"));
        int std = tz.child("StandardTime")
                .flatMap(s -> s.text("Bias"))
                .map(Integer::parseInt)
                .orElse(0);
        int dst = tz.child("DaylightTime")
                .flatMap(s -> s.text("Bias"))
                .map(Integer::parseInt)
                .orElse(0);
        if (std != dst) {
            throw new SoapFault("ErrorInvalidRequest", "The fake answers fixed-offset TimeZone elements only.", null);
        }
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(-(bias + std) * 60);
        El window = op.path("FreeBusyViewOptions", "TimeWindow")
                .orElseThrow(() ->
                        new SoapFault("ErrorInvalidRequest", "FreeBusyViewOptions/TimeWindow is required.", null));
        Instant s = LocalDateTime.parse(window.text("StartTime").orElseThrow()).toInstant(offset);
        Instant e = LocalDateTime.parse(window.text("EndTime").orElseThrow()).toInstant(offset);
        if (!e.isAfter(s)) {
            throw new SoapFault("ErrorInvalidTimeInterval", "EndTime must be after StartTime.", null);
        }
        if (Duration.between(s, e).compareTo(FakeEwsServer.MAX_AVAILABILITY_WINDOW) > 0) {
            throw new SoapFault(
                    "ErrorTimeIntervalTooBig", "The time window is larger than the allowed limit of 42 days.", null);
        }
        TimeWindow w = TimeWindow.of(s, e);
        StringBuilder out = new StringBuilder("<m:GetUserAvailabilityResponse><m:FreeBusyResponseArray>");
        Set<String> scope = store.impersonationScopes.get(c.account);
        for (El md : boxes) {
            String addr = md.path("Email", "Address").map(El::text).orElse("").toLowerCase(Locale.ROOT);
            EwsStore.Box b = store.box(addr);
            out.append("<m:FreeBusyResponse>");
            if (b == null) {
                out.append(
                        "<m:ResponseMessage ResponseClass=\"Error\"><m:MessageText>No mailbox with such guid.</m:MessageText>"
                                + "<m:ResponseCode>ErrorMailRecipientNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
                                + "</m:ResponseMessage><m:FreeBusyView><t:FreeBusyViewType>None</t:FreeBusyViewType></m:FreeBusyView>");
            } else if (scope != null && !scope.contains(addr) && (c.box == null || !c.box.email.equals(addr))) {
                out.append(
                        "<m:ResponseMessage ResponseClass=\"Error\"><m:MessageText>Microsoft.Exchange.InfoWorker.Common.Availability."
                                + "NoFreeBusyAccessException: No free/busy access.</m:MessageText><m:ResponseCode>ErrorNoFreeBusyAccess</m:ResponseCode>"
                                + "<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:ResponseMessage><m:FreeBusyView><t:FreeBusyViewType>None"
                                + "</t:FreeBusyViewType></m:FreeBusyView>");
            } else {
                out.append(
                        "<m:ResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode></m:ResponseMessage>"
                                + "<m:FreeBusyView><t:FreeBusyViewType>FreeBusy</t:FreeBusyViewType><t:CalendarEventArray>");
                List<Occurrence> occ = Recurrences.expandAll(
                                b.items.values().stream().map(i -> i.event).toList(), w, ZoneOffset.UTC)
                        .sorted(Comparator.comparing(o -> o.startInstant(ZoneOffset.UTC)))
                        .toList();
                for (Occurrence o : occ) {
                    BusyStatus st = o.busyStatus();
                    if (st == BusyStatus.FREE) {
                        continue;
                    }
                    String type = switch (st) {
                        case TENTATIVE -> "Tentative";
                        case OUT_OF_OFFICE -> "OOF";
                        case WORKING_ELSEWHERE -> "WorkingElsewhere";
                        default -> "Busy";
                    };
                    out.append("<t:CalendarEvent><t:StartTime>")
                            .append(LOCAL.format(LocalDateTime.ofInstant(o.startInstant(ZoneOffset.UTC), offset)))
                            .append("</t:StartTime><t:EndTime>")
                            .append(LOCAL.format(LocalDateTime.ofInstant(o.endInstant(ZoneOffset.UTC), offset)))
                            .append("</t:EndTime><t:BusyType>")
                            .append(type)
                            .append("</t:BusyType></t:CalendarEvent>");
                }
                out.append("</t:CalendarEventArray></m:FreeBusyView>");
            }
            out.append("</m:FreeBusyResponse>");
        }
        return out.append("</m:FreeBusyResponseArray></m:GetUserAvailabilityResponse>")
                .toString();
    }

    // ----------------------------------------------------------------------------------------------------
    // ResolveNames

    private String resolveNames(El op) {
        String entry = op.text("UnresolvedEntry").orElse("").toLowerCase(Locale.ROOT);
        boolean exact = entry.startsWith("smtp:");
        String wanted = exact ? entry.substring(5) : entry;
        if (wanted.isEmpty()) {
            throw new SoapFault("ErrorNameResolutionNoResults", "No results were found.", null);
        }
        boolean full = "true".equals(op.attr("ReturnFullContactData").orElse("false"));
        List<EwsStore.Box> found = store.boxes.values().stream()
                .filter(b -> b.email.equals(wanted)
                        || b.aliases.contains(wanted)
                        || !exact
                                && (b.email.startsWith(wanted)
                                        || b.displayName != null
                                                && b.displayName
                                                        .toLowerCase(Locale.ROOT)
                                                        .startsWith(wanted)))
                .limit(100)
                .toList();
        String inner;
        if (found.isEmpty()) {
            inner = error(
                    "ResolveNamesResponseMessage",
                    new ItemError("ErrorNameResolutionNoResults", "No results were found."));
        } else {
            StringBuilder x = new StringBuilder();
            for (EwsStore.Box b : found) {
                String name = b.displayName != null ? b.displayName : b.email.substring(0, b.email.indexOf('@'));
                x.append("<t:Resolution>").append(EwsItems.mailbox(Mailbox.of(b.email), name));
                if (full) {
                    x.append("<t:Contact><t:DisplayName>")
                            .append(El.esc(name))
                            .append("</t:DisplayName><t:EmailAddresses>")
                            .append("<t:Entry Key=\"EmailAddress1\">SMTP:")
                            .append(El.esc(b.email))
                            .append("</t:Entry>");
                    for (int i = 0; i < Math.min(2, b.aliases.size()); i++) {
                        x.append("<t:Entry Key=\"EmailAddress")
                                .append(i + 2)
                                .append("\">smtp:")
                                .append(El.esc(b.aliases.get(i)))
                                .append("</t:Entry>");
                    }
                    x.append("</t:EmailAddresses></t:Contact>");
                }
                x.append("</t:Resolution>");
            }
            String element = "ResolveNamesResponseMessage";
            String body = "<m:ResolutionSet TotalItemsInView=\"" + found.size() + "\" IncludesLastItemInRange=\"true\">"
                    + x + "</m:ResolutionSet>";
            inner = found.size() == 1
                    ? success(element, body)
                    : "<m:" + element
                            + " ResponseClass=\"Warning\"><m:MessageText>Multiple results were found.</m:MessageText>"
                            + "<m:ResponseCode>ErrorNameResolutionMultipleResults</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
                            + body + "</m:" + element + ">";
        }
        return "<m:ResolveNamesResponse><m:ResponseMessages>" + inner
                + "</m:ResponseMessages></m:ResolveNamesResponse>";
    }
}
