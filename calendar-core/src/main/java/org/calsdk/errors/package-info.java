/**
 * The exceptions of the SDK: one unchecked root, {@link org.calsdk.errors.CalendarException}, and a
 * subclass for each thing a caller can act on differently.
 */
package org.calsdk.errors;
