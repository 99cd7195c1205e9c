/**
 * The HTTP transport shared by providers that speak HTTP themselves: {@link org.calsdk.http.HttpTransport}
 * (OkHttp with retries, concurrency limits, authorization, accounting and redaction),
 * {@link org.calsdk.http.HttpCall}, {@link org.calsdk.http.HttpResponse}, {@link org.calsdk.http.RetryPolicy},
 * {@link org.calsdk.http.Authorizer} and {@link org.calsdk.http.HttpErrors}. A provider whose statuses do not
 * say everything (a Google 403 that is a rate limit, an EWS 500 that is a throttling fault or a plain answer)
 * classifies responses from their bodies with a {@link org.calsdk.http.ResponseClassifier}; a vendor SDK with
 * its own OkHttp client runs on the transport through a {@link org.calsdk.http.TransportInterceptor}, whose
 * Javadoc also says where no adapter is possible.
 */
package org.calsdk.http;
