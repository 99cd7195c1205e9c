/** Implementation of the in-memory reference provider. Not public API: may change without notice. */
package org.calsdk.testkit.memory.internal;
