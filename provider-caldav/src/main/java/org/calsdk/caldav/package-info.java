/**
 * The CalDAV provider: {@link org.calsdk.caldav.CalDavProvider}. Everything else lives in
 * {@code org.calsdk.caldav.internal} and is not API.
 */
package org.calsdk.caldav;
