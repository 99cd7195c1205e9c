package org.calsdk.sync;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionScope;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.internal.OwningConnection;

/**
 * How the engine obtains a {@link CalendarConnection} acting for one mailbox of an integration: the only
 * door between the engine and the providers, so that a new provider needs no engine change.
 *
 * <p><b>Batches.</b> The engine works on several mailboxes of an integration at a time (the due mailboxes
 * of one pass, the mailboxes one webhook names, the mailboxes of an integration being removed). For each
 * such batch it {@linkplain #open opens} the integration once, asks the batch for each mailbox's connection,
 * closes each mailbox's connection when that mailbox is done, and closes the batch at the end.
 *
 * <ul>
 *   <li><b>One grant per mailbox</b> (a user's OAuth grant, a CalDAV password): {@link #of} connects each
 *   mailbox on its own; the batch shares nothing.</li>
 *   <li><b>A service account for the organization</b> (Google domain-wide delegation, Graph app-only, EWS
 *   impersonation): {@link #impersonating} connects the organization <em>once per batch</em> and makes a
 *   view per mailbox with {@link org.calsdk.api.ServiceAccountImpersonator#actAs}: the views share the
 *   organization connection's HTTP transport and its per-mailbox token cache, and closing one never closes
 *   the organization connection. A pass over 500 mailboxes is one connect and 500 cheap views, not 500
 *   connects (each with its own set-up and token exchange). The batch's organization connection also reads
 *   the webhooks addressed to the whole integration.</li>
 * </ul>
 *
 * <pre>{@code
 * // users who each granted access
 * SyncConnections perUser = SyncConnections.of(CalendarProviders.load(),
 *     (integration, mailbox) -> ConnectionConfig.builder(integration.provider())
 *         .setting("url", caldavUrl).credentials(credentialsFor(mailbox)).build());
 * // one service account per integration (tenant)
 * SyncConnections org = SyncConnections.impersonating(CalendarProviders.load(),
 *     integration -> ConnectionConfig.builder(integration.provider())
 *         .credentials(serviceAccountOf(integration)).build());
 * }</pre>
 *
 * A host that implements this interface itself and shares an organization connection must keep the same
 * rules: the connection a batch hands out for a mailbox may be closed by the engine at any time without
 * harming the others, and the batch's {@link Batch#close()} releases what the batch opened.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SyncConnections {

    /**
     * A connection that reads and writes {@code mailbox}'s calendars for {@code integration}, for one use
     * outside a batch; the engine closes it when done.
     *
     * @param integration the integration's name
     * @param mailbox the mailbox
     * @return a connection to the mailbox, closed by the engine after the pass
     */
    CalendarConnection connect(Integration integration, Mailbox mailbox);

    /**
     * Opens {@code integration} for a batch of its mailboxes. The default shares nothing: each mailbox
     * connects with {@link #connect(Integration, Mailbox)}.
     *
     * @param integration the integration's name
     * @return the integration's connections for one run, closed by the engine at its end
     */
    default Batch open(Integration integration) {
        Checks.notNull(integration, "integration");
        return mailbox -> connect(integration, mailbox);
    }

    /**
     * The connections of one integration for one batch of mailboxes. Thread-safe: the engine syncs several
     * mailboxes of a batch at once.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface Batch extends AutoCloseable {
        /**
         * A connection acting for {@code mailbox}; the engine closes it when that mailbox is done.
         *
         * @param mailbox the mailbox
         * @return a connection to the mailbox, closed by the engine after the pass
         */
        CalendarConnection connect(Mailbox mailbox);

        /**
         * The connection that speaks for the whole integration ({@link ConnectionScope#ORGANIZATION}), when
         * the batch has one: the engine reads integration-wide webhooks with it. Empty by default. Owned by the
         * batch: do not close it.
         *
         * @return the organization connection, empty when the integration's connections are per mailbox
         */
        default Optional<CalendarConnection> organization() {
            return Optional.empty();
        }

        /** Releases what the batch opened (the organization connection). Idempotent. */
        @Override
        default void close() {}
    }

    /**
     * Connections from {@code providers}, configured per integration and mailbox by {@code configs}.
     *
     * @param providers the providers the connections are made with
     * @param configs the connection settings of each integration
     * @return connections made with {@code configs} for each mailbox
     */
    static SyncConnections of(CalendarProviders providers, BiFunction<Integration, Mailbox, ConnectionConfig> configs) {
        Checks.notNull(providers, "providers");
        Checks.notNull(configs, "configs");
        return (integration, mailbox) -> providers.connect(configs.apply(integration, mailbox));
    }

    /**
     * A service account per integration: {@code configs} gives the organization connection's settings (its
     * scope must be {@link ConnectionScope#ORGANIZATION}, with impersonation), which each batch connects
     * once, lazily; each mailbox is a view made with {@code actAs}. A single {@link #connect} outside a batch
     * connects the organization for that one mailbox and closes it with the view.
     *
     * @param providers the providers the connections are made with
     * @param configs the connection settings of each integration
     * @return connections made through one organization connection per integration
     */
    static SyncConnections impersonating(CalendarProviders providers, Function<Integration, ConnectionConfig> configs) {
        Checks.notNull(providers, "providers");
        Checks.notNull(configs, "configs");
        return new SyncConnections() {
            @Override
            public CalendarConnection connect(Integration integration, Mailbox mailbox) {
                Batch batch = open(integration);
                try {
                    return new OwningConnection(batch.connect(mailbox), batch);
                } catch (RuntimeException e) {
                    batch.close();
                    throw e;
                }
            }

            @Override
            public Batch open(Integration integration) {
                Checks.notNull(integration, "integration");
                return new Batch() {
                    private CalendarConnection org;
                    private boolean closed;

                    private synchronized CalendarConnection org() {
                        if (closed) {
                            throw new IllegalStateException("this batch of connections is closed");
                        }
                        if (org == null) {
                            CalendarConnection c = providers.connect(configs.apply(integration));
                            if (c.scope() != ConnectionScope.ORGANIZATION) {
                                c.close();
                                throw new InvalidInputException(
                                        "configs",
                                        "integration " + integration.name()
                                                + " is configured with a " + c.scope()
                                                + " connection; impersonation needs an "
                                                + "ORGANIZATION one (a service account)",
                                        ErrorContext.of(integration.provider()),
                                        null);
                            }
                            org = c;
                        }
                        return org;
                    }

                    @Override
                    public CalendarConnection connect(Mailbox mailbox) {
                        return org().impersonator().actAs(Checks.notNull(mailbox, "mailbox"));
                    }

                    @Override
                    public Optional<CalendarConnection> organization() {
                        return Optional.of(org());
                    }

                    @Override
                    public synchronized void close() {
                        closed = true;
                        if (org != null) {
                            org.close();
                            org = null;
                        }
                    }
                };
            }
        };
    }
}
