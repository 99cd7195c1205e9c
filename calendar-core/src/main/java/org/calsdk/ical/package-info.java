/**
 * iCalendar (RFC 5545) and recurrence: {@link org.calsdk.ical.ICalendar} parses and writes VCALENDAR
 * text to and from the core {@link org.calsdk.model.Event} model; {@link org.calsdk.ical.Recurrences}
 * expands series into {@link org.calsdk.ical.Occurrence}s (overrides, EXDATEs and cancellations merged)
 * and computes busy time.
 *
 * @since 0.1
 */
package org.calsdk.ical;
