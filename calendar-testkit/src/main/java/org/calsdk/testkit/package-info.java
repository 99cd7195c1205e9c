/**
 * Fakes of calendar services for tests: the fake-server framework ({@link org.calsdk.testkit.FakeServer}
 * with routes over a state object, {@link org.calsdk.testkit.FaultRule scriptable faults} and
 * {@link org.calsdk.testkit.RequestAccounting request accounting}), {@link org.calsdk.testkit.SeedData seed
 * data}, and the JUnit 5 extension {@link org.calsdk.testkit.CalendarFakeExtension}. See
 * {@code docs/TESTKIT.md}.
 *
 * @since 0.1
 */
package org.calsdk.testkit;
