/** Implementation of the fake-server framework. Not public API: may change without notice. */
package org.calsdk.testkit.internal;
