/**
 * The in-memory reference provider ({@code "memory"}): {@link org.calsdk.testkit.memory.InMemoryCalendarService}.
 *
 * @since 0.1
 */
package org.calsdk.testkit.memory;
