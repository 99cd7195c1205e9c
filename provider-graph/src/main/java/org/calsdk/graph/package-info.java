/**
 * The Microsoft Graph provider: {@link org.calsdk.graph.GraphProvider} (id {@code graph}), registered for
 * {@link java.util.ServiceLoader}. Everything else lives in {@code org.calsdk.graph.internal}.
 */
package org.calsdk.graph;
