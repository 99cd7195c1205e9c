package org.calsdk.auth.internal;

import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;

/** Validates token store names: non-blank, at most 512 characters, no control characters. */
public final class TokenNames {
    public static final int MAX_LENGTH = 512;

    private TokenNames() {}

    public static String check(String name) {
        Checks.notBlank(name, "name");
        if (name.length() > MAX_LENGTH) {
            throw new InvalidInputException("name", "token store name is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new InvalidInputException("name", "token store name must not contain control characters");
            }
        }
        return name;
    }
}
