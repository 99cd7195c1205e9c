/**
 * The application API: what a host imports to connect calendars and use them.
 * {@link org.calsdk.api.CalendarProviders} → {@link org.calsdk.api.CalendarConnection} → facets
 * ({@link org.calsdk.api.FreeBusyQuery}, {@link org.calsdk.api.EventReader},
 * {@link org.calsdk.api.EventWriter}, {@link org.calsdk.api.ChangeFeed},
 * {@link org.calsdk.api.ServiceAccountImpersonator}, {@link org.calsdk.api.DirectoryReader},
 * {@link org.calsdk.api.PushChannels}) with their requests and results.
 *
 * <p>Provider modules implement the facets; the provider entry point itself is in
 * {@link org.calsdk.spi}.
 */
package org.calsdk.api;
