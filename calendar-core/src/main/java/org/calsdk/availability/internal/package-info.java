/**
 * The availability engine's implementation: sort/merge of intervals as primitive arrays, exact
 * wall-clock-to-instant mapping across offset changes, per-participant free lists and the candidate
 * sweep. Not public API: use {@link org.calsdk.availability.Availability}.
 */
package org.calsdk.availability.internal;
