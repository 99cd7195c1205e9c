package org.calsdk.ews.internal;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;

/**
 * EWS answers a request-level error (a SOAP fault: {@code ErrorImpersonateUserDenied},
 * {@code ErrorServerBusy}, {@code ErrorSchemaValidation}, ...) with HTTP 500 and an XML body. Such an
 * answer is the service speaking, not a broken server, so it is handed to the EWS client as a readable
 * answer (status 200, marked with {@link EwsClient#FAULT_HEADER}) instead of being retried blindly and
 * thrown away by the transport as a 5xx. A 500 without an XML body, and every other status, pass
 * unchanged to the transport's own retry and error handling.
 *
 * <p>Local until the core transport can classify responses by body (issue 11 item 8); then the EWS
 * client classifies {@code ErrorServerBusy} there and this interceptor goes away.
 */
public final class SoapFaultInterceptor implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
        Response r = chain.proceed(chain.request());
        if (r.code() != 500 || r.body() == null) {
            return r;
        }
        MediaType type = r.body().contentType();
        if (type == null || !type.subtype().toLowerCase(java.util.Locale.ROOT).contains("xml")) {
            return r;
        }
        return r.newBuilder().code(200).message("SOAP fault").header(EwsClient.FAULT_HEADER, "500").build();
    }
}
