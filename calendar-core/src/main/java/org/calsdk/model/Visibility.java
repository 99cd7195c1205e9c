package org.calsdk.model;

/** Who may see an event's details (RFC 5545 CLASS, Google/Graph visibility/sensitivity). @since 0.1 */
public enum Visibility { DEFAULT, PUBLIC, PRIVATE, CONFIDENTIAL }
