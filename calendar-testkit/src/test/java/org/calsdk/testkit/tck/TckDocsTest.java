package org.calsdk.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** docs/TCK.md lists exactly the rules the TCK has, once each, and every rule id is unique. */
class TckDocsTest {

    @Test
    void every_rule_is_documented_once_and_every_documented_rule_exists() throws IOException {
        Set<String> inCode = new TreeSet<>();
        Arrays.stream(ProviderTck.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(DisplayName.class))
                .map(m -> m.getAnnotation(DisplayName.class).value().split(" ", 2)[0])
                .forEach(id -> assertThat(inCode.add(id))
                        .as("rule id %s used twice", id)
                        .isTrue());
        assertThat(inCode).hasSizeGreaterThanOrEqualTo(50).allMatch(id -> id.matches("[A-Z]{2,3}-\\d{3}"));

        String doc = Files.readString(Path.of("..", "docs", "TCK.md"));
        Set<String> inDoc = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| ([A-Z]{2,3}-\\d{3}) \\|").matcher(doc);
        while (m.find()) {
            assertThat(inDoc.add(m.group(1)))
                    .as("rule %s documented twice", m.group(1))
                    .isTrue();
        }
        assertThat(inDoc).isEqualTo(inCode);
    }
}
