/** Implementation of the CalDAV fake's standalone mode. Not public API. */
package org.calsdk.testkit.caldav.internal;
