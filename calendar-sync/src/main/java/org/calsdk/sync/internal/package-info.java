/**
 * The sync engine's implementation: mailbox passes, field merges, push supervision, schema migrations and
 * the event codec of the JDBC store. Not public API: may change in any release.
 */
package org.calsdk.sync.internal;
