/**
 * The provider TCK: {@link org.calsdk.testkit.tck.ProviderTck} and its optional
 * {@link org.calsdk.testkit.tck.TckFixture}. Rules are listed in {@code docs/TCK.md}.
 *
 * @since 0.1
 */
package org.calsdk.testkit.tck;
