package org.calsdk.bench.comparators;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.availability.AvailabilityData;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.service.ServiceResult;
import microsoft.exchange.webservices.data.core.response.AttendeeAvailability;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.availability.AttendeeInfo;
import microsoft.exchange.webservices.data.misc.availability.GetUserAvailabilityResults;
import microsoft.exchange.webservices.data.misc.availability.TimeWindow;

/**
 * Microsoft's EWS Java API ({@code ews-java-api}). Careful: GetUserAvailability for chunks of 100 mailboxes
 * (Exchange's limit), one after another. Naive: one GetUserAvailability per mailbox, one after another.
 */
public final class EwsComparator implements FreeBusyComparator, AutoCloseable {
    static final int PER_CALL = 100;
    private final ExchangeService service;

    /** @param url the EWS endpoint; @param user and @param password the service account's */
    public EwsComparator(String url, String user, String password) throws Exception {
        this.service = new ExchangeService(ExchangeVersion.Exchange2010_SP2);
        this.service.setCredentials(new WebCredentials(user, password));
        this.service.setUrl(new URI(url));
    }

    @Override
    public Result freeBusy(Style style, List<String> mailboxes, Instant from, Instant to) throws Exception {
        long busy = 0;
        int answered = 0;
        int requests = 0;
        for (List<String> chunk : FreeBusyComparator.chunks(mailboxes, style == Style.NAIVE ? 1 : PER_CALL)) {
            List<AttendeeInfo> who = new ArrayList<>();
            chunk.forEach(m -> who.add(new AttendeeInfo(m)));
            GetUserAvailabilityResults r = service.getUserAvailability(
                    who, new TimeWindow(Date.from(from), Date.from(to)), AvailabilityData.FreeBusy);
            requests++;
            if (r.getAttendeesAvailability().getCount() != chunk.size()) {
                throw new IllegalStateException("GetUserAvailability answered "
                        + r.getAttendeesAvailability().getCount() + " of " + chunk.size() + " mailboxes");
            }
            for (int i = 0; i < chunk.size(); i++) {
                AttendeeAvailability a = r.getAttendeesAvailability().getResponseAtIndex(i);
                if (a.getResult() != ServiceResult.Success) {
                    throw new IllegalStateException(
                            "GetUserAvailability failed for " + chunk.get(i) + ": " + a.getErrorCode());
                }
                busy += a.getCalendarEvents().size();
                answered++;
            }
        }
        return new Result(answered, busy, requests);
    }

    @Override
    public void close() {
        service.close();
    }
}
