package org.calsdk.model;

import java.util.Locale;
import java.util.regex.Pattern;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/**
 * A mailbox: a person's or a room's calendar account, named by its email address. Equality ignores
 * case, as mail systems do ({@code Alice@Example.com} and {@code alice@example.com} are one mailbox);
 * {@link #email()} keeps the spelling it was given.
 *
 * <pre>{@code
 * Mailbox alice = Mailbox.of("alice@example.com");
 * }</pre>
 *
 * @param email the address, {@code local@domain}
 * @since 0.1
 */
public record Mailbox(String email) implements Comparable<Mailbox> {
    // Deliberately permissive (providers accept more than RFC 5322's common subset) but rejects the
    // mistakes that matter: spaces, missing or doubled @, empty local part or domain.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+|[^@\\s]+@localhost");

    /**
     * Checks the address and strips surrounding spaces.
     *
     * @param email the address, {@code local@domain}
     * @throws org.calsdk.errors.InvalidInputException if it is not an email address
     */
    public Mailbox {
        Checks.notBlank(email, "email");
        email = email.strip();
        if (!EMAIL.matcher(email).matches()) {
            throw new InvalidInputException("email", "email is not a valid address: '" + email + "'");
        }
    }

    /**
     * A mailbox.
     *
     * @param email its address, for example {@code alice@example.com}
     * @return the mailbox
     * @throws org.calsdk.errors.InvalidInputException if it is not an email address
     */
    public static Mailbox of(String email) {
        return new Mailbox(email);
    }

    /**
     * The address in lower case: the form used for keys and comparisons.
     *
     * @return the lower-case address
     */
    public String normalized() {
        return email.toLowerCase(Locale.ROOT);
    }

    /**
     * The part after the {@code @}, lower case.
     *
     * @return the domain
     */
    public String domain() {
        return normalized().substring(normalized().indexOf('@') + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mailbox other && normalized().equals(other.normalized());
    }

    @Override
    public int hashCode() {
        return normalized().hashCode();
    }

    @Override
    public int compareTo(Mailbox o) {
        return normalized().compareTo(o.normalized());
    }

    @Override
    public String toString() {
        return email;
    }
}
