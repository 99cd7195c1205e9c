package org.calsdk.ews.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.PermissionDeniedException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.http.Authorizer;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpErrors;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.model.Mailbox;

/**
 * Sends SOAP requests to one EWS endpoint over the SDK's {@link HttpTransport} and reads the answers:
 * SOAP faults and error response messages become typed exceptions. The transport reads each answer with
 * {@link EwsResponseClassifier}: {@code ErrorServerBusy} is waited out for its {@code BackOffMilliseconds}
 * (else with the retry policy's exponential backoff) and the call sent again, within the policy's
 * attempts and longest pause; other SOAP faults on HTTP 500 are answers, never retried. Credentials are sent with the first
 * request (Basic or Bearer): no round trip for an authentication challenge.
 *
 * <p>When acting as a mailbox (impersonation) every request carries the {@code ExchangeImpersonation}
 * header and {@code X-AnchorMailbox} naming the same mailbox, so that Exchange routes the call to the
 * server holding that mailbox.
 */
public final class EwsClient {
    public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String TYPES_NS = "http://schemas.microsoft.com/exchange/services/2006/types";
    public static final String MESSAGES_NS = "http://schemas.microsoft.com/exchange/services/2006/messages";
    private static final MediaType XML = MediaType.get("text/xml; charset=utf-8");
    private static final String SERVER_VERSION = "Exchange2013_SP1";

    private final HttpTransport transport;
    private final HttpUrl url;
    private final Authorizer authorizer;
    private final EwsResponseClassifier classifier;
    private final Duration timeout;
    private final int maxXmlBytes;
    private final String provider;
    private final String account;

    public EwsClient(
            HttpTransport transport,
            HttpUrl url,
            Authorizer authorizer,
            Duration timeout,
            int maxXmlBytes,
            String provider,
            String account) {
        this.account = account == null ? "" : account;
        this.transport = transport;
        this.url = url;
        this.authorizer = authorizer;
        this.classifier = new EwsResponseClassifier(maxXmlBytes);
        this.timeout = timeout;
        this.maxXmlBytes = maxXmlBytes;
        this.provider = provider;
    }

    public HttpTransport transport() {
        return transport;
    }

    /** The name the service account signs in with (for a name lookup), or "" for a token. */
    public String account() {
        return account;
    }

    public ErrorContext context(Mailbox mailbox) {
        ErrorContext c = ErrorContext.of(provider);
        return mailbox == null ? c : c.withMailbox(mailbox);
    }

    /**
     * Sends {@code body} (one operation element) and returns the operation's response element.
     *
     * @param operation  the SOAP operation, for accounting and messages
     * @param actAs      the mailbox to impersonate, or null to act as the service account itself
     * @param anchor     the mailbox for {@code X-AnchorMailbox} (usually {@code actAs}), or null
     * @param idempotent whether the call may be resent after an I/O failure (reads)
     */
    public Xml.Node call(String operation, Mailbox actAs, Mailbox anchor, String body, boolean idempotent) {
        String envelope = envelope(actAs, body);
        ErrorContext ctx = context(actAs != null ? actAs : anchor);
        Request.Builder rb = new Request.Builder()
                .url(url)
                .post(RequestBody.create(envelope, XML))
                .header("Accept", "text/xml");
        if (anchor != null) {
            rb.header("X-AnchorMailbox", anchor.email());
        }
        HttpCall call = HttpCall.builder(rb.build())
                .operation(operation)
                .mailbox(anchor)
                .authorizer(authorizer)
                .idempotent(idempotent)
                .timeout(timeout)
                .classifier(classifier)
                .build();
        // throttling and unavailable mailbox stores were waited out and retried by the transport (the classifier);
        // a 500 that comes back is a SOAP fault the classifier called a definite answer
        HttpResponse r = transport.execute(call);
        if (r.status() != 200 && r.status() != 500) {
            throw HttpErrors.toException(r, ctx, "EWS " + operation);
        }
        Xml.Node root = Xml.parse(r.body(), maxXmlBytes, ctx);
        if (!"Envelope".equals(root.name()) || !SOAP_NS.equals(root.ns())) {
            throw new org.calsdk.errors.MalformedDataException(
                    "EWS " + operation + " answered with XML that is not a SOAP " + "envelope (<" + root.name() + ">)",
                    ctx,
                    null);
        }
        Xml.Node soapBody = root.child("Body")
                .orElseThrow(() -> new org.calsdk.errors.MalformedDataException(
                        "EWS " + operation + " answered with a SOAP envelope without a body", ctx, null));
        Optional<Xml.Node> f = soapBody.child("Fault");
        if (f.isPresent()) {
            String code = EwsResponseClassifier.faultCode(f.get());
            String message = f.get()
                    .find("Message")
                    .map(Xml.Node::text)
                    .orElseGet(() -> f.get().text("faultstring").orElse(""));
            throw error(code, message, operation, ctx);
        }
        if (soapBody.children().isEmpty()) {
            throw new org.calsdk.errors.MalformedDataException(
                    "EWS " + operation + " answered with an empty SOAP body", ctx, null);
        }
        return soapBody.children().get(0);
    }

