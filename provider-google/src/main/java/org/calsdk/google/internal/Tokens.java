package org.calsdk.google.internal;

import org.calsdk.auth.AccessTokenSource;
import org.calsdk.model.Mailbox;

/** Where the bearer token for acting as a mailbox comes from. */
public interface Tokens {

    /** The token source for calls made as {@code mailbox}. */
    AccessTokenSource forMailbox(Mailbox mailbox);

    /** Whether each mailbox gets a token of its own (a service account with domain-wide delegation). */
    boolean perMailbox();

    /** A user's own grant: one source, whichever mailbox the calls are about. */
    static Tokens fixed(AccessTokenSource source) {
        return new Tokens() {
            @Override
            public AccessTokenSource forMailbox(Mailbox mailbox) {
                return source;
            }

            @Override
            public boolean perMailbox() {
                return false;
            }
        };
    }
}
