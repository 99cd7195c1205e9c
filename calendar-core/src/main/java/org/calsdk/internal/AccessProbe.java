package org.calsdk.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.calsdk.api.AccessCheck;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.ServiceAccountImpersonator;
import org.calsdk.api.SetupCheck;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/** Access checks for any connection, behind {@code ScopeReport} and {@code Doctor}. Not public API. */
public final class AccessProbe {
    private static final TimeWindow PROBE =
            TimeWindow.of(java.time.Instant.parse("2030-01-07T09:00:00Z"), java.time.Duration.ofMinutes(1));

    private AccessProbe() {}

    /** One answer per mailbox, in order; each distinct mailbox asked once. */
    public static List<AccessCheck> checkAll(CalendarConnection c, List<Mailbox> mailboxes) {
        List<Mailbox> distinct = new ArrayList<>(new LinkedHashSet<>(mailboxes));
        for (Mailbox m : distinct) {
            Checks.notNull(m, "mailbox");
        }
        Map<Mailbox, AccessCheck> answers = new LinkedHashMap<>();
        if (c.scope() == ConnectionScope.ORGANIZATION) {
            Checks.check(
                    c.supports(Capability.IMPERSONATION),
                    "connection",
                    "the organization connection of provider '" + c.providerId()
                            + "' cannot act as mailboxes, so it cannot check them");
            for (int from = 0; from < distinct.size(); from += ServiceAccountImpersonator.MAX_ACCESS_CHECKS) {
                List<Mailbox> part = distinct.subList(
                        from, Math.min(distinct.size(), from + ServiceAccountImpersonator.MAX_ACCESS_CHECKS));
                List<AccessCheck> got = c.impersonator().checkAccess(part);
                for (int i = 0; i < part.size(); i++) {
                    answers.put(part.get(i), got.get(i));
                }
            }
        } else {
            Mailbox self = c.self().orElse(null);
            SetupCheck.Item credential = null;
            for (Mailbox m : distinct) {
                if (m.equals(self)) {
                    if (credential == null) {
                        credential = c.checkSetup()
                                .item(SetupCheck.Requirement.CREDENTIAL_VALID)
                                .orElse(new SetupCheck.Item(
                                        SetupCheck.Requirement.CREDENTIAL_VALID, SetupCheck.Status.UNKNOWN, ""));
                    }
                    answers.put(
                            m,
                            switch (credential.status()) {
                                case OK -> AccessCheck.allowed(m);
                                case MISSING ->
                                    AccessCheck.denied(m, AccessCheck.Reason.CREDENTIAL_INVALID, credential.detail());
                                case UNKNOWN -> AccessCheck.denied(m, AccessCheck.Reason.UNKNOWN, credential.detail());
                            });
                } else {
                    answers.put(m, tryOther(c, m));
                }
            }
        }
        List<AccessCheck> out = new ArrayList<>(mailboxes.size());
        for (Mailbox m : mailboxes) {
            out.add(answers.get(m));
        }
        return List.copyOf(out);
    }

    /** A one-user connection reaching another mailbox: as a delegate (its calendars) or through free/busy. */
    private static AccessCheck tryOther(CalendarConnection c, Mailbox m) {
        try {
            if (c.supports(Capability.READ_EVENTS)) {
                c.reader().calendars(m);
            } else if (c.supports(Capability.FREE_BUSY)) {
                FreeBusy fb = c.freeBusy()
                        .query(FreeBusyRequest.of(List.of(m), PROBE))
                        .results()
                        .get(0);
                if (fb.error() != null) {
                    throw fb.error();
                }
            } else {
                return AccessCheck.denied(
                        m, AccessCheck.Reason.UNKNOWN, "the connection can neither read events nor " + "free/busy");
            }
            return AccessCheck.allowed(m);
        } catch (CalendarException e) {
            return classify(m, e);
        }
    }

    /** The reason an exception stands for. */
    public static AccessCheck classify(Mailbox m, CalendarException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ReauthorizationRequiredException) {
            return AccessCheck.denied(m, AccessCheck.Reason.CREDENTIAL_INVALID, detail);
        }
        if (e instanceof NotFoundException) {
            return AccessCheck.denied(m, AccessCheck.Reason.NOT_FOUND, detail);
        }
        if (e instanceof PermissionDeniedException) {
            return AccessCheck.denied(m, AccessCheck.Reason.NOT_IN_SCOPE, detail);
        }
        return AccessCheck.denied(m, AccessCheck.Reason.UNKNOWN, detail);
    }
}
