package org.calsdk.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.Doctor;
import org.calsdk.api.DoctorReport;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.ExchangeDeployments;
import org.calsdk.api.Finding;
import org.calsdk.api.MailboxHealth;
import org.calsdk.api.OrganizationIntegration;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.Subscription;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.ClientCredentials;
import org.calsdk.auth.Credentials;
import org.calsdk.auth.OAuth2TokenSource;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.RefreshTokenCredentials;
import org.calsdk.auth.ServiceAccountCredentials;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.HttpTransport;
import org.calsdk.ical.Occurrence;
import org.calsdk.ical.Recurrences;
import org.calsdk.model.BusyStatus;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/** The checks behind {@link Doctor}. Not public API. */
public final class DoctorRun {
    private static final int MAX_LISTED = 5;
    /** The most pages of events the calendar checks read. */
    private static final int MAX_PAGES = 100;

    private final Doctor doctor;
    private final String provider;
    private final Credentials credentials;
    private final HttpObserver observer;
    private final List<Finding> findings = new ArrayList<>();
    private SSLException tlsFailure;
    private String tlsHost;

    private DoctorRun(Doctor doctor, String provider, Credentials credentials, HttpObserver observer) {
        this.doctor = doctor;
        this.provider = provider;
        this.credentials = credentials;
        this.observer = observer;
    }

