package org.calsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.calsdk.auth.Secret;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * One nullness convention for every public record of the SDK (issue 11 item 9): a component that may be
 * null is annotated JSpecify {@code @Nullable} and read through its own accessor; every other reference
 * component is refused as null by the record's constructor (or replaced by a default); and no record adds
 * a second, {@code Optional}-returning accessor for a field. Checked by reflection on every public record
 * in the SDK's public packages: starting from a valid instance, each component in turn is set to null.
 */
class RecordNullnessTest {
    private static final Mailbox ALICE = Mailbox.of("alice@example.com");
    private static final Instant T0 = Instant.parse("2031-01-06T10:00:00Z");

    /** Records whose @Nullable component is null only together with another (a cross-field rule), by component. */
    private static final Set<String> NULL_ONLY_WITH_OTHERS = Set.of(
            "org.calsdk.api.AccessCheck.reason", // null exactly when allowed
            "org.calsdk.auth.ClientCredentials.clientSecret", // exactly one of secret and certificate
            "org.calsdk.auth.ClientCredentials.certificate");

    /** Every public record under org.calsdk in the modules on the class path (directories or jars). */
    private static List<Class<?>> publicRecords() throws Exception {
        ClassLoader loader = RecordNullnessTest.class.getClassLoader();
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (java.net.URL url : java.util.Collections.list(loader.getResources("org/calsdk"))) {
            if ("file".equals(url.getProtocol())) {
                java.nio.file.Path root =
                        java.nio.file.Path.of(url.toURI()).getParent().getParent();
                try (java.util.stream.Stream<java.nio.file.Path> files =
                        java.nio.file.Files.walk(root.resolve("org/calsdk"))) {
                    files.map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                            .forEach(names::add);
                }
            } else if ("jar".equals(url.getProtocol())) {
                java.net.JarURLConnection jar = (java.net.JarURLConnection) url.openConnection();
                jar.setUseCaches(false);
                try (java.util.jar.JarFile file = jar.getJarFile()) {
                    file.stream().map(java.util.jar.JarEntry::getName).forEach(names::add);
                }
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String entry : names) {
            if (!entry.endsWith(".class") || entry.contains("test-classes")) {
                continue;
            }
            String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
            String pkg = name.substring(0, name.lastIndexOf('.'));
            if (pkg.contains(".internal")
                    || pkg.equals("org.calsdk.internal")
                    || pkg.startsWith("org.calsdk.examples")
                    || pkg.startsWith("org.calsdk.bench")
                    || name.matches(".*\\$\\d.*")) {
                continue;
            }
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // a test class of another module's test-jar
            }
            if (c.isRecord()
                    && visible(c)
                    && c.getProtectionDomain().getCodeSource() != null
                    && !c.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .getPath()
                            .contains("test-classes")
                    && !c.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .getPath()
                            .endsWith("-tests.jar")) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) && !k.isMemberClass()
                    || !Modifier.isPublic(k.getModifiers())
                            && !(k.getEnclosingClass() != null
                                    && k.getEnclosingClass().isInterface())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyPublicRecordFollowsTheNullnessConvention() throws Exception {
        List<Class<?>> records = publicRecords();
        assertThat(records).as("public records found").hasSizeGreaterThan(40);
        List<String> problems = new ArrayList<>();
        for (Class<?> r : records) {
            Object sample;
            try {
                sample = sample(r, 0);
            } catch (RuntimeException e) {
                problems.add(r.getName() + ": no valid sample instance (" + e + "); add one to sample()");
                continue;
            }
            check(r, sample, problems);
        }
        assertThat(problems).as("records breaking the nullness convention").isEmpty();
    }

    @Test
    void theThirteenRecordsThatHadTwoAccessorsPerFieldHaveOne() {
        assertThat(optionalTwins(org.calsdk.model.FreeBusy.class)).isEmpty();
        assertThat(optionalTwins(org.calsdk.sync.MailboxStatus.class)).isEmpty();
        assertThat(optionalTwins(org.calsdk.sync.MailboxSyncResult.class)).isEmpty();
        assertThat(nullable(org.calsdk.sync.MailboxStatus.class, "lastError")).isTrue();
        assertThat(nullable(org.calsdk.sync.MailboxSyncResult.class, "error")).isTrue();
        assertThat(nullable(org.calsdk.model.FreeBusy.class, "mailbox")).isFalse();
    }

    private static void check(Class<?> r, Object sample, List<String> problems) throws Exception {
        RecordComponent[] comps = r.getRecordComponents();
        Constructor<?> canonical = r.getDeclaredConstructor(
                java.util.Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new));
        canonical.setAccessible(true);
        List<String> twins = optionalTwins(r);
        if (!twins.isEmpty()) {
            problems.add(r.getName() + ": Optional accessors besides the components: " + twins);
        }
        Object[] values = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            values[i] = comps[i].getAccessor().invoke(sample);
        }
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            if (c.getType().isPrimitive()) {
                continue;
            }
            String name = r.getName() + "." + c.getName();
            Object[] args = values.clone();
            args[i] = null;
            boolean annotated = c.getAnnotatedType().isAnnotationPresent(Nullable.class);
            Object made;
            try {
                made = canonical.newInstance(args);
            } catch (InvocationTargetException e) {
                if (annotated && !NULL_ONLY_WITH_OTHERS.contains(name)) {
                    problems.add(name + " is @Nullable but null is refused: " + e.getCause());
                }
                continue;
            }
            if (!annotated && c.getAccessor().invoke(made) == null) {
                problems.add(name + " accepts null but is not annotated @Nullable");
            }
        }
    }

    private static List<String> optionalTwins(Class<?> r) {
        List<String> out = new ArrayList<>();
        for (Method m : r.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())
                    && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0
                    && Optional.class.isAssignableFrom(m.getReturnType())) {
                out.add(m.getName() + "()");
            }
        }
        return out;
    }

    private static boolean nullable(Class<?> r, String component) {
        for (RecordComponent c : r.getRecordComponents()) {
            if (c.getName().equals(component)) {
                return c.getAnnotatedType().isAnnotationPresent(Nullable.class);
            }
        }
        throw new AssertionError("no component " + component);
    }

    // ------------------------------------------------------------------ samples

    /** Hand-made instances for records whose components constrain each other. */
    private static Object special(Class<?> type) {
        String n = type.getName();
        return switch (n) {
            case "org.calsdk.api.AccessCheck" ->
                org.calsdk.api.AccessCheck.denied(ALICE, org.calsdk.api.AccessCheck.Reason.NOT_FOUND, "none");
            case "org.calsdk.api.DirectoryEntry" -> org.calsdk.api.DirectoryEntry.room("r", ALICE, "Room", 4, "HQ");
            case "org.calsdk.auth.ClientCredentials" ->
                org.calsdk.auth.ClientCredentials.withSecret("t", "c", Secret.of("s"));
            case "org.calsdk.auth.ClientCredentials$Certificate" ->
                new org.calsdk.auth.ClientCredentials.Certificate(
                        "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
                        Secret.of("-----BEGIN PRIVATE KEY-----"));
            case "org.calsdk.http.ResponseClass" ->
                org.calsdk.http.ResponseClass.rateLimited(Duration.ofSeconds(1), "r");
            case "org.calsdk.model.TimeWindow" -> TimeWindow.of(T0, T0.plusSeconds(3600));
            case "org.calsdk.model.BusyInterval" ->
                new org.calsdk.model.BusyInterval(T0, T0.plusSeconds(60), org.calsdk.model.BusyStatus.BUSY, "e1");
            case "org.calsdk.model.FreeBusy" ->
                new org.calsdk.model.FreeBusy(
                        ALICE,
                        List.of(),
                        new org.calsdk.errors.NotFoundException("gone", org.calsdk.errors.ErrorContext.NONE));
            case "org.calsdk.api.FreeBusyRequest" ->
                org.calsdk.api.FreeBusyRequest.of(List.of(ALICE), TimeWindow.of(T0, T0.plusSeconds(3600)));
            case "org.calsdk.auth.TokenCredentials" ->
                new org.calsdk.auth.TokenCredentials(new org.calsdk.auth.AccessTokenSource() {
                    @Override
                    public org.calsdk.auth.AccessToken token() {
                        throw new AssertionError("not used");
                    }

                    @Override
                    public org.calsdk.auth.AccessToken refresh(org.calsdk.auth.AccessToken rejected) {
                        throw new AssertionError("not used");
                    }
                });
            case "org.calsdk.availability.ParticipantGroup" ->
                org.calsdk.availability.ParticipantGroup.all(List.of("a"));
            case "org.calsdk.availability.RoundRobin" ->
                org.calsdk.availability.RoundRobin.of(
                        org.calsdk.availability.RoundRobin.Method.values()[0], List.of("a"), Map.of());
            case "org.calsdk.testkit.FakeResponse" -> org.calsdk.testkit.FakeResponse.of(200);
            case "org.calsdk.testkit.Fault$Error" -> org.calsdk.testkit.Fault.error(503, "Busy", "try later");
            case "org.calsdk.testkit.Fault$Status" ->
                new org.calsdk.testkit.Fault.Status(org.calsdk.testkit.FakeResponse.of(503));
            case "org.calsdk.testkit.FaultRule" ->
                org.calsdk.testkit.FaultRule.onAnyOperation()
                        .inject(new org.calsdk.testkit.Fault.Status(org.calsdk.testkit.FakeResponse.of(503)));
            case "org.calsdk.testkit.memory.MemoryNotice" ->
                new org.calsdk.testkit.memory.MemoryNotice(
                        org.calsdk.testkit.memory.MemoryNotice.Kind.REPLY, "e1", List.of(ALICE));
            case "org.calsdk.api.EventChange$Upserted" ->
                new org.calsdk.api.EventChange.Upserted(
                        Event.builder()
                                .id("e1")
                                .summary("s")
                                .start(EventTime.utc(T0))
                                .end(EventTime.utc(T0.plusSeconds(3600)))
                                .build(),
                        null);
            case "org.calsdk.sync.OutboxEntry" ->
                org.calsdk.sync.OutboxEntry.delete(CalendarRef.primary(ALICE), EventKey.of("k"));
            case "org.calsdk.sync.SyncStateStore$PassEnd" ->
                new org.calsdk.sync.SyncStateStore.PassEnd(
                        (org.calsdk.sync.MailboxLease) sample(org.calsdk.sync.MailboxLease.class, 1),
                        org.calsdk.sync.SyncStateStore.PassEnd.Outcome.RELEASE,
                        T0,
                        T0,
                        "m",
                        java.util.Map.of());
            case "org.calsdk.sync.OutboxEntry$Response" ->
                new org.calsdk.sync.OutboxEntry.Response("e1", org.calsdk.model.Attendee.ResponseStatus.ACCEPTED, true);
            default -> null;
        };
    }

    private static Object sample(Class<?> type, int depth) {
        if (depth > 6) {
            throw new IllegalStateException("samples nest too deep at " + type.getName());
        }
        Object special = special(type);
        if (special != null) {
            return special;
        }
        Object simple = simple(type);
        if (simple != null) {
            return simple;
        }
        if (type.isRecord()) {
            RecordComponent[] comps = type.getRecordComponents();
            Object[] args = new Object[comps.length];
            for (int i = 0; i < comps.length; i++) {
                args[i] = sample(comps[i].getType(), depth + 1);
            }
            try {
                Constructor<?> k = type.getDeclaredConstructor(java.util.Arrays.stream(comps)
                        .map(RecordComponent::getType)
                        .toArray(Class<?>[]::new));
                k.setAccessible(true);
                return k.newInstance(args);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(
                        "sample of " + type.getName() + " refused: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no sample for " + type.getName());
    }

    private static Object simple(Class<?> t) {
        Map<Class<?>, Object> m = new LinkedHashMap<>();
        m.put(String.class, "x");
        m.put(int.class, 1);
        m.put(long.class, 1L);
        m.put(double.class, 1.0);
        m.put(boolean.class, false);
        m.put(Integer.class, 1);
        m.put(Long.class, 1L);
        m.put(Double.class, 1.0);
        m.put(Boolean.class, false);
        m.put(Instant.class, T0);
        m.put(Duration.class, Duration.ofHours(1));
        m.put(LocalDate.class, LocalDate.of(2031, 1, 6));
        m.put(LocalTime.class, LocalTime.of(9, 0));
        m.put(ZoneId.class, ZoneOffset.UTC);
        m.put(java.time.LocalDateTime.class, java.time.LocalDateTime.of(2031, 1, 6, 9, 0));
        m.put(java.time.ZonedDateTime.class, T0.atZone(ZoneOffset.UTC));
        m.put(Mailbox.class, ALICE);
        m.put(CalendarRef.class, CalendarRef.primary(ALICE));
        m.put(EventKey.class, EventKey.of("k"));
        m.put(EventTime.class, EventTime.utc(T0));
        m.put(Secret.class, Secret.of("s"));
        m.put(org.calsdk.api.DirectorySnapshot.class, org.calsdk.api.DirectorySnapshot.none());
        m.put(byte[].class, new byte[0]);
        m.put(
                Event.class,
                Event.builder()
                        .id("e1")
                        .summary("s")
                        .start(EventTime.utc(T0))
                        .end(EventTime.utc(T0.plusSeconds(3600)))
                        .build());
        m.put(okhttp3.Headers.class, okhttp3.Headers.of());
        m.put(okhttp3.HttpUrl.class, okhttp3.HttpUrl.get("http://127.0.0.1/"));
        m.put(org.calsdk.errors.ErrorContext.class, org.calsdk.errors.ErrorContext.NONE);
        m.put(
                org.calsdk.errors.CalendarException.class,
                new org.calsdk.errors.NotFoundException("gone", org.calsdk.errors.ErrorContext.NONE));
        m.put(org.calsdk.model.Recurrence.class, org.calsdk.model.Recurrence.rule("FREQ=DAILY;COUNT=2"));
        m.put(org.calsdk.api.SyncCursor.class, org.calsdk.api.SyncCursor.START);
        m.put(org.calsdk.api.ChangeBatch.Coverage.class, org.calsdk.api.ChangeBatch.Coverage.EVERYTHING);
        m.put(
                org.calsdk.testkit.Fault.class,
                new org.calsdk.testkit.Fault.Status(org.calsdk.testkit.FakeResponse.of(503)));
        m.put(org.calsdk.testkit.ErrorDialect.class, org.calsdk.testkit.ErrorDialect.generic());
        if (m.containsKey(t)) {
            return m.get(t);
        }
        if (t.isEnum()) {
            return t.getEnumConstants()[0];
        }
        if (List.class.isAssignableFrom(t) || Collection.class.equals(t)) {
            return List.of();
        }
        if (Set.class.isAssignableFrom(t)) {
            return Set.of();
        }
        if (Map.class.isAssignableFrom(t)) {
            return Map.of();
        }
        return null;
    }
}
