/**
 * The service-provider interface every calendar provider implements, and the entry points callers use:
 * {@link org.calsdk.spi.CalendarProviders} → {@link org.calsdk.spi.CalendarConnection} → facets
 * ({@link org.calsdk.spi.FreeBusyQuery}, {@link org.calsdk.spi.EventReader},
 * {@link org.calsdk.spi.EventWriter}, {@link org.calsdk.spi.ChangeFeed},
 * {@link org.calsdk.spi.ServiceAccountImpersonator}, {@link org.calsdk.spi.DirectoryReader},
 * {@link org.calsdk.spi.PushChannels}).
 */
package org.calsdk.spi;
