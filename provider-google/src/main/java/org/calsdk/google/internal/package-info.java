/** The Google provider's implementation: not API, may change at any time. */
package org.calsdk.google.internal;
