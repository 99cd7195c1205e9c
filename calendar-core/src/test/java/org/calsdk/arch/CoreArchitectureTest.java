package org.calsdk.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rules for calendar-core's own classes (tests excluded). */
class CoreArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.calsdk");
    }

    @Test
    void coreDependsOnNoProviderSdk() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("org.calsdk..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.google.api..",
                        "com.google.auth..",
                        "com.microsoft..",
                        "microsoft.exchange..",
                        "com.azure..")
                .because("provider SDKs belong in their provider module; the core must stay small");
        rule.check(core);
    }

    @Test
    void coreClassesWereImported() {
        assertThat(core.contain("org.calsdk.http.HttpTransport")).isTrue();
        assertThat(core.contain("org.calsdk.model.Mailbox")).isTrue();
    }

    @Test
    void publicApiDoesNotExposeInternalTypes() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : core) {
            if (isInternal(c) || !c.getModifiers().contains(JavaModifier.PUBLIC) || !enclosingPublic(c)) {
                continue;
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (!isApi(m.getModifiers(), c)) {
                    continue;
                }
                if (isInternal(m.getRawReturnType())) {
                    violations.add(
                            m.getFullName() + " returns " + m.getRawReturnType().getName());
                }
                for (JavaClass p : m.getRawParameterTypes()) {
                    if (isInternal(p)) {
                        violations.add(m.getFullName() + " takes " + p.getName());
                    }
                }
            }
            for (JavaField f : c.getFields()) {
                if (isApi(f.getModifiers(), c) && isInternal(f.getRawType())) {
                    violations.add(
                            f.getFullName() + " is of type " + f.getRawType().getName());
                }
            }
            if (c.getRawSuperclass().isPresent()
                    && isInternal(c.getRawSuperclass().get())) {
                violations.add(
                        c.getName() + " extends " + c.getRawSuperclass().get().getName());
            }
        }
        assertThat(violations)
                .as("public API signatures that name ..internal.. types")
                .isEmpty();
    }

    /**
     * The application API (everything a host imports to connect and query: {@code api}, {@code model},
     * {@code errors}, {@code auth}, {@code ical}, {@code tz}, {@code availability}) names no OkHttp type in a
     * public signature. Only {@code org.calsdk.http}, the plumbing provider modules build on (and where a host
     * may hand over its own OkHttp client), and {@code org.calsdk.spi}, what provider modules implement (its
     * {@code ProviderBuilder} takes a host's OkHttp client for every provider), do.
     */
    @Test
    void applicationApiExposesNoOkHttpTypes() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : core) {
            if (isInternal(c)
                    || c.getPackageName().startsWith("org.calsdk.http")
                    || c.getPackageName().equals("org.calsdk.spi")
                    || !c.getModifiers().contains(JavaModifier.PUBLIC)
                    || !enclosingPublic(c)) {
                continue;
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (!isApi(m.getModifiers(), c)) {
                    continue;
                }
                if (isOkHttp(m.getRawReturnType())) {
                    violations.add(
                            m.getFullName() + " returns " + m.getRawReturnType().getName());
                }
                for (JavaClass p : m.getRawParameterTypes()) {
                    if (isOkHttp(p)) {
                        violations.add(m.getFullName() + " takes " + p.getName());
                    }
                }
            }
            for (JavaField f : c.getFields()) {
                if (isApi(f.getModifiers(), c) && isOkHttp(f.getRawType())) {
                    violations.add(
                            f.getFullName() + " is of type " + f.getRawType().getName());
                }
            }
        }
        assertThat(violations)
                .as("application API signatures that name OkHttp types")
                .isEmpty();
    }

    private static boolean isOkHttp(JavaClass c) {
        JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
        return base.getPackageName().startsWith("okhttp3")
                || base.getPackageName().startsWith("okio");
    }

    private static boolean isApi(java.util.Set<JavaModifier> modifiers, JavaClass owner) {
        return modifiers.contains(JavaModifier.PUBLIC)
                || (modifiers.contains(JavaModifier.PROTECTED)
                        && !owner.getModifiers().contains(JavaModifier.FINAL));
    }

    private static boolean enclosingPublic(JavaClass c) {
        JavaClass e = c;
        while (e.getEnclosingClass().isPresent()) {
            e = e.getEnclosingClass().get();
            if (!e.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInternal(JavaClass c) {
        JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
        String pkg = base.getPackageName();
        return pkg.startsWith("org.calsdk.") && (pkg.equals("org.calsdk.internal") || pkg.contains(".internal"));
    }
}
