/**
 * The availability engine's public API: "when can these people meet?". Build an
 * {@link org.calsdk.availability.AvailabilityRequest} of {@link org.calsdk.availability.Participant}s
 * (time zone, working hours, overrides, busy time, limits), optional
 * {@link org.calsdk.availability.ParticipantGroup}s, {@link org.calsdk.availability.Buffer} and
 * {@link org.calsdk.availability.RoundRobin}, and run it with
 * {@link org.calsdk.availability.Availability#find}. Exact across time zones and daylight saving;
 * O(n log n) in the number of busy intervals; optionally explains every rejected slot.
 */
package org.calsdk.availability;
