package org.calsdk.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.api.SetupCheck;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.model.FreeBusy;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/** The generic set-up check of a one-user connection: one cheap call tells whether its credential works. */
public final class SetupChecks {
    private static final TimeWindow PROBE = TimeWindow.of(Instant.parse("2030-01-07T09:00:00Z"), Duration.ofMinutes(1));

    private SetupChecks() {}

    /** {@code connection}'s credential, judged by listing its calendars (or a one-minute free/busy). */
    public static SetupCheck credentialOf(CalendarConnection connection) {
        Mailbox self = connection.self().orElse(null);
        if (self == null) {
            return one(SetupCheck.Status.UNKNOWN, "the connection names no mailbox to try its credential on");
        }
        try {
            if (connection.supports(Capability.READ_EVENTS)) {
                connection.reader().calendars(self);
            } else if (connection.supports(Capability.FREE_BUSY)) {
                // any short window tells whether the credential works; a fixed one keeps this free of the clock
                FreeBusy fb = connection
                        .freeBusy()
                        .query(FreeBusyRequest.of(List.of(self), PROBE))
                        .results()
                        .get(0);
                if (fb.error() != null) {
                    throw fb.error();
                }
            } else {
                return one(SetupCheck.Status.UNKNOWN, "the connection can neither read events nor free/busy");
            }
            return one(SetupCheck.Status.OK, "");
        } catch (ReauthorizationRequiredException e) {
            return one(SetupCheck.Status.MISSING, e.getMessage());
        } catch (PermissionDeniedException e) {
            return one(
                    SetupCheck.Status.UNKNOWN,
                    "the credential was accepted but may not read its own calendars: " + e.getMessage());
        } catch (CalendarException e) {
            return one(SetupCheck.Status.UNKNOWN, e.getMessage());
        }
    }

    private static SetupCheck one(SetupCheck.Status status, String detail) {
        return new SetupCheck(List.of(new SetupCheck.Item(SetupCheck.Requirement.CREDENTIAL_VALID, status, detail)));
    }
}
