/**
 * Two-way sync between a host application and its users' calendars, for every provider behind the SPI.
 *
 * <p>Entry point: {@link org.calsdk.sync.SyncEngine}. State lives in a {@link org.calsdk.sync.SyncStateStore}
 * ({@link org.calsdk.sync.JdbcSyncStateStore} on an H2 file or PostgreSQL, or
 * {@link org.calsdk.sync.InMemorySyncStateStore}); the host records its own event changes as
 * {@link org.calsdk.sync.OutboxEntry outbox entries} and hears about calendar changes through a
 * {@link org.calsdk.sync.SyncListener}; which side owns which field of the app's events is a
 * {@link org.calsdk.sync.FieldPolicy}. The engine reaches providers only through
 * {@link org.calsdk.sync.SyncConnections}, so a new provider needs no engine change.
 *
 * <pre>{@code
 * try (JdbcSyncStateStore store = JdbcSyncStateStore.h2(dataDir);
 *      SyncEngine engine = SyncEngine.builder().store(store).connections(connections).listener(listener).build()) {
 *     engine.saveIntegration(Integration.active("team", "caldav"));
 *     engine.addMailbox("team", Mailbox.of("alice@example.com"));
 *     engine.start();
 * }
 * }</pre>
 *
 * @since 0.1
 */
package org.calsdk.sync;
