package org.ebpf4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    /** This module's class path stands for a build: two loaders over it are two copies of the same build. */
    private static ClassLoader build() throws Exception {
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        return PairedComparison.loader(classPath);
    }

    @Test
    void aBuildComparedWithItselfRunsAtAboutTheSameSpeed() throws Exception {
        ClassLoader a = build();
        ClassLoader b = build();
        assertNotSame(a.loadClass(SuiteRunner.class.getName()), b.loadClass(SuiteRunner.class.getName()));
        var result = PairedComparison.compare(a, b, "xorshift", "JIT", "JIT", Duration.ofMillis(500),
                Duration.ofSeconds(1), false);
        assertTrue(result.pairs() > 10, result.line());
        // Loose on purpose: a test must not time anything, only see that both sides ran the same work.
        assertTrue(result.ratio() > 0.25 && result.ratio() < 4, result.line());
        assertTrue(Double.isNaN(result.aToKernel()), result.line());
    }

    @Test
    void theTwoSidesMayRunDifferentEngines() throws Exception {
        var result = PairedComparison.compare(build(), build(), "xorshift", "INTERPRETER", "JIT",
                Duration.ofMillis(200), Duration.ofMillis(500), false);
        assertTrue(result.pairs() > 0 && result.ratio() > 0, result.line());
        // B's engine is the one B opens, not A's.
        var e = assertThrows(IllegalStateException.class, () -> PairedComparison.compare(build(), build(),
                "xorshift", "JIT", "NO_SUCH_ENGINE", Duration.ZERO, Duration.ZERO, false));
        assertTrue(e.getMessage().contains("xorshift on NO_SUCH_ENGINE"), e.getMessage());
    }

    @Test
    void anUnknownProgramIsNamedInTheError() throws Exception {
        var e = assertThrows(IllegalStateException.class, () -> PairedComparison.compare(build(), build(),
                "no_such_program", "JIT", "JIT", Duration.ZERO, Duration.ZERO, false));
        assertTrue(e.getMessage().contains("no_such_program"), e.getMessage());
    }

    @Test
    void quantilesOfTheSortedValues() {
        List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
        assertEquals(3.0, PairedComparison.quantile(values, 0.5));
        assertEquals(2.0, PairedComparison.quantile(values, 0.25));
        assertEquals(4.0, PairedComparison.quantile(values, 0.75));
        assertTrue(Double.isNaN(PairedComparison.quantile(List.of(), 0.5)));
    }
}
