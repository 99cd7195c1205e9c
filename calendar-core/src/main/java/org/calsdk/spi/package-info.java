/**
 * The service-provider interface: what a provider module implements to plug into
 * {@link org.calsdk.api.CalendarProviders}. A provider registers a {@link org.calsdk.spi.CalendarProvider}
 * (explicitly or through {@link java.util.ServiceLoader}) whose connections implement the facets of
 * {@link org.calsdk.api}; it talks HTTP through {@link org.calsdk.http.HttpTransport}.
 * {@link org.calsdk.spi.ProviderBuilder} holds the HTTP settings every provider's builder shares; applications
 * meet it only through those builders' setters, and otherwise do not need this package.
 */
package org.calsdk.spi;
