package org.calsdk.testkit;

import java.util.List;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.calsdk.internal.Checks;
import org.calsdk.testkit.internal.GoogleBatchFormat;
import org.calsdk.testkit.internal.GraphBatchFormat;

/**
 * A batch endpoint of an API: one HTTP request carrying many calls. A {@link FakeServer} given a format
 * ({@link FakeServer.Builder#batch}) takes such requests apart and dispatches every call to the same routes
 * as a single call (faults and accounting per call), then puts the answers together in the API's form.
 * The batch request itself is one HTTP round trip, faultable as operation {@link #operation()}.
 *
 * @since 0.1
 */
public interface BatchFormat {

    /**
     * The HTTP method of batch requests (POST).
     *
     * @return the method, upper case
     */
    String method();

    /**
     * The batch endpoint's path, such as {@code /batch/calendar/v3}.
     *
     * @return the absolute path the server serves batches on
     */
    String path();

    /**
     * The operation name of the batch request itself, for fault rules and accounting ({@code batch}).
     *
     * @return the operation name
     */
    String operation();

    /**
     * The most calls one batch may hold; more get a 400.
     *
     * @return the limit, positive
     */
    int maxRequests();

    /**
     * The calls in a batch request.
     *
     * @param batch the batch request as received
     * @return the calls in body order, each with the id the answer must carry
     * @throws org.calsdk.errors.InvalidInputException when the batch is malformed or too large (a 400 answer)
     */
    List<SubRequest> decode(FakeRequest batch);

    /**
     * The batch answer, in the order of the calls.
     *
     * @param batch the batch request (its headers decide the answer's boundary or format)
     * @param answers one answer per call, in the order {@link #decode} returned them
     * @return the batch answer
     */
    FakeResponse encode(FakeRequest batch, List<SubResponse> answers);

    /**
     * Google's HTTP batch: {@code POST /batch/calendar/v3} with a {@code multipart/mixed} body whose parts are
     * {@code application/http} requests with a {@code Content-ID}; answered with parts whose Content-ID is
     * {@code response-<id>}; at most 1000 calls.
     *
     * @return the format at {@code /batch/calendar/v3}, at most 1,000 calls
     */
    static BatchFormat googleMultipart() {
        return googleMultipart("/batch/calendar/v3");
    }

    /**
     * Google's HTTP batch at another path (such as {@code /batch/admin/directory_v1}).
     *
     * @param path the batch endpoint's absolute path
     * @return the format at {@code path}
     */
    static BatchFormat googleMultipart(String path) {
        return new GoogleBatchFormat(Checks.notBlank(path, "path"), 1000);
    }

    /**
     * Microsoft Graph's JSON batch: {@code POST /v1.0/$batch} with {@code {"requests":[{"id","method","url",
     * "headers","body"}]}} (URLs relative to {@code /v1.0}), answered with {@code {"responses":[{"id","status",
     * "headers","body"}]}}; at most 20 calls.
     *
     * @return the format at {@code /v1.0/$batch}, at most 20 calls
     */
    static BatchFormat graphJson() {
        return graphJson("/v1.0/$batch");
    }

    /**
     * Graph's JSON batch at another path ({@code /beta/$batch}); call URLs are relative to its parent.
     *
     * @param path the batch endpoint's absolute path
     * @return the format at {@code path}
     */
    static BatchFormat graphJson(String path) {
        return new GraphBatchFormat(Checks.notBlank(path, "path"), 20);
    }

    /**
     * One call inside a batch.
     *
     * @param id      its id in the batch (Content-ID or {@code id})
     * @param method  HTTP method
     * @param url     its URL on this server
     * @param headers its headers (the batch request's own {@code Authorization} applies when it has none)
     * @param body    its body, possibly empty
     */
    record SubRequest(String id, String method, HttpUrl url, Headers headers, byte[] body) {
        /**
         * Checks the call and copies its body (null: empty).
         *
         * @param id its id in the batch (Content-ID or {@code id})
         * @param method HTTP method
         * @param url its URL on this server
         * @param headers its headers (the batch request's own {@code Authorization} applies when it has none)
         * @param body its body, possibly empty
         * @throws NullPointerException if {@code id}, {@code method}, {@code url} or {@code headers} is null
         * @throws org.calsdk.errors.InvalidInputException if {@code method} is blank
         */
        public SubRequest {
            Checks.notNull(id, "id");
            Checks.notBlank(method, "method");
            Checks.notNull(url, "url");
            Checks.notNull(headers, "headers");
            body = body == null ? new byte[0] : body.clone();
        }

        /**
         * The call's body.
         *
         * @return a copy of the bytes, empty when it had none
         */
        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public String toString() {
            return "SubRequest[" + id + " " + method + " " + url.encodedPath() + "]";
        }
    }

    /**
     * The answer to one call of a batch.
     *
     * @param id     the call's id
     * @param answer its answer
     */
    record SubResponse(String id, FakeResponse answer) {
        /**
         * Checks that neither component is null.
         *
         * @param id the call's id
         * @param answer its answer
         * @throws NullPointerException if {@code id} or {@code answer} is null
         */
        public SubResponse {
            Checks.notNull(id, "id");
            Checks.notNull(answer, "answer");
        }
    }
}
