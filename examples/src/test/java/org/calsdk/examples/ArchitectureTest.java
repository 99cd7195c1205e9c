package org.calsdk.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-module architecture rules. The examples module depends on every module the CLI uses, so its
 * test classpath sees all their classes. Modules are identified by their package roots; a module's
 * {@code ..internal..} packages are for that module alone ({@code org.calsdk.internal} is calendar-core's),
 * with two exceptions that every module shares because they are released together (one version, the BOM):
 * {@link org.calsdk.internal.Checks}, the SDK's single set of argument checks, and
 * {@link org.calsdk.internal.Rfc3339}, its one reader and writer of timestamps in the common shape.
 */
class ArchitectureTest {
    /** Module name to its package roots. Provider modules not on this classpath are listed for the future. */
    private static final Map<String, List<String>> MODULES = new LinkedHashMap<>();

    static {
        List<String> core = new ArrayList<>();
        for (String root :
                List.of("model", "api", "spi", "errors", "auth", "http", "ical", "tz", "availability", "internal")) {
            core.add("org.calsdk." + root);
        }
        MODULES.put("calendar-core", core);
        MODULES.put("calendar-testkit", List.of("org.calsdk.testkit"));
        MODULES.put("provider-caldav", List.of("org.calsdk.caldav"));
        MODULES.put("provider-google", List.of("org.calsdk.google"));
        MODULES.put("provider-graph", List.of("org.calsdk.graph"));
        MODULES.put("provider-ews", List.of("org.calsdk.ews"));
        MODULES.put("calendar-sync", List.of("org.calsdk.sync"));
        MODULES.put("examples", List.of("org.calsdk.examples"));
        MODULES.put("calendar-bench", List.of("org.calsdk.bench"));
    }

    /** The internal classes of calendar-core that the other modules use. */
    private static final List<Class<?>> SHARED = List.of(
            org.calsdk.internal.Checks.class,
            org.calsdk.internal.Rfc3339.class,
            org.calsdk.internal.Rfc3339.Offset.class);

    private static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.calsdk");
    }

    @Test
    void classesOfSeveralModulesAreVisible() {
        assertThat(classes.contain("org.calsdk.model.Mailbox")).isTrue();
        assertThat(classes.contain("org.calsdk.http.HttpTransport")).isTrue();
        assertThat(classes.contain(CalendarCli.class.getName())).isTrue();
    }

    @Test
    void noModuleUsesAnotherModulesInternalPackages() {
        for (Map.Entry<String, List<String>> module : MODULES.entrySet()) {
            List<String> foreignInternals = new ArrayList<>();
            MODULES.forEach((other, roots) -> {
                if (!other.equals(module.getKey())) {
                    roots.forEach(root -> foreignInternals.add(internalPattern(root)));
                }
            });
            noClasses()
                    .that()
                    .resideInAnyPackage(
                            module.getValue().stream().map(r -> r + "..").toArray(String[]::new))
                    .should()
                    .dependOnClassesThat(DescribedPredicate.and(
                            JavaClass.Predicates.resideInAnyPackage(foreignInternals.toArray(String[]::new)),
                            DescribedPredicate.not(
                                    JavaClass.Predicates.belongToAnyOf(SHARED.toArray(Class<?>[]::new)))))
                    .because(module.getKey() + " may use only the public API of other modules")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void everySdkClassBelongsToAKnownModule() {
        List<String> strays = new ArrayList<>();
        classes.forEach(c -> {
            boolean known = MODULES.values().stream()
                    .flatMap(List::stream)
                    .anyMatch(root -> c.getPackageName().equals(root)
                            || c.getPackageName().startsWith(root + "."));
            if (!known) {
                strays.add(c.getName());
            }
        });
        assertThat(strays)
                .as("classes outside every module's package roots (add the root to MODULES)")
                .isEmpty();
    }

    private static String internalPattern(String root) {
        return root.equals("org.calsdk.internal") ? "org.calsdk.internal.." : root + "..internal..";
    }
}
