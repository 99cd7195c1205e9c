package org.calsdk.caldav.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import okhttp3.HttpUrl;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.http.Redaction;

/**
 * Finds a CalDAV account (RFC 6764): the start URL (given, or from an email domain via DNS SRV
 * {@code _caldavs._tcp} and then {@code https://domain/.well-known/caldav}), the principal
 * ({@code DAV:current-user-principal}), its {@code calendar-home-set}, scheduling outbox and addresses.
 * Redirects along the way (iCloud's partition hosts) are followed by {@link DavHttp}; the URLs found are
 * absolute, so later requests go straight to the host that answered.
 */
public final class Discovery {
    private final DavHttp http;
    private final int maxXml;

    public Discovery(DavHttp http, int maxXml) {
        this.http = http;
        this.maxXml = maxXml;
    }

    /**
     * What discovery found.
     *
     * @param principal      the principal URL
     * @param homeSet        the calendar home collection
     * @param outbox         the scheduling outbox (RFC 6638), or null
     * @param userAddresses  the account's calendar user addresses ({@code mailto:...})
     */
    public record Account(HttpUrl principal, HttpUrl homeSet, HttpUrl outbox, List<String> userAddresses) {
        public Account {
            userAddresses = List.copyOf(userAddresses);
        }

        /** The first {@code mailto:} address, without the scheme. */
        public Optional<String> email() {
            return userAddresses.stream()
                    .filter(a -> a.regionMatches(true, 0, "mailto:", 0, 7))
                    .map(a -> a.substring(7))
                    .findFirst();
        }
    }

