/**
 * The immutable values of the calendar model: mailboxes, calendars, events and series, busy time.
 * Everything here is provider-neutral; providers map their wire formats to and from these types.
 */
package org.calsdk.model;
