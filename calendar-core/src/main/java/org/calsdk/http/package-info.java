/**
 * The HTTP transport shared by providers that speak HTTP themselves: {@link org.calsdk.http.HttpTransport}
 * (OkHttp with retries, concurrency limits, authorization, accounting and redaction),
 * {@link org.calsdk.http.HttpCall}, {@link org.calsdk.http.HttpResponse}, {@link org.calsdk.http.RetryPolicy},
 * {@link org.calsdk.http.Authorizer} and {@link org.calsdk.http.HttpErrors}.
 */
package org.calsdk.http;
