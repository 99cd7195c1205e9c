package org.calsdk.graph.internal;

import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.ServiceAccountImpersonator;
import org.calsdk.api.SetupCheck;
import org.calsdk.api.SetupCheck.Item;
import org.calsdk.api.SetupCheck.Requirement;
import org.calsdk.api.SetupCheck.Status;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.http.HttpResponse;
import org.calsdk.model.Mailbox;

/**
 * The app-only (client credentials) view of an organization: which mailboxes the application may act as
 * (the application access policy or RBAC for Applications scope decides), whether its credential and the
 * tenant's admin consent are in place, and connections acting as one mailbox.
 */
public final class GraphImpersonator implements ServiceAccountImpersonator {
    private static final String CONSENT_HINT = "an administrator must grant admin consent to the application's "
            + "Calendars.ReadWrite and User.Read.All application permissions (AdminConsent builds the URL)";
    private final GraphSession session;

    public GraphImpersonator(GraphSession session) {
        this.session = session;
    }

    @Override
    public AccessCheck checkAccess(Mailbox mailbox) {
        HttpUrl url = session.client()
                .url("users", mailbox.email(), "calendar")
                .addQueryParameter("$select", "id")
                .build();
        HttpResponse r;
        try {
            r = session.client().send("checkAccess", mailbox, "GET", url, null, null);
        } catch (ReauthorizationRequiredException e) {
            return AccessCheck.denied(mailbox, AccessCheck.Reason.CREDENTIAL_INVALID, e.getMessage());
        }
        if (r.isSuccessful()) {
            return AccessCheck.allowed(mailbox);
        }
        CalendarException e = session.client().error(r, mailbox, "checkAccess");
        String code = errorCode(r);
        return switch (r.status()) {
            case 401 ->
                AccessCheck.denied(
                        mailbox,
                        AccessCheck.Reason.CREDENTIAL_INVALID,
                        "Graph refused the application's token (" + code + "): check the client secret or certificate");
            case 403 ->
                AccessCheck.denied(
                        mailbox,
                        AccessCheck.Reason.NOT_IN_SCOPE,
                        code.equals("ErrorAccessDenied")
                                ? "the mailbox is outside the application access policy (New-ApplicationAccessPolicy) or the "
                                        + "RBAC for Applications management scope that limits this app; add it to the policy's "
                                        + "mail-enabled security group or scope: " + e.getMessage()
                                : "Graph refused access (" + code + "); " + CONSENT_HINT + ": " + e.getMessage());
            case 404 ->
                AccessCheck.denied(
                        mailbox,
                        AccessCheck.Reason.NOT_FOUND,
                        "no such mailbox in the tenant (or it has no Exchange Online mailbox): " + e.getMessage());
            default -> throw e;
        };
    }

    @Override
    public SetupCheck checkSetup() {
        HttpUrl url = session.client()
                .url("users")
                .addQueryParameter("$top", "1")
                .addQueryParameter("$select", "id")
                .build();
        HttpResponse r;
        try {
            r = session.client().send("checkSetup", null, "GET", url, null, null);
        } catch (ReauthorizationRequiredException e) {
            return new SetupCheck(List.of(
                    new Item(Requirement.CREDENTIAL_VALID, Status.MISSING, e.getMessage()),
                    new Item(Requirement.ADMIN_CONSENT_GIVEN, Status.UNKNOWN, "no token, so consent cannot be told")));
        }
        if (r.isSuccessful()) {
            return new SetupCheck(List.of(
                    new Item(Requirement.CREDENTIAL_VALID, Status.OK, ""),
                    new Item(Requirement.ADMIN_CONSENT_GIVEN, Status.OK, "")));
        }
        String code = errorCode(r);
        if (r.status() == 401) {
            return new SetupCheck(List.of(
                    new Item(
                            Requirement.CREDENTIAL_VALID,
                            Status.MISSING,
                            "Graph refused the application's token (" + code + ")"),
                    new Item(Requirement.ADMIN_CONSENT_GIVEN, Status.UNKNOWN, "the token was refused first")));
        }
        if (r.status() == 403) {
            return new SetupCheck(List.of(
                    new Item(Requirement.CREDENTIAL_VALID, Status.OK, ""),
                    new Item(
                            Requirement.ADMIN_CONSENT_GIVEN,
                            Status.MISSING,
                            "Graph refused /users (" + code + "); " + CONSENT_HINT)));
        }
        throw session.client().error(r, null, "checkSetup");
    }

    @Override
    public CalendarConnection actAs(Mailbox mailbox) {
        return new GraphConnection(session, mailbox, () -> {});
    }

    private static String errorCode(HttpResponse r) {
        try {
            Map<String, Object> body = r.body().length == 0 ? Map.of() : Json.object(r.body());
            String c = GraphClient.errorCode(body);
            return c.isEmpty() ? "HTTP " + r.status() : c;
        } catch (IllegalArgumentException e) {
            return "HTTP " + r.status();
        }
    }
}
