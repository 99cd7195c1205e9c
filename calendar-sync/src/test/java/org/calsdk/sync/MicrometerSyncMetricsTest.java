package org.calsdk.sync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Random;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.model.Organizer;
import org.calsdk.testkit.SpiOperation;
import org.calsdk.testkit.memory.InMemoryCalendarService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Micrometer binding, driven by a real engine on the in-memory reference provider. */
class MicrometerSyncMetricsTest {
    static final Mailbox ALICE = Mailbox.of("alice@example.com");
    static final Mailbox BOB = Mailbox.of("bob@example.com");
    static final CalendarRef CAL = CalendarRef.primary(ALICE);
    static final ZonedDateTime NINE = ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InMemoryCalendarService service;
    SyncEngine engine;

    @BeforeEach
    void setUp() {
        service = InMemoryCalendarService.builder().clock(clock).build();
        service.addUser(ALICE, "Alice").addUser(BOB, "Bob");
        engine = SyncEngine.builder()
                .store(new InMemorySyncStateStore())
                .connections((i, m) -> service.connect(m))
                .clock(clock)
                .random(new Random(1))
                .nodeId("test")
                .metrics(new MicrometerSyncMetrics(registry))
                .build();
        engine.saveIntegration(Integration.active("team", "memory"));
        engine.addMailbox("team", ALICE);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        service.close();
        registry.close();
    }

    static Event booking(String title, int hour) {
        return Event.builder()
                .summary(title)
                .start(EventTime.of(NINE.withHour(hour)))
                .end(EventTime.of(NINE.withHour(hour + 1)))
                .organizer(Organizer.of(ALICE))
                .attendee(Attendee.required(BOB))
                .build();
    }

    @Test
    void passesChangesPushesAndErrorsArePerProviderMeters() {
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-2"), booking("Debrief", 11)));
        engine.runOnce();

        assertThat(registry.get("calsdk.sync.pass")
                        .tags("provider", "memory", "outcome", "ok")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("calsdk.sync.changes.pushed")
                        .tag("provider", "memory")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(registry.get("calsdk.sync.changes.pulled")
                        .tag("provider", "memory")
                        .counter()
                        .count())
                .as("the two creates come back as changes")
                .isEqualTo(2.0);
        assertThat(registry.get("calsdk.sync.push.attempts")
                        .tags("provider", "memory", "operation", "upsert", "outcome", "ok")
                        .counter()
                        .count())
                .isEqualTo(2.0);

        // a failing pass: the change feed answers 503 (the testkit retries nothing itself)
        service.faults().failNext(SpiOperation.CHANGES, 1, 503);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(registry.get("calsdk.sync.pass")
                        .tags("provider", "memory", "outcome", "failed")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("calsdk.sync.errors")
                        .tags("provider", "memory", "stage", "pass", "type", "ProviderUnavailableException")
                        .counter()
                        .count())
                .isEqualTo(1.0);

        // a failing push: the create answers 503, the entry is retried later
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-3"), booking("Offer call", 14)));
        service.faults().failNext(SpiOperation.CREATE_EVENT, 1, 503);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();
        assertThat(registry.get("calsdk.sync.push.attempts")
                        .tags("provider", "memory", "operation", "upsert", "outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("calsdk.sync.errors")
                        .tags("provider", "memory", "stage", "push", "type", "ProviderUnavailableException")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void noMeterIsTaggedWithAMailboxOrPerson() {
        engine.enqueue(OutboxEntry.upsert(CAL, EventKey.of("booking-1"), booking("Interview", 9)));
        engine.runOnce();
        service.faults().failNext(SpiOperation.CHANGES, 1, 503);
        clock.advance(Duration.ofMinutes(6));
        engine.runOnce();

        assertThat(registry.getMeters()).isNotEmpty();
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getName()).startsWith(MicrometerSyncMetrics.PREFIX);
            assertThat(meter.getId().getTags())
                    .extracting(Tag::getKey)
                    .isSubsetOf("provider", "outcome", "operation", "stage", "type");
            assertThat(meter.getId().getTags())
                    .extracting(Tag::getValue)
                    .noneMatch(v -> v.contains("@") || v.toLowerCase().contains("alice") || v.contains("booking"));
        }
    }

    @Test
    void onlyTheBindingUsesMicrometerSoTheEngineRunsWithoutIt() {
        JavaClasses sync = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.calsdk");
        assertThat(sync.contain(MicrometerSyncMetrics.class)).isTrue();
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(MicrometerSyncMetrics.class.getName())
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.micrometer..")
                .because("micrometer-core is an optional dependency: nothing else may need it at run time")
                .check(sync);
    }

    @Test
    void theEngineRunsInAClassLoaderWithoutMicrometer() throws Exception {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        java.util.List<java.net.URL> urls = new java.util.ArrayList<>();
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()
                    && !entry.contains("micrometer")
                    && !entry.contains("HdrHistogram")
                    && !entry.contains("LatencyUtils")) {
                urls.add(java.nio.file.Path.of(entry).toUri().toURL());
            }
        }
        try (java.net.URLClassLoader plain =
                new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, plain))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> run = Class.forName(WithoutMicrometer.class.getName(), true, plain);
            assertThat(run.getClassLoader()).isSameAs(plain);
            Object passes = ((java.util.concurrent.Callable<?>)
                            run.getDeclaredConstructor().newInstance())
                    .call();
            assertThat(passes).isEqualTo(1);
        }
    }
}