    /**
     * The URL to start from: {@code url} as given (a bare domain becomes https), or when absent the
     * domain of {@code username} through SRV and well-known.
     */
    public static HttpUrl startUrl(String url, String username, boolean srv) {
        if (url != null && !url.isBlank()) {
            String u = url.strip();
            if (!u.contains("://")) {
                return domainStart(u, srv);
            }
            HttpUrl parsed = HttpUrl.parse(u);
            if (parsed == null) {
                throw new InvalidInputException("url", "not a valid http(s) URL: '" + Redaction.rawUrl(u) + "'");
            }
            if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
                throw new InvalidInputException(
                        "url",
                        "the URL must not carry a user name or password ('" + Redaction.url(parsed)
                                + "'); give them as the connection's credentials");
            }
            return parsed;
        }
        if (username != null && username.contains("@")) {
            return domainStart(username.substring(username.indexOf('@') + 1), srv);
        }
        throw new InvalidInputException(
                "url",
                "provider 'caldav' needs the setting 'url' (a server URL or an email "
                        + "domain), or a user name that is an email address");
    }

    private static HttpUrl domainStart(String domain, boolean srv) {
        String d = domain.strip().toLowerCase(java.util.Locale.ROOT);
        if (!d.matches("[a-z0-9.-]+(:[0-9]{1,5})?")) {
            int at = domain.lastIndexOf('@');
            String shown = at < 0 ? domain : Redaction.MASK + domain.substring(at);
            throw new InvalidInputException("url", "not a valid domain: '" + shown + "'");
        }
        if (srv && !d.contains(":")) {
            Optional<HttpUrl> viaSrv = srvLookup(d);
            if (viaSrv.isPresent()) {
                return viaSrv.get();
            }
        }
        HttpUrl u = HttpUrl.parse("https://" + d + "/.well-known/caldav");
        if (u == null) {
            throw new InvalidInputException("url", "not a valid domain: '" + domain + "'");
        }
        return u;
    }

    /**
     * Looks up {@code _caldavs._tcp.DOMAIN} SRV (and its TXT {@code path=}) through JNDI's DNS provider;
     * empty when there is no record or no DNS provider (then the well-known URL is used). Only the TLS
     * variant is looked up: plain {@code _caldav._tcp} would send the password unencrypted. A target host
     * outside the domain is ignored (RFC 6764 §8).
     */
    static Optional<HttpUrl> srvLookup(String domain) {
        return srvLookup(domain, null);
    }

    /** As {@link #srvLookup(String)}, asking the DNS server at {@code dnsUrl} ({@code dns://host:port}) when not null. */
    static Optional<HttpUrl> srvLookup(String domain, String dnsUrl) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        if (dnsUrl != null) {
            env.put("java.naming.provider.url", dnsUrl);
        }
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            String name = "_caldavs._tcp." + domain;
            Attributes attrs = ctx.getAttributes(name, new String[] {"SRV"});
            Attribute srv = attrs.get("SRV");
            if (srv == null || srv.size() == 0) {
                return Optional.empty();
            }
            String best = null;
            int bestPriority = Integer.MAX_VALUE;
            NamingEnumeration<?> values = srv.getAll();
            while (values.hasMore()) {
                String v = values.next().toString(); // "priority weight port target."
                String[] p = v.strip().split("\\s+");
                if (p.length == 4 && Integer.parseInt(p[0]) < bestPriority && !p[3].equals(".")) {
                    bestPriority = Integer.parseInt(p[0]);
                    best = v;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            String[] p = best.strip().split("\\s+");
            String host = (p[3].endsWith(".") ? p[3].substring(0, p[3].length() - 1) : p[3])
                    .toLowerCase(java.util.Locale.ROOT);
            if (!host.equals(domain) && !host.endsWith("." + domain)) {
                // RFC 6764 §8: a target outside the user's domain could be a spoofed answer luring the
                // credentials away; ignore it and use the well-known URL of the domain itself
                return Optional.empty();
            }
            int port = Integer.parseInt(p[2]);
            String path = txtPath(ctx, name).orElse("/.well-known/caldav");
            return Optional.ofNullable(new HttpUrl.Builder()
                    .scheme("https")
                    .host(host)
                    .port(port)
                    .encodedPath(path.startsWith("/") ? path : "/" + path)
                    .build());
        } catch (NamingException | RuntimeException e) {
            return Optional.empty(); // no SRV record, no resolver, or an answer we cannot use
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException ignored) {
                    // nothing to release beyond what close tried
                }
            }
        }
    }

    /** The {@code path=} of the TXT record next to the SRV record (RFC 6764 §4), if there is one. */
    private static Optional<String> txtPath(DirContext ctx, String name) {
        try {
            Attribute txt = ctx.getAttributes(name, new String[] {"TXT"}).get("TXT");
            if (txt != null) {
                NamingEnumeration<?> t = txt.getAll();
                while (t.hasMore()) {
                    String s = t.next().toString().replace("\"", "");
                    if (s.startsWith("path=") && s.length() > 5) {
                        return Optional.of(s.substring(5));
                    }
                }
            }
        } catch (NamingException e) {
            // no TXT record: the well-known path applies
        }
        return Optional.empty();
    }

    /** Runs discovery from {@code start}. */
    public Account discover(HttpUrl start) {
        List<HttpUrl> candidates = new ArrayList<>();
        HttpUrl wellKnown = start.newBuilder()
                .encodedPath("/.well-known/caldav")
                .query(null)
                .build();
        if (start.encodedPath().equals("/") || start.encodedPath().isEmpty()) {
            candidates.add(wellKnown);
            candidates.add(start);
        } else {
            candidates.add(start);
            if (!start.equals(wellKnown)) {
                candidates.add(wellKnown);
            }
        }
        CalendarException last = null;
        for (HttpUrl c : candidates) {
            try {
                Optional<Account> a = tryFrom(c);
                if (a.isPresent()) {
                    return a.get();
                }
            } catch (NotFoundException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        throw new NotFoundException(
                "no CalDAV account found at " + start.host() + ": the server named no "
                        + "current-user-principal or calendar-home-set; check the URL",
                http.context());
    }

    private Optional<Account> tryFrom(HttpUrl url) {
        DavResponse r = http.send("discover", DavRequests.propfind(url, 0, DavRequests.PRINCIPAL_PROPS));
        if (r.status() == 404 || r.status() == 405 || r.status() == 501 || r.status() == 400) {
            return Optional.empty();
        }
        if (r.status() != 207) {
            throw DavErrors.toException(r, http.context(), "CalDAV discovery at " + url.host());
        }
        Multistatus ms = Multistatus.parse(r.body(), maxXml, http.context());
        HttpUrl base = r.url();
        HttpUrl principal = null;
        HttpUrl home = null;
        for (Multistatus.Entry e : ms.entries()) {
            Optional<String> p = e.href(Dav.DAV, "current-user-principal");
            if (p.isPresent() && principal == null) {
                principal = http.checkHref(Ids.resolveHref(base, p.get(), http.context()), "current-user-principal");
            }
            Optional<String> h = e.href(Dav.CALDAV, "calendar-home-set");
            if (h.isPresent() && home == null) {
                home = http.checkHref(Ids.resolveHref(base, h.get(), http.context()), "calendar-home-set");
            }
        }
        if (principal == null && home == null) {
            return Optional.empty();
        }
        HttpUrl principalUrl = principal != null ? principal : base;
        DavResponse pr = http.send("discover", DavRequests.propfind(principalUrl, 0, DavRequests.HOME_PROPS));
        if (pr.status() != 207) {
            if (home != null) {
                return Optional.of(new Account(principalUrl, home, null, List.of()));
            }
            throw DavErrors.toException(pr, http.context(), "reading the CalDAV principal");
        }
        Multistatus pms = Multistatus.parse(pr.body(), maxXml, http.context());
        HttpUrl pbase = pr.url();
        HttpUrl outbox = null;
        Set<String> addresses = new LinkedHashSet<>();
        for (Multistatus.Entry e : pms.entries()) {
            Optional<String> h = e.href(Dav.CALDAV, "calendar-home-set");
            if (h.isPresent()) {
                home = http.checkHref(Ids.resolveHref(pbase, h.get(), http.context()), "calendar-home-set");
            }
            Optional<String> o = e.href(Dav.CALDAV, "schedule-outbox-URL");
            if (o.isPresent()) {
                outbox = http.checkHref(Ids.resolveHref(pbase, o.get(), http.context()), "schedule-outbox-URL");
            }
            addresses.addAll(e.hrefs(Dav.CALDAV, "calendar-user-address-set"));
        }
        if (home == null) {
            throw new NotFoundException(
                    "the CalDAV principal has no calendar-home-set: this account has no calendars", http.context());
        }
        return Optional.of(new Account(principalUrl, home, outbox, new ArrayList<>(addresses)));
    }
}