    /** The response messages of an operation's response element. */
    public static List<Xml.Node> messages(Xml.Node response) {
        return response.child("ResponseMessages").map(Xml.Node::children).orElse(List.of());
    }

    /** The code of a response message ({@code NoError} when it succeeded). */
    public static String code(Xml.Node message) {
        return message.text("ResponseCode").orElse("NoError");
    }

    public static boolean isError(Xml.Node message) {
        return "Error".equals(message.attrs().get("ResponseClass"));
    }

    /** Throws the typed exception for an error response message; returns it otherwise. */
    public Xml.Node check(Xml.Node message, String operation, Mailbox mailbox) {
        if (isError(message)) {
            throw error(code(message), message.text("MessageText").orElse(""), operation, context(mailbox));
        }
        return message;
    }

    /** The typed exception for an EWS error code. */
    public static CalendarException error(String code, String message, String operation, ErrorContext ctx) {
        String what = "EWS " + operation + " failed: " + code
                + (message == null || message.isBlank() ? "" : " (" + message + ")");
        Mailbox m = ctx.mailbox();
        String who = m == null ? "the mailbox" : m.email();
        return switch (code) {
            case "ErrorImpersonateUserDenied" ->
                new PermissionDeniedException(
                        what + ": the service account may not act as "
                                + who
                                + ". Grant it the ApplicationImpersonation role with a management scope that includes this mailbox "
                                + "(New-ManagementRoleAssignment -Role ApplicationImpersonation -User <service account> "
                                + "-CustomRecipientWriteScope <scope>)",
                        ctx);
            case "ErrorNonExistentMailbox", "ErrorMailRecipientNotFound" ->
                new NotFoundException(
                        what + ": Exchange has no mailbox " + who
                                + " (check the address, or that the mailbox is inside the ApplicationImpersonation management scope)",
                        ctx);
            case "ErrorAccessDenied", "ErrorNoFreeBusyAccess", "ErrorProxyRequestNotAllowed", "ErrorDelegateNoUser" ->
                new PermissionDeniedException(what + ": the service account may not read " + who, ctx);
            case "ErrorItemNotFound", "ErrorFolderNotFound", "ErrorCalendarOccurrenceIsDeletedFromRecurrence" ->
                new NotFoundException(what, ctx);
            case "ErrorIrresolvableConflict", "ErrorChangeKeyRequiredForWriteOperations" ->
                new ConflictException(what + ": the item changed since it was read", ctx);
            case "ErrorServerBusy" -> new RateLimitedException(what, ctx, null);
            case "ErrorInternalServerError",
                    "ErrorInternalServerTransientError",
                    "ErrorMailboxStoreUnavailable",
                    "ErrorTimeoutExpired",
                    "ErrorConnectionFailed",
                    "ErrorMailboxMoveInProgress",
                    "ErrorADUnavailable" -> new ProviderUnavailableException(what, ctx);
            default ->
                code.startsWith("ErrorInvalid")
                                || code.equals("ErrorSchemaValidation")
                                || code.startsWith("ErrorCalendar")
                                || code.equals("ErrorTimeIntervalTooBig")
                        ? new InvalidInputException("request", what, ctx, null)
                        : new CalendarException(what, ctx, false, null);
        };
    }

    private static String envelope(Mailbox actAs, String body) {
        StringBuilder x = new StringBuilder(body.length() + 600);
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"")
                .append(SOAP_NS)
                .append("\" xmlns:t=\"")
                .append(TYPES_NS)
                .append("\" xmlns:m=\"")
                .append(MESSAGES_NS)
                .append("\"><soap:Header>")
                .append("<t:RequestServerVersion Version=\"")
                .append(SERVER_VERSION)
                .append("\"/>");
        if (actAs != null) {
            x.append("<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>")
                    .append(Xml.esc(actAs.email()))
                    .append("</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>");
        }
        x.append("</soap:Header><soap:Body>").append(body).append("</soap:Body></soap:Envelope>");
        return x.toString();
    }

    /** EWS's name for a distinguished folder of {@code mailbox} (null: the caller's own). */
    public static String calendarFolder(Mailbox mailbox) {
        return "<t:DistinguishedFolderId Id=\"calendar\">"
                + (mailbox == null
                        ? ""
                        : "<t:Mailbox><t:EmailAddress>" + Xml.esc(mailbox.email()) + "</t:EmailAddress></t:Mailbox>")
                + "</t:DistinguishedFolderId>";
    }
}
