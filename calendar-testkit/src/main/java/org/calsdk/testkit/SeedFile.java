package org.calsdk.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.internal.Checks;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Mailbox;

/**
 * Seed data read from a JSON file, for standalone fakes ({@code ./calendar fake --seed FILE}): the users,
 * their calendars and events (as iCalendar), and optionally each user's password.
 *
 * <pre>{@code
 * {
 *   "domain": "example.com",
 *   "users": [
 *     {"email": "alice@example.com", "name": "Alice", "password": "alice-pw",
 *      "calendars": [{"id": "primary", "name": "Calendar", "ics": "alice.ics"},
 *                    {"id": "team", "name": "Team", "icsText": "BEGIN:VCALENDAR..."}]},
 *     {"email": "bob@example.com"}
 *   ]
 * }
 * }</pre>
 *
 * {@code ics} is a file path relative to the seed file; {@code icsText} inline iCalendar. A user without
 * {@code calendars} gets an empty primary calendar; a user without {@code password} is accepted with any
 * password (and any bearer token). The password is never printed by {@link #toString()}.
 *
 * @param data      the users, calendars and events
 * @param passwords passwords of the users that have one
 * @since 0.1
 */
public record SeedFile(SeedData data, Map<Mailbox, String> passwords) {
    /** The largest seed file read, in bytes. */
    public static final long MAX_BYTES = 20L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks the data and copies the passwords.
     *
     * @param data the users, calendars and events
     * @param passwords passwords of the users that have one
     * @throws NullPointerException if {@code data} or {@code passwords} is null
     */
    public SeedFile {
        Checks.notNull(data, "data");
        passwords = Map.copyOf(Checks.notNull(passwords, "passwords"));
    }

    /**
     * Reads a seed file.
     *
     * @param file the seed file (JSON, at most {@link #MAX_BYTES})
     * @return the seed data and passwords it holds
     * @throws InvalidInputException  when the file cannot be read, is too large, or names no valid users
     * @throws MalformedDataException when it is not JSON of the shape above, or an .ics in it is not iCalendar
     */
    public static SeedFile read(Path file) {
        Checks.notNull(file, "file");
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException("seed", "seed file larger than " + MAX_BYTES + " bytes: " + file);
            }
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new MalformedDataException(
                    "seed file " + file + " is not JSON: " + e.getOriginalMessage(), ErrorContext.NONE, e);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "seed", "cannot read seed file " + file + ": " + e.getMessage(), ErrorContext.NONE, e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedDataException("seed file " + file + ": expected a JSON object");
        }
        String domain = text(root, "domain", "example.com");
        SeedData.Builder b = SeedData.organization(domain);
        Map<Mailbox, String> passwords = new LinkedHashMap<>();
        JsonNode users = root.path("users");
        if (!users.isArray()) {
            throw new MalformedDataException("seed file " + file + ": \"users\" must be an array");
        }
        Path dir = file.toAbsolutePath().getParent();
        for (JsonNode u : users) {
            String email = text(u, "email", null);
            if (email == null) {
                throw new MalformedDataException("seed file " + file + ": a user without \"email\"");
            }
            Mailbox mailbox = Mailbox.of(email);
            if (!mailbox.domain().equalsIgnoreCase(domain)) {
                throw new InvalidInputException("email", "seed user " + email + " is not in the domain " + domain);
            }
            String password = text(u, "password", null);
            if (password != null) {
                passwords.put(mailbox, password);
            }
            b.user(email, text(u, "name", mailbox.email()), spec -> {
                for (JsonNode c : u.path("calendars")) {
                    String id = text(c, "id", CalendarRef.PRIMARY);
                    java.util.function.Consumer<SeedData.CalendarBuilder> fill = cal -> {
                        String ics = text(c, "ics", null);
                        String icsText = text(c, "icsText", null);
                        if (ics != null) {
                            cal.ics(dir.resolve(ics));
                        }
                        if (icsText != null) {
                            cal.ics(icsText);
                        }
                    };
                    if (CalendarRef.PRIMARY.equals(id)) {
                        spec.primary(fill);
                    } else {
                        spec.calendar(id, text(c, "name", id), fill);
                    }
                }
            });
        }
        return new SeedFile(b.build(), passwords);
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new MalformedDataException("seed file: \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    @Override
    public String toString() {
        return "SeedFile[" + data.domain() + ", " + data.users().size() + " users, " + passwords.size() + " passwords]";
    }
}
