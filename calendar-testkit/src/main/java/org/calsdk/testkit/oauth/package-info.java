/**
 * A fake OAuth 2 authorization server ({@link org.calsdk.testkit.oauth.FakeOAuthServer}) whose tokens the
 * other fakes can validate, and service-account keys that sign JWT bearer assertions
 * ({@link org.calsdk.testkit.oauth.ServiceAccountKey}).
 */
package org.calsdk.testkit.oauth;
