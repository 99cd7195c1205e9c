package org.calsdk.sync.internal;

/** This engine no longer holds a mailbox's lease (it expired and another engine took it): stop at once. */
final class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLostException(String message) {
        super(message, null, false, false);
    }
}
