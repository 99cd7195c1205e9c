/**
 * The Google Calendar provider ({@link org.calsdk.google.GoogleProvider}, id {@code google}): a user's own
 * calendar with an OAuth access token, or a whole Google Workspace domain through a service account with
 * domain-wide delegation.
 */
package org.calsdk.google;
