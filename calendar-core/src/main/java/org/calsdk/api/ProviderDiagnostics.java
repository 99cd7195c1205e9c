package org.calsdk.api;

import java.time.Clock;
import java.util.List;
import org.calsdk.model.Mailbox;

/**
 * A provider's own checks for {@link Doctor}: what only the provider can tell (Graph's mailbox settings
 * for working hours, EWS's impersonation role by name, a CalDAV server's availability component). A
 * connection offers it through {@link CalendarConnection#diagnostics()}; a finding whose check has the name
 * of one of {@link Finding}'s checks (such as {@link Finding#WORKING_HOURS}) replaces the doctor's generic
 * finding for that check and mailbox.
 *
 * @since 0.2
 */
public interface ProviderDiagnostics {
    /**
     * The provider's findings about {@code mailbox}. Answers, does not throw, for a problem it finds; a
     * failure to ask at all may throw, and the doctor reports it.
     *
     * @param mailbox the mailbox to check
     * @param clock   the doctor's clock, for anything judged against "now"
     * @return the provider's findings (empty when it has nothing to add for this mailbox)
     */
    List<Finding> diagnose(Mailbox mailbox, Clock clock);
}
