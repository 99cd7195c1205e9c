package org.calsdk.ews.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.calsdk.api.DirectoryEntry;
import org.calsdk.api.DirectoryPage;
import org.calsdk.api.DirectoryReader;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;

/**
 * The directory of an Exchange organization as far as EWS can tell it: EWS cannot list an organization's
 * users (a {@code ResolveNames} search stops at 100 answers and cannot page), so the host supplies the
 * addresses it cares about (the connection setting {@code directory}) and each is resolved with
 * {@code ResolveNames} ({@code SMTP:} address, full contact data): the primary address, display name and
 * other SMTP addresses (aliases) of each mailbox found. An address that resolves to nothing, or to
 * something that is not a user's mailbox (a distribution list, a contact), is left out. Pages hold
 * {@value #PAGE} addresses (as many {@code ResolveNames} calls); the page token is the position in the list.
 */
public final class EwsDirectory implements DirectoryReader {
    static final int PAGE = 50;

    private final EwsSession session;
    private final List<Mailbox> addresses;

    public EwsDirectory(EwsSession session, List<Mailbox> addresses) {
        this.session = session;
        this.addresses = List.copyOf(addresses);
    }

    /** The addresses of a {@code directory} setting: separated by commas, semicolons or white space. */
    public static List<Mailbox> parse(String setting) {
        Set<Mailbox> out = new LinkedHashSet<>();
        for (String a : setting.split("[,;\\s]+")) {
            if (!a.isBlank()) {
                try {
                    out.add(Mailbox.of(a.trim()));
                } catch (RuntimeException e) {
                    throw new InvalidInputException(
                            "directory", "the 'directory' setting holds something that is not an " + "email address");
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public DirectoryPage users(String pageToken) {
        int from = 0;
        if (pageToken != null) {
            try {
                from = Integer.parseInt(pageToken);
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > addresses.size()) {
                throw new InvalidInputException("pageToken", "not a page token of this EWS directory");
            }
        }
        int to = Math.min(addresses.size(), from + PAGE);
        List<DirectoryEntry> entries = new ArrayList<>();
        for (Mailbox m : addresses.subList(from, to)) {
            resolve(m)
                    .filter(e -> entries.stream().noneMatch(x -> x.mailbox().equals(e.mailbox())))
                    .ifPresent(entries::add);
        }
        return new DirectoryPage(entries, to < addresses.size() ? Integer.toString(to) : null);
    }

    /** The mailbox {@code address} names, if it is a user's mailbox. */
    Optional<DirectoryEntry> resolve(Mailbox address) {
        Xml.Node r = session.call(
                "ResolveNames",
                "<m:ResolveNames ReturnFullContactData=\"true\" "
                        + "SearchScope=\"ActiveDirectory\"><m:UnresolvedEntry>SMTP:" + Xml.esc(address.email())
                        + "</m:UnresolvedEntry></m:ResolveNames>",
                true);
        Xml.Node msg = EwsWriter.first(r, "ResolveNames");
        if (EwsClient.isError(msg)) {
            if ("ErrorNameResolutionNoResults".equals(EwsClient.code(msg))) {
                return Optional.empty();
            }
            session.client().check(msg, "ResolveNames", session.self());
        }
        for (Xml.Node res :
                msg.child("ResolutionSet").map(n -> n.all("Resolution")).orElse(List.of())) {
            Optional<DirectoryEntry> e = entry(res);
            if (e.isPresent() && e.get().hasAddress(address)) {
                return e;
            }
        }
        return Optional.empty();
    }

    private static Optional<DirectoryEntry> entry(Xml.Node res) {
        Optional<Xml.Node> mb = res.child("Mailbox");
        String email = mb.flatMap(m -> m.text("EmailAddress")).map(String::trim).orElse("");
        String type = mb.flatMap(m -> m.text("MailboxType")).orElse("Mailbox");
        String routing = mb.flatMap(m -> m.text("RoutingType")).orElse("SMTP");
        if (email.isEmpty() || !type.equals("Mailbox") || !routing.equalsIgnoreCase("SMTP")) {
            return Optional.empty();
        }
        Mailbox primary;
        try {
            primary = Mailbox.of(email);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        String name = res.path("Contact", "DisplayName")
                .map(Xml.Node::text)
                .filter(s -> !s.isBlank())
                .or(() -> mb.flatMap(m -> m.text("Name")).filter(s -> !s.isBlank()))
                .orElse(null);
        List<Mailbox> aliases = new ArrayList<>();
        for (Xml.Node en :
                res.path("Contact", "EmailAddresses").map(Xml.Node::children).orElse(List.of())) {
            String v = en.text().trim();
            if (v.regionMatches(true, 0, "smtp:", 0, 5)) {
                v = v.substring(5);
            } else if (v.contains(":")) {
                continue; // X500:, SIP:, ... are not mail addresses
            }
            try {
                Mailbox a = Mailbox.of(v.toLowerCase(Locale.ROOT));
                if (!a.equals(primary) && !aliases.contains(a)) {
                    aliases.add(a);
                }
            } catch (RuntimeException ignored) {
                // not an address: left out
            }
        }
        return Optional.of(new DirectoryEntry(
                primary.normalized(), primary, name, true, DirectoryEntry.Kind.PERSON, aliases, null, null));
    }
}
