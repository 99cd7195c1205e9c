package org.calsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.testkit.graph.FakeGraphServer;
import org.junit.jupiter.api.Test;

/**
 * The testkit's public surface holds what tests and benchmarks use, not the hooks its fake servers call on
 * each other: those are package-private, so a user cannot skew the accounting or reach a fake's state.
 */
class TestkitSurfaceTest {
    private static List<String> publicMethods(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName)
                .toList();
    }

    @Test
    void routeSpecIsBuiltByTestsAndReadOnlyByTheServer() {
        assertThat(publicMethods(RouteSpec.class))
                .containsOnly("of", "whenBody", "mailboxes", "mailboxErrors", "toString");
    }

    @Test
    void requestAccountingIsReadByTestsAndWrittenOnlyByTheServer() {
        assertThat(publicMethods(RequestAccounting.class))
                .doesNotContain("begin", "end", "roundTrip", "keep")
                .contains("calls", "recent", "last", "roundTrips", "reset", "sent");
        assertThat(Arrays.stream(RequestAccounting.class.getDeclaredMethods())
                        .filter(m -> m.getName().equals("sent") && m.getParameterCount() == 1))
                .allSatisfy(m -> assertThat(Modifier.isPublic(m.getModifiers())).isFalse());
    }

    @Test
    void theGraphFakeHidesItsStoreAndOffersLatencyItself() throws Exception {
        assertThat(FakeGraphServer.class
                        .getMethod("server")
                        .getGenericReturnType()
                        .getTypeName())
                .isEqualTo(FakeServer.class.getName() + "<?>");
        try (FakeGraphServer graph =
                FakeGraphServer.builder().mailbox("alice@example.com").build().start()) {
            assertThat(graph.latency(Duration.ZERO)).isSameAs(graph);
            assertThatThrownBy(() -> graph.latency(Duration.ofMillis(-1)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("latency");
            assertThatThrownBy(() -> graph.latency(null)).hasMessageContaining("perRequest");
        }
    }
}