    public static DoctorReport run(Doctor doctor, ConnectionConfig config) {
        HttpObserver observer = new HttpObserver(doctor.clock());
        DoctorRun run =
                new DoctorRun(doctor, config.provider(), config.credentials().orElse(null), observer);
        HttpTransport own = null;
        HttpTransport transport;
        if (config.transport().isPresent()) {
            transport = config.transport().get().withClient(b -> b.addNetworkInterceptor(observer));
        } else {
            own = HttpTransport.builder()
                    .provider(config.provider())
                    .clock(config.clock())
                    .okHttpClient(new OkHttpClient.Builder()
                            .addNetworkInterceptor(observer)
                            .build())
                    .build();
            transport = own;
        }
        tlsHostOf(config).ifPresent(h -> run.tlsHost = h);
        try {
            CalendarConnection c;
            try {
                c = doctor.providers()
                        .connect(config.toBuilder().transport(transport).build());
            } catch (InvalidInputException e) {
                throw e;
            } catch (CalendarException e) {
                run.noteError(e);
                run.findings.add(Finding.fail(
                        Finding.CREDENTIALS,
                        null,
                        "Could not connect: " + text(e),
                        "Check the server address and that it is reachable from here; then run the doctor again."));
                return run.finish();
            }
            try (c) {
                run.all(c);
            }
            return run.finish();
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    public static DoctorReport run(Doctor doctor, CalendarConnection connection) {
        DoctorRun run = new DoctorRun(doctor, connection.providerId(), null, null);
        run.all(connection);
        return run.finish();
    }

    private static Optional<String> tlsHostOf(ConnectionConfig config) {
        for (String key : List.of("url", "baseUrl", "ewsUrl", "serverUrl")) {
            Optional<String> v = config.setting(key);
            if (v.isPresent()) {
                okhttp3.HttpUrl u = okhttp3.HttpUrl.parse(v.get());
                if (u != null) {
                    return Optional.of(u.host());
                }
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ the checks

    private void all(CalendarConnection c) {
        List<Mailbox> mailboxes = mailboxes(c);
        boolean org = c.scope() == ConnectionScope.ORGANIZATION;
        // 1. credentials, and what the set-up check says about scopes and impersonation
        SetupCheck setup;
        try {
            setup = c.checkSetup();
        } catch (CalendarException e) {
            noteError(e);
            findings.add(Finding.fail(
                    Finding.CREDENTIALS,
                    null,
                    "Could not ask the server whether the credentials " + "work: " + text(e),
                    "Check that the server address is right and reachable from here."));
            return;
        }
        SetupCheck.Item cred =
                setup.item(SetupCheck.Requirement.CREDENTIAL_VALID).orElse(null);
        // a one-user connection's set-up check may judge a cached token; one real call confirms it
        CalendarException probe = null;
        // (and when the set-up check could not tell, the call's own error says why: TLS, an unreachable host)
        if (!org
                && c.self().isPresent()
                && c.supports(Capability.READ_EVENTS)
                && (cred == null || cred.status() != SetupCheck.Status.MISSING)) {
            try {
                c.reader().calendars(c.self().get());
            } catch (CalendarException e) {
                probe = e;
                noteError(e);
                if (e instanceof ReauthorizationRequiredException) {
                    cred = new SetupCheck.Item(
                            SetupCheck.Requirement.CREDENTIAL_VALID, SetupCheck.Status.MISSING, text(e));
                }
            }
        }
        Finding refresh = tokenRefresh(cred);
        if (refresh.status() == Finding.Status.FAIL
                && isGrant()
                && (cred == null || cred.status() == SetupCheck.Status.OK)) {
            // the grant is its refresh token: refused there, it is refused, whatever a cached token still does
            cred = new SetupCheck.Item(
                    SetupCheck.Requirement.CREDENTIAL_VALID,
                    SetupCheck.Status.MISSING,
                    "the token endpoint refused the refresh token");
        }
        boolean credentialOk = cred == null || cred.status() == SetupCheck.Status.OK;
        if (cred == null || cred.status() == SetupCheck.Status.OK) {
            findings.add(Finding.ok(Finding.CREDENTIALS, null, "The server accepted the " + credentialKind() + "."));
        } else if (cred.status() == SetupCheck.Status.MISSING) {
            findings.add(Finding.fail(
                    Finding.CREDENTIALS,
                    null,
                    credentialRefused() + " The server said: " + cred.detail(),
                    credentialFix()));
        } else {
            findings.add(Finding.warn(
                    Finding.CREDENTIALS,
                    null,
                    "Could not tell whether the " + credentialKind() + " works: " + cred.detail(),
                    "Run the doctor again; if this stays, check the connection "
                            + "settings against the provider's admin console."));
        }
        findings.add(refresh);
        if (!credentialOk) {
            return;
        }
        // 2. scopes and impersonation
        List<AccessCheck> access = mailboxes.isEmpty() ? List.of() : access(c, mailboxes);
        if (org) {
            scopesOfOrganization(setup);
            impersonation(setup, access);
        } else {
            scopesOfUser(c, probe);
            findings.add(Finding.ok(
                    Finding.IMPERSONATION,
                    null,
                    "Not used: the connection acts for one account"
                            + c.self().map(m -> " (" + m + ")").orElse("") + "."));
        }
        if (mailboxes.isEmpty()) {
            findings.add(Finding.warn(
                    Finding.MAILBOX_REACHABLE,
                    null,
                    "No mailbox was named, so no mailbox was checked.",
                    "Name the mailboxes to check (--mailbox EMAIL, or Doctor.Builder.mailboxes)."));
        }
        // 3. per mailbox
        for (int i = 0; i < access.size(); i++) {
            mailbox(c, org, access.get(i));
        }
    }

    private List<Mailbox> mailboxes(CalendarConnection c) {
        if (!doctor.mailboxes().isEmpty()) {
            return doctor.mailboxes();
        }
        if (c.self().isPresent()) {
            return List.of(c.self().get());
        }
        List<Mailbox> fromHealth = new ArrayList<>(doctor.health().keySet());
        return fromHealth.subList(0, Math.min(fromHealth.size(), Doctor.MAX_MAILBOXES));
    }

    private List<AccessCheck> access(CalendarConnection c, List<Mailbox> mailboxes) {
        try {
            return AccessProbe.checkAll(c, mailboxes);
        } catch (CalendarException e) {
            noteError(e);
            List<AccessCheck> out = new ArrayList<>();
            for (Mailbox m : mailboxes) {
                out.add(AccessProbe.classify(m, e));
            }
            return out;
        }
    }

    private void scopesOfOrganization(SetupCheck setup) {
        boolean any = false;
        for (SetupCheck.Item item : setup.items()) {
            String fix;
            String what;
            switch (item.requirement()) {
                case DELEGATION_CONFIGURED -> {
                    what = "the service account's domain-wide delegation with the calendar scope";
                    fix = "In the Google Admin console (Security > Access and data control > API controls > "
                            + "Domain-wide delegation) add the service account's client id with the scope "
                            + "https://www.googleapis.com/auth/calendar.";
                }
                case ADMIN_CONSENT_GIVEN -> {
                    what = "an administrator's consent to the app's application permissions";
                    fix = "A Microsoft Entra administrator opens the app registration (API permissions) and grants "
                            + "admin consent for Calendars.ReadWrite (application).";
                }
                default -> {
                    continue;
                }
            }
            any = true;
            findings.add(
                    switch (item.status()) {
                        case OK -> Finding.ok(Finding.SCOPES, null, "In place: " + what + ".");
                        case MISSING ->
                            Finding.fail(Finding.SCOPES, null, "Missing: " + what + ". " + item.detail(), fix);
                        case UNKNOWN ->
                            Finding.warn(
                                    Finding.SCOPES,
                                    null,
                                    "Could not tell whether " + what + " is in place. " + item.detail(),
                                    fix);
                    });
        }
        if (!any) {
            findings.add(Finding.ok(
                    Finding.SCOPES,
                    null,
                    "The provider has no separate grant to check beyond the "
                            + "credential and the mailboxes' access."));
        }
    }

    private void scopesOfUser(CalendarConnection c, CalendarException probe) {
        Mailbox self = c.self().orElse(null);
        if (self == null || !c.supports(Capability.READ_EVENTS)) {
            findings.add(
                    Finding.ok(Finding.SCOPES, null, "The connection answers free/busy; it does not read events."));
            return;
        }
        if (probe == null) {
            findings.add(Finding.ok(
                    Finding.SCOPES,
                    null,
                    "The connection may read calendars"
                            + (c.supports(Capability.WRITE_EVENTS) ? " and write events" : "") + "."));
        } else if (probe instanceof PermissionDeniedException) {
            findings.add(Finding.fail(
                    Finding.SCOPES,
                    null,
                    "Signed in, but not allowed to read calendars: the grant " + "lacks the calendar permission. "
                            + text(probe),
                    "Connect the account again and allow calendar "
                            + "access (read and write) on the consent screen."));
        } else {
            noteError(probe);
            findings.add(Finding.warn(
                    Finding.SCOPES,
                    null,
                    "Could not list the calendars: " + text(probe),
                    "Run the doctor again; if this stays, check the server's logs."));
        }
    }

    private void impersonation(SetupCheck setup, List<AccessCheck> access) {
        Optional<SetupCheck.Item> role = setup.item(SetupCheck.Requirement.IMPERSONATION_ROLE_PRESENT);
        long roleMissing = access.stream()
                .filter(a -> a.reason() == AccessCheck.Reason.ROLE_MISSING)
                .count();
        // EWS answers ErrorImpersonateUserDenied both outside the role's scope and without the role: when every
        // mailbox is refused so, the role is the likelier cause
        boolean allDenied = ExchangeDeployments.ON_PREMISES.equals(provider)
                && !access.isEmpty()
                && access.stream().allMatch(a -> a.reason() == AccessCheck.Reason.NOT_IN_SCOPE);
        if (allDenied) {
            roleMissing = access.size();
        }
        if (role.isPresent() && role.get().status() == SetupCheck.Status.MISSING || roleMissing > 0) {
            findings.add(Finding.fail(
                    Finding.IMPERSONATION,
                    null,
                    "The service account may not act as other mailboxes: "
                            + "it lacks the ApplicationImpersonation role"
                            + (allDenied ? " (or the role's management scope " + "excludes every mailbox checked)" : "")
                            + ". " + role.map(SetupCheck.Item::detail).orElse(""),
                    roleFix()));
        } else if (role.isPresent() && role.get().status() == SetupCheck.Status.UNKNOWN) {
            findings.add(Finding.warn(
                    Finding.IMPERSONATION,
                    null,
                    "Could not tell whether the service account holds " + "the ApplicationImpersonation role. "
                            + role.get().detail(),
                    roleFix()));
        } else if (access.stream().anyMatch(AccessCheck::allowed) || role.isPresent()) {
            findings.add(Finding.ok(
                    Finding.IMPERSONATION, null, "The service account may act as mailboxes of the " + "organization."));
        } else if (access.isEmpty()) {
            findings.add(Finding.ok(
                    Finding.IMPERSONATION,
                    null,
                    "Nothing refused impersonation; name mailboxes to " + "check it for them."));
        } else {
            findings.add(Finding.warn(
                    Finding.IMPERSONATION,
                    null,
                    "The service account could act as none of the " + "mailboxes checked; see each mailbox's finding.",
                    "Fix the mailbox findings below."));
        }
    }

    private void mailbox(CalendarConnection c, boolean org, AccessCheck access) {
        Mailbox m = access.mailbox();
        if (!access.allowed()) {
            findings.add(Finding.fail(Finding.MAILBOX_REACHABLE, m, unreachable(access), reachFix(access)));
            health(m);
            return;
        }
        findings.add(Finding.ok(Finding.MAILBOX_REACHABLE, m, "The mailbox can be reached."));
        CalendarConnection view = null;
        try {
            view = org ? c.impersonator().actAs(m) : c;
            calendar(view, m);
            providerChecks(view, m);
        } catch (CalendarException e) {
            noteError(e);
            findings.add(Finding.warn(
                    Finding.UPCOMING_EVENTS,
                    m,
                    "Could not read the calendar: " + text(e),
                    "Run the doctor again; if this stays, check this mailbox's permissions."));
        } finally {
            if (view != null && view != c) {
                view.close();
            }
        }
        health(m);
    }

    private void calendar(CalendarConnection c, Mailbox m) {
        Instant now = doctor.clock().instant();
        TimeWindow window = TimeWindow.of(now, doctor.lookahead());
        String span = span();
        if (!c.supports(Capability.READ_EVENTS)) {
            findings.add(Finding.ok(Finding.UPCOMING_EVENTS, m, "Not checked: the connection does not read events."));
            return;
        }
        List<Event> events = new ArrayList<>();
        EventQuery q = EventQuery.of(CalendarRef.primary(m), window);
        boolean truncated = false;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            EventPage page = c.reader().list(q);
            events.addAll(page.events());
            if (events.size() >= Doctor.MAX_EVENTS) {
                truncated = true;
                break;
            }
            if (page.nextPageToken() == null) {
                break;
            }
            q = q.withPageToken(page.nextPageToken());
        }
        List<Occurrence> occurrences = Recurrences.expandAll(events, window, doctor.zone())
                .filter(o -> o.status() != org.calsdk.model.EventStatus.CANCELLED)
                .limit(Doctor.MAX_EVENTS)
                .toList();
        if (occurrences.isEmpty()) {
            findings.add(Finding.warn(
                    Finding.UPCOMING_EVENTS,
                    m,
                    "The calendar has no events in the " + span
                            + ": either it is unused, or the events are in another calendar or account.",
                    "If the person does use a calendar, check that the right account is connected and that the "
                            + "events are in its primary calendar; a new, empty calendar needs nothing."));
        } else {
            findings.add(Finding.ok(
                    Finding.UPCOMING_EVENTS,
                    m,
                    occurrences.size() + (truncated ? "+" : "") + " event" + (occurrences.size() == 1 ? "" : "s")
                            + " in the " + span + "."));
        }
        List<Occurrence> blocking = occurrences.stream()
                .filter(o -> o.isAllDay() && o.busyStatus() != BusyStatus.FREE)
                .toList();
        if (blocking.isEmpty()) {
            findings.add(Finding.ok(Finding.ALL_DAY_EVENTS, m, "No all-day event marked busy in the " + span + "."));
        } else {
            Set<LocalDate> days = new TreeSet<>();
            List<String> listed = new ArrayList<>();
            for (Occurrence o : blocking) {
                LocalDate d = o.start().date();
                LocalDate end = o.end().date();
                for (LocalDate x = d; x.isBefore(end) && days.size() < 400; x = x.plusDays(1)) {
                    days.add(x);
                }
                if (listed.size() < MAX_LISTED) {
                    listed.add(d + " \"" + o.summary() + "\"");
                }
            }
            findings.add(Finding.warn(
                    Finding.ALL_DAY_EVENTS,
                    m,
                    blocking.size() + " all-day event"
                            + (blocking.size() == 1 ? " is" : "s are") + " marked busy and will block " + days.size()
                            + " whole day" + (days.size() == 1 ? "" : "s") + " for scheduling: "
                            + String.join(", ", listed)
                            + (blocking.size() > listed.size() ? ", ..." : "") + ".",
                    "If they are reminders (holidays, birthdays, someone's leave), mark them \"show as free\" "
                            + "(transparent) in the calendar, or turn on the host's setting that treats all-day "
                            + "events as free."));
        }
    }

    private void providerChecks(CalendarConnection c, Mailbox m) {
        List<Finding> own = new ArrayList<>();
        Optional<org.calsdk.api.ProviderDiagnostics> d = c.diagnostics();
        if (d.isPresent()) {
            for (Finding f : d.get().diagnose(m, doctor.clock())) {
                own.add(f.mailbox() == null ? new Finding(f.check(), f.status(), m, f.message(), f.fix()) : f);
            }
        }
        if (own.stream().noneMatch(f -> f.check().equals(Finding.WORKING_HOURS))) {
            if (doctor.workingHours().containsKey(m)) {
                own.add(0, Finding.ok(Finding.WORKING_HOURS, m, "The host keeps working hours for this person."));
            } else {
                own.add(
                        0,
                        Finding.warn(
                                Finding.WORKING_HOURS,
                                m,
                                "No working hours are configured: finding free "
                                        + "time will offer any hour of the day, nights and weekends included.",
                                "Set the person's "
                                        + "working hours in the host application (or in the calendar's own settings where the "
                                        + "provider reads them)."));
            }
        }
        findings.addAll(own);
    }

    private void health(Mailbox m) {
        MailboxHealth h = doctor.health().get(m);
        if (h == null) {
            return;
        }
        Instant now = doctor.clock().instant();
        if (h.subscriptions().isEmpty()) {
            findings.add(Finding.ok(
                    Finding.PUSH_SUBSCRIPTION, m, "No push subscription is kept; changes are found " + "by polling."));
        }
        for (Subscription s : h.subscriptions()) {
            String cal = s.calendar().id();
            if (!s.expiresAt().isAfter(now)) {
                findings.add(Finding.fail(
                        Finding.PUSH_SUBSCRIPTION,
                        m,
                        "The push subscription for calendar " + cal
                                + " expired at " + s.expiresAt()
                                + ": changes now arrive only when the engine polls, minutes "
                                + "late.",
                        "Keep the sync engine running: it renews subscriptions before they expire and "
                                + "makes a new one after this. If they keep lapsing, check that the webhook URL is reachable "
                                + "from the provider."));
            } else if (Duration.between(now, s.expiresAt()).compareTo(Duration.ofHours(1)) < 0) {
                findings.add(Finding.warn(
                        Finding.PUSH_SUBSCRIPTION,
                        m,
                        "The push subscription for calendar " + cal + " expires within the hour (" + s.expiresAt()
                                + ") and has not been renewed yet.",
                        "Check that the sync engine is running; it renews subscriptions before they expire."));
            } else {
                findings.add(Finding.ok(
                        Finding.PUSH_SUBSCRIPTION,
                        m,
                        "The push subscription for calendar " + cal + " is alive until " + s.expiresAt() + "."));
            }
        }
        if (!h.connected()) {
            findings.add(Finding.fail(
                    Finding.LAST_SYNC,
                    m,
                    "Sync stopped: the provider refused this mailbox's " + "authorization"
                            + (h.lastError() == null ? "" : " (" + h.lastError() + ")") + ".",
                    "Ask the person to connect their calendar again"
                            + (h.relinkUrl() == null ? "" : " at " + h.relinkUrl())
                            + "; sync resumes where it stopped."));
        } else if (!h.enabled()) {
            findings.add(Finding.warn(
                    Finding.LAST_SYNC,
                    m,
                    "Sync is turned off for this mailbox.",
                    "Turn it on again (SyncEngine.setEnabled) if it should sync."));
        } else if (h.lastSyncAt() == null) {
            findings.add(Finding.warn(
                    Finding.LAST_SYNC,
                    m,
                    "The mailbox has never synced"
                            + (h.lastError() == null ? "." : "; the last error: " + h.lastError()),
                    "Run the sync engine (calendar sync) and look at the last error if it does not sync."));
        } else {
            Duration age = Duration.between(h.lastSyncAt(), now);
            String ago = "The last sync ended " + words(age) + " ago (" + h.lastSyncAt() + ")"
                    + (h.lastError() == null ? "." : "; the last error: " + h.lastError());
            if (age.compareTo(Doctor.SYNC_FAIL) > 0) {
                findings.add(Finding.fail(
                        Finding.LAST_SYNC,
                        m,
                        ago,
                        "Check that the sync engine runs; fix the last "
                                + "error shown, then sync once (calendar sync --once)."));
            } else if (age.compareTo(Doctor.SYNC_WARN) > 0) {
                findings.add(Finding.warn(
                        Finding.LAST_SYNC,
                        m,
                        ago,
                        "Check that the sync engine runs and is not " + "failing on this mailbox."));
            } else {
                findings.add(Finding.ok(Finding.LAST_SYNC, m, ago));
            }
        }
    }

    // ------------------------------------------------------------------ the end: HTTP, Exchange rule

    private DoctorReport finish() {
        List<Finding> out = new ArrayList<>();
        // connection-level findings first, then the HTTP ones, then per mailbox
        int firstMailbox = 0;
        while (firstMailbox < findings.size() && findings.get(firstMailbox).mailbox() == null) {
            firstMailbox++;
        }
        out.addAll(findings.subList(0, firstMailbox));
        clockAndTls(out);
        out.addAll(findings.subList(firstMailbox, findings.size()));
        exchange(out);
        return new DoctorReport(out);
    }

    private void clockAndTls(List<Finding> out) {
        if (observer == null) {
            out.add(Finding.warn(
                    Finding.CLOCK_SKEW,
                    null,
                    "Not measured: the doctor ran on a connection it did not " + "open.",
                    "Run the doctor with the connection's settings so it can read the server's clock."));
            out.add(Finding.warn(
                    Finding.TLS,
                    null,
                    "Not measured: the doctor ran on a connection it did not open.",
                    "Run the doctor with the connection's settings so it can see the TLS handshake."));
            return;
        }
        List<HttpObserver.Host> hosts = observer.hosts();
        // clock: the largest difference any host showed
        HttpObserver.Host worst = null;
        for (HttpObserver.Host h : hosts) {
            if (h.skew() != null
                    && (worst == null || h.skew().abs().compareTo(worst.skew().abs()) > 0)) {
                worst = h;
            }
        }
        if (worst == null) {
            out.add(Finding.warn(
                    Finding.CLOCK_SKEW,
                    null,
                    "Not measured: the server sent no Date header.",
                    "Make sure this machine's clock is synchronized (NTP)."));
        } else {
            Duration skew = worst.skew();
            String said = "The clock of " + worst.name() + " and this machine's differ by " + words(skew.abs())
                    + (skew.isNegative()
                            ? " (this machine is ahead)."
                            : skew.isZero() ? "." : " (the server is ahead).");
            String fix = "Synchronize this machine's clock with NTP (timedatectl set-ntp true, or w32tm /resync on "
                    + "Windows); signed tokens are refused and times are misjudged when clocks differ by minutes.";
            // the Date header has whole seconds and the answer takes time to arrive: allow for both
            if (skew.abs().compareTo(Doctor.SKEW_FAIL) > 0) {
                out.add(Finding.fail(Finding.CLOCK_SKEW, null, said, fix));
            } else if (skew.abs().compareTo(Doctor.SKEW_WARN) > 0) {
                out.add(Finding.warn(Finding.CLOCK_SKEW, null, said, fix));
            } else {
                out.add(Finding.ok(
                        Finding.CLOCK_SKEW,
                        null,
                        "The server's clock agrees with this machine's (within " + words(skew.abs()) + ")."));
            }
        }
        // TLS
        if (tlsFailure != null) {
            out.add(Finding.fail(
                    Finding.TLS,
                    null,
                    "The encrypted connection" + (tlsHost == null ? "" : " to " + tlsHost) + " could not be set up: "
                            + tlsFailure.getMessage(),
                    "If the server uses a certificate of a "
                            + "private authority, add that authority to Java's trust store; otherwise the server's "
                            + "certificate must be renewed or name the host it is reached by."));
            return;
        }
        if (hosts.isEmpty()) {
            out.add(Finding.warn(
                    Finding.TLS,
                    null,
                    "Not measured: no answer came from the server.",
                    "Fix the findings above, then run the doctor again."));
            return;
        }
        Instant now = doctor.clock().instant();
        for (HttpObserver.Host h : hosts) {
            if (!h.https()) {
                if (isLoopback(h.name())) {
                    out.add(Finding.ok(
                            Finding.TLS,
                            null,
                            "Plain HTTP to a server on this machine (" + h.name()
                                    + "): unencrypted, which is acceptable only for a local server."));
                } else {
                    out.add(Finding.warn(
                            Finding.TLS,
                            null,
                            "The connection to " + h.name() + " is not encrypted "
                                    + "(plain HTTP): passwords and events cross the network readable.",
                            "Serve the calendar server over HTTPS and use an https:// address."));
                }
            } else if (h.tlsVersion() != null
                    && (h.tlsVersion().equals("TLSv1")
                            || h.tlsVersion().equals("TLSv1.1")
                            || h.tlsVersion().startsWith("SSL"))) {
                out.add(Finding.warn(
                        Finding.TLS,
                        null,
                        h.name() + " speaks " + h.tlsVersion() + ", which is outdated.",
                        "Enable TLS 1.2 or 1.3 on the server."));
            } else if (h.certificateExpiry() != null && h.certificateExpiry().isBefore(now.plus(Duration.ofDays(14)))) {
                out.add(Finding.warn(
                        Finding.TLS,
                        null,
                        "The certificate of " + h.name() + " expires on " + h.certificateExpiry() + ".",
                        "Renew the server's certificate before then."));
            } else {
                out.add(Finding.ok(
                        Finding.TLS,
                        null,
                        h.name() + ": " + h.tlsVersion()
                                + (h.certificateExpiry() == null
                                        ? ""
                                        : ", certificate valid until " + h.certificateExpiry())
                                + "."));
            }
        }
    }

    private void exchange(List<Finding> out) {
        List<OrganizationIntegration> all = new ArrayList<>(doctor.integrations());
        if (all.isEmpty()) {
            return;
        }
        if (ExchangeDeployments.isExchange(provider) && !doctor.mailboxes().isEmpty()) {
            Set<String> domains = new LinkedHashSet<>();
            doctor.mailboxes().forEach(m -> domains.add(m.domain()));
            all.add(new OrganizationIntegration("this connection", provider, domains));
        }
        List<ExchangeDeployments.Conflict> conflicts = ExchangeDeployments.conflicts(all);
        if (conflicts.isEmpty()) {
            out.add(Finding.ok(
                    Finding.EXCHANGE_DEPLOYMENT,
                    null,
                    "No domain is enabled for both Exchange Online and " + "Exchange on-premises."));
        }
        for (ExchangeDeployments.Conflict c : conflicts) {
            out.add(Finding.fail(
                    Finding.EXCHANGE_DEPLOYMENT,
                    null,
                    "Exchange Online and Exchange on-premises are both " + "enabled for one organization: "
                            + c.describe() + ".",
                    "Keep one for " + c.domain()
                            + ": Exchange Online (graph) if the mailboxes are in Microsoft 365, Exchange on-premises (ews) if "
                            + "they are on the organization's own servers; disable the other integration or remove its "
                            + "mailboxes of " + c.domain() + "."));
        }
    }

    // ------------------------------------------------------------------ words

    private Finding tokenRefresh(SetupCheck.Item cred) {
        boolean ok = cred == null || cred.status() == SetupCheck.Status.OK;
        boolean refused = cred != null && cred.status() == SetupCheck.Status.MISSING;
        if (credentials instanceof PasswordCredentials) {
            return Finding.ok(Finding.TOKEN_REFRESH, null, "Not used: password sign-in has no token to renew.");
        }
        if (credentials instanceof RefreshTokenCredentials) {
            return refused
                    ? Finding.fail(
                            Finding.TOKEN_REFRESH,
                            null,
                            "The refresh token was refused, so no new access "
                                    + "token can be obtained: the person's grant was revoked or has expired.",
                            credentialFix())
                    : Finding.ok(
                            Finding.TOKEN_REFRESH, null, "A new access token was obtained with the refresh token.");
        }
        if (credentials instanceof TokenCredentials t && t.source() instanceof OAuth2TokenSource source) {
            try {
                source.refresh(source.token());
                return Finding.ok(
                        Finding.TOKEN_REFRESH, null, "A new access token was obtained with the refresh token.");
            } catch (ReauthorizationRequiredException e) {
                return Finding.fail(
                        Finding.TOKEN_REFRESH,
                        null,
                        "The refresh token was refused, so no new access "
                                + "token can be obtained: the person's grant was revoked or has expired.",
                        credentialFix());
            } catch (CalendarException e) {
                return Finding.warn(
                        Finding.TOKEN_REFRESH,
                        null,
                        "Renewing the access token failed: " + text(e),
                        "Run the doctor again; if this stays, check that the token endpoint is reachable.");
            }
        }
        if (credentials instanceof TokenCredentials t) {
            try {
                AccessToken current = t.source().token();
                t.source().refresh(current);
                return Finding.ok(Finding.TOKEN_REFRESH, null, "The token source renewed the access token.");
            } catch (ReauthorizationRequiredException e) {
                return (refused
                        ? Finding.fail(
                                Finding.TOKEN_REFRESH,
                                null,
                                "The access token cannot be renewed: " + text(e),
                                credentialFix())
                        : Finding.warn(
                                Finding.TOKEN_REFRESH,
                                null,
                                "The access token "
                                        + "works now but cannot be renewed here, so it stops working when it expires.",
                                "Configure a refresh token (or client credentials) so the SDK can renew access itself."));
            } catch (CalendarException e) {
                return Finding.warn(
                        Finding.TOKEN_REFRESH,
                        null,
                        "Renewing the access token failed: " + text(e),
                        "Run the doctor again; if this stays, check the token endpoint.");
            }
        }
        if (credentials instanceof ServiceAccountCredentials || credentials instanceof ClientCredentials) {
            return refused
                    ? Finding.fail(
                            Finding.TOKEN_REFRESH,
                            null,
                            "No access token could be obtained for the " + credentialKind() + ".",
                            credentialFix())
                    : Finding.ok(
                            Finding.TOKEN_REFRESH,
                            null,
                            "Access tokens are obtained with the " + credentialKind() + " when needed; that worked.");
        }
        return ok
                ? Finding.ok(Finding.TOKEN_REFRESH, null, "The connection obtained access.")
                : Finding.fail(Finding.TOKEN_REFRESH, null, "The connection could not obtain access.", credentialFix());
    }

    /** A person's OAuth grant: refresh-token credentials, or a token source that refreshes with one. */
    private boolean isGrant() {
        return credentials instanceof RefreshTokenCredentials
                || credentials instanceof TokenCredentials t && t.source() instanceof OAuth2TokenSource;
    }

    private String credentialKind() {
        if (isGrant()) {
            return "person's grant (refresh token)";
        }
        if (credentials instanceof PasswordCredentials) {
            return "username and password";
        }
        if (credentials instanceof RefreshTokenCredentials) {
            return "person's grant (refresh token)";
        }
        if (credentials instanceof TokenCredentials) {
            return "access token";
        }
        if (credentials instanceof ServiceAccountCredentials) {
            return "service account key";
        }
        if (credentials instanceof ClientCredentials) {
            return "application's client credentials";
        }
        return "credentials";
    }

    private String credentialRefused() {
        if (isGrant()) {
            return "The person's grant was refused: it was revoked (the person or an administrator removed the app's "
                    + "access) or it expired.";
        }
        if (credentials instanceof PasswordCredentials) {
            return "The server refused the username and password.";
        }
        if (credentials instanceof RefreshTokenCredentials) {
            return "The person's grant was refused: it was revoked (the person or an administrator removed the app's "
                    + "access) or it expired.";
        }
        if (credentials instanceof TokenCredentials) {
            return "The access token was refused: it expired or was revoked.";
        }
        if (credentials instanceof ServiceAccountCredentials) {
            return "The service account key was refused: it was deleted or disabled, or the account was.";
        }
        if (credentials instanceof ClientCredentials) {
            return "The application's client secret or certificate was refused: it expired, or the app registration "
                    + "was deleted.";
        }
        return "The credentials were refused.";
    }

    private String credentialFix() {
        if (isGrant()) {
            return "Ask the person to connect their calendar again (sign in and allow access); a revoked grant "
                    + "cannot be repaired from here.";
        }
        if (credentials instanceof PasswordCredentials) {
            return "Check the username and password in the connection settings; iCloud, Fastmail and Google "
                    + "accounts with two-step sign-in need an app-specific password, not the account password.";
        }
        if (credentials instanceof RefreshTokenCredentials) {
            return "Ask the person to connect their calendar again (sign in and allow access); a revoked grant "
                    + "cannot be repaired from here.";
        }
        if (credentials instanceof TokenCredentials) {
            return "Obtain a fresh access token, or configure a refresh token so the SDK renews access itself.";
        }
        if (credentials instanceof ServiceAccountCredentials) {
            return "Create a new key for the service account in the Google Cloud console (IAM > Service accounts > "
                    + "Keys) and put it in the connection settings.";
        }
        if (credentials instanceof ClientCredentials) {
            return "Create a new client secret (or upload a certificate) for the app registration in Microsoft Entra "
                    + "ID (Certificates & secrets) and put it in the connection settings.";
        }
        return "Check the credentials in the connection settings.";
    }

    private String roleFix() {
        return "An Exchange administrator assigns the role: New-ManagementRoleAssignment -Role "
                + "ApplicationImpersonation -User <service account> (limit it with -CustomRecipientWriteScope to the "
                + "mailboxes it should reach).";
    }

    private String unreachable(AccessCheck a) {
        String detail = a.detail().isBlank() ? "" : " The provider said: " + a.detail();
        return switch (a.reason()) {
            case NOT_IN_SCOPE -> "The mailbox is outside what the account was granted." + detail;
            case ROLE_MISSING ->
                "The service account lacks the impersonation role needed to act as this mailbox." + detail;
            case NOT_FOUND -> "No such mailbox (or it is suspended)." + detail;
            case CREDENTIAL_INVALID -> credentialRefused() + detail;
            case UNKNOWN -> "The provider refused access without a reason the SDK recognizes." + detail;
        };
    }

    private String reachFix(AccessCheck a) {
        return switch (a.reason()) {
            case NOT_IN_SCOPE ->
                switch (provider) {
                    case "google" ->
                        "Move the user into the domain or organizational unit the delegation covers, or use "
                                + "a service account of the user's own domain.";
                    case "graph" ->
                        "Add the mailbox to the mail-enabled security group named in the application access "
                                + "policy (Exchange Online PowerShell: Add-DistributionGroupMember), or widen the policy "
                                + "(Set-ApplicationAccessPolicy).";
                    case "ews" ->
                        "Add the mailbox to the management scope of the service account's impersonation role "
                                + "(Set-ManagementScope), or widen the scope.";
                    default -> "Ask the mailbox's owner to share their calendar with the connected account.";
                };
            case ROLE_MISSING -> roleFix();
            case NOT_FOUND ->
                "Check the address for typos; for a renamed person use the new primary address; an "
                        + "administrator must restore a suspended account.";
            case CREDENTIAL_INVALID -> credentialFix();
            case UNKNOWN ->
                "Check this mailbox in the provider's admin console (licence, calendar enabled, sharing) "
                        + "and run the doctor again.";
        };
    }

    private String span() {
        long days = doctor.lookahead().toDays();
        return days % 7 == 0 ? "next " + (days / 7) + " week" + (days == 7 ? "" : "s") : "next " + days + " days";
    }

    private void noteError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl && tlsFailure == null) {
                tlsFailure = ssl;
            }
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // only literal addresses: no name lookup here
            boolean literal = host.matches("[0-9.]+") || host.contains(":");
            return literal && InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    static String words(Duration d) {
        long s = d.abs().getSeconds();
        if (s < 120) {
            return s + " second" + (s == 1 ? "" : "s");
        }
        if (s < 2 * 3600) {
            return (s / 60) + " minutes";
        }
        if (s < 2 * 86400) {
            return (s / 3600) + " hours";
        }
        return (s / 86400) + " days";
    }

    private static String text(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
