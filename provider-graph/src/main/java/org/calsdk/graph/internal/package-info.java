/** Implementation of the Graph provider. Not public API: may change in any release. */
package org.calsdk.graph.internal;
