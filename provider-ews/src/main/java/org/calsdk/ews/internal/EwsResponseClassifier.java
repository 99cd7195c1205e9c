package org.calsdk.ews.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.ResponseClass;
import org.calsdk.http.ResponseClassifier;

/**
 * Tells the core transport what an EWS answer means, since EWS says it in the body, not the status:
 * <ul>
 *   <li>{@code ErrorServerBusy} (a SOAP fault on HTTP 500, or a response message inside a 200 answer) is
 *   throttling: {@link ResponseClass#rateLimited} with its {@code BackOffMilliseconds}, so the transport
 *   waits that long (else its exponential backoff) and sends the call again, within the retry policy's
 *   attempts and longest pause, and fails with {@link org.calsdk.errors.RateLimitedException} after.</li>
 *   <li>A fault saying the mailbox store or directory cannot be reached right now (the request was not
 *   processed) is {@link ResponseClass#unavailable}: retried like a 503.</li>
 *   <li>Every other SOAP fault on HTTP 500 is a definite answer ({@code ErrorImpersonateUserDenied},
 *   {@code ErrorNonExistentMailbox}, {@code ErrorSchemaValidation}, ...): {@link ResponseClass#answer()},
 *   never retried, and read by {@link EwsClient} into a typed error.</li>
 *   <li>Anything else (a 500 HTML error page, a 503 from a load balancer) is judged by its status.</li>
 * </ul>
 * Only answers that name one of these codes are parsed (with the hardened {@link Xml} reader); a body that
 * does not parse is judged by its status.
 */
public final class EwsResponseClassifier implements ResponseClassifier {
    /** Codes meaning the server did not process the request and may later. */
    static final Set<String> UNAVAILABLE = Set.of(
            "ErrorMailboxStoreUnavailable",
            "ErrorMailboxMoveInProgress",
            "ErrorADUnavailable",
            "ErrorConnectionFailed");

    private static final byte[] BUSY = "ErrorServerBusy".getBytes(StandardCharsets.US_ASCII);

    private final int maxXmlBytes;

    public EwsResponseClassifier(int maxXmlBytes) {
        this.maxXmlBytes = maxXmlBytes;
    }

    @Override
    public ResponseClass classify(HttpResponse r) {
        int status = r.status();
        if (status != 200 && status != 500) {
            return ResponseClass.byStatus();
        }
        if (!isXml(r)) {
            return ResponseClass.byStatus();
        }
        if (status == 200 && indexOf(r.body(), BUSY) < 0) {
            return ResponseClass.byStatus(); // the common case: a good answer, not parsed here
        }
        Xml.Node body;
        try {
            Xml.Node root = Xml.parse(r.body(), maxXmlBytes, ErrorContext.NONE);
            body = root.child("Body").orElse(null);
        } catch (MalformedDataException e) {
            return ResponseClass.byStatus();
        }
        if (body == null) {
            return ResponseClass.byStatus();
        }
        Optional<Xml.Node> fault = body.child("Fault");
        if (fault.isPresent()) {
            String code = faultCode(fault.get());
            if ("ErrorServerBusy".equals(code)) {
                return ResponseClass.rateLimited(backOff(fault.get()), code);
            }
            if (UNAVAILABLE.contains(code)) {
                return ResponseClass.unavailable(null, code);
            }
            return ResponseClass.answer();
        }
        if (!body.children().isEmpty()) {
            for (Xml.Node m : EwsClient.messages(body.children().get(0))) {
                if ("ErrorServerBusy".equals(m.text("ResponseCode").orElse(""))) {
                    return ResponseClass.rateLimited(backOff(m), "ErrorServerBusy");
                }
            }
        }
        return status == 500 ? ResponseClass.answer() : ResponseClass.byStatus();
    }

    /** The EWS code of a SOAP fault: its {@code ResponseCode} detail, else the fault code without prefix. */
    static String faultCode(Xml.Node fault) {
        return fault.find("ResponseCode")
                .map(Xml.Node::text)
                .map(String::trim)
                .orElseGet(() -> fault.text("faultcode")
                        .map(s -> s.substring(s.indexOf(':') + 1).trim())
                        .orElse("SoapFault"));
    }

    /** The {@code BackOffMilliseconds} value of a fault or response message, or null. */
    static Duration backOff(Xml.Node n) {
        Optional<Xml.Node> mx = n.find("MessageXml");
        if (mx.isEmpty()) {
            return null;
        }
        for (Xml.Node v : mx.get().children()) {
            if ("Value".equals(v.name())
                    && "BackOffMilliseconds".equals(v.attrs().get("Name"))) {
                try {
                    long ms = Long.parseLong(v.text().trim());
                    return ms < 0 ? null : Duration.ofMillis(ms);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean isXml(HttpResponse r) {
        String type = r.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).contains("xml");
    }

    /** For each byte, how far the search may move when the window's last byte is that byte (Horspool). */
    private static final int[] BUSY_SKIP = skipTable(BUSY);

    private static int[] skipTable(byte[] needle) {
        int[] skip = new int[256];
        java.util.Arrays.fill(skip, needle.length);
        for (int j = 0; j < needle.length - 1; j++) {
            skip[needle[j] & 0xff] = needle.length - 1 - j;
        }
        return skip;
    }

    /**
     * Where {@link #BUSY} first occurs in {@code hay}, or -1: Boyer-Moore-Horspool, which looks at about one
     * byte in fifteen of a good answer (every answer passes through here, a free/busy answer for a hundred
     * mailboxes is a hundred kilobytes, and a command-line run reads them before the JIT compiler helps).
     */
    static int indexOf(byte[] hay, byte[] needle) {
        int[] skip = needle == BUSY ? BUSY_SKIP : skipTable(needle);
        int last = needle.length - 1;
        int i = 0;
        while (i + last < hay.length) {
            int j = last;
            while (hay[i + j] == needle[j]) {
                if (j == 0) {
                    return i;
                }
                j--;
            }
            i += skip[hay[i + last] & 0xff];
        }
        return -1;
    }
}
