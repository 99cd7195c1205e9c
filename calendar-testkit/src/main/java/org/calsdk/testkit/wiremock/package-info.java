/**
 * Mounting the testkit's fakes in a WireMock server ({@link org.calsdk.testkit.wiremock.FakeServerTransformer}).
 * Needs {@code org.wiremock:wiremock-standalone} (3.x) on the class path: an optional dependency of the
 * testkit.
 */
package org.calsdk.testkit.wiremock;
