package org.calsdk.model;

/** Whether an event (or one occurrence) takes place (RFC 5545 STATUS). @since 0.1 */
public enum EventStatus { CONFIRMED, TENTATIVE, CANCELLED }
