package org.calsdk.sync;

import java.util.List;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.model.Mailbox;

/**
 * A call named a mailbox by its email alone, and that email is connected through more than one integration:
 * the call does not guess which. Name the integration: {@link SyncStateStore#inIntegration(String)} on the
 * store, or the engine's forms that take a {@link MailboxRef}.
 *
 * @since 0.4
 */
public final class AmbiguousMailboxException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> integrations;

    /**
     * An email-only call named {@code mailbox}, which is connected through each of {@code integrations}.
     *
     * @param mailbox the mailbox
     * @param integrations the integrations
     */
    public AmbiguousMailboxException(Mailbox mailbox, List<String> integrations) {
        super(
                "mailbox " + mailbox + " is connected through several integrations " + integrations
                        + "; name the integration (SyncStateStore.inIntegration, or a MailboxRef)",
                ErrorContext.NONE.withMailbox(mailbox));
        this.integrations = List.copyOf(integrations);
    }

    /**
     * The integrations the email is connected through, sorted by name.
     *
     * @return the names of the integrations the email is in, sorted
     */
    public List<String> integrations() {
        return integrations;
    }
}
