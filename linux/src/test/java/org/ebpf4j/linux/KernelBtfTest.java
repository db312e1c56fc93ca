package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.btf.BtfWriter;
import org.ebpf4j.spec.CollectionSpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The objects' BTF in the kernel: every fixture's BTF loads (the kernel's BTF checker is the oracle for the DATASEC
 * layout and the blob), also after the rewrite for a kernel that knows no newer kind; programs carry func_info and
 * line_info, so the verifier's log shows the C source.
 */
class KernelBtfTest {

    @TestFactory
    Stream<DynamicTest> everyFixturesBtfLoads() {
        KernelTests.backend();
        return FixtureObjects.littleEndian().stream().map(object -> DynamicTest.dynamicTest(
                object.getFileName().toString(), () -> {
                    CollectionSpec spec = FixtureObjects.load(object.getFileName().toString());
                    assertLoads(spec, BtfFeatures.ALL);
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyFixturesBtfLoadsRewrittenForAKernelWithoutNewerKinds() {
        KernelTests.backend();
        // FUNC stays (func_info needs it): everything newer than 5.0 is rewritten away.
        BtfFeatures old = new BtfFeatures(true, true, false, false, false, false, false, false, false);
        return FixtureObjects.littleEndian().stream().map(object -> DynamicTest.dynamicTest(
                object.getFileName().toString(), () -> assertLoads(
                        FixtureObjects.load(object.getFileName().toString()), old)));
    }

    @Test
    void withoutFuncEvenTheFunctionsAreRewritten() {
        KernelTests.backend();
        BtfFeatures none = new BtfFeatures(true, false, false, false, false, false, false, false, false);
        assertLoads(FixtureObjects.load("subprogs.v3.o"), none);
        assertLoads(FixtureObjects.load("globals.v3.o"), none);
    }

    private static void assertLoads(CollectionSpec spec, BtfFeatures features) {
        switch (KernelBtf.load(spec, features)) {
            case KernelBtf.Outcome.Loaded loaded -> loaded.btf().close();
            case KernelBtf.Outcome.Absent absent -> fail(absent.reason());
        }
    }

    @Test
    void thisKernelHasEveryFeature() {
        KernelTests.backend();
        assertEquals(BtfFeatures.ALL, BtfFeatures.running());
    }

    @Test
    void aRefusedBlobSaysWhy() {
        KernelTests.backend();
        // A VAR of linkage "extern" is what clang writes for an extern; the kernel accepts static and global only.
        byte[] blob = new BtfWriter(ByteOrder.nativeOrder()).write(List.of(
                new org.ebpf4j.btf.BtfType.Int("int", 4, org.ebpf4j.btf.IntEncoding.SIGNED, 0, 32),
                new org.ebpf4j.btf.BtfType.Var("x", 1, org.ebpf4j.btf.Linkage.EXTERN)));
        var answer = (BtfCommands.Answer.Refused) BtfCommands.load(blob);
        assertEquals(22, answer.errno());
        assertTrue(answer.log().contains("Linkage not supported"), answer.log());
    }

    @Test
    void theVerifierLogShowsTheSourceLines() {
        LinuxBackend backend = KernelTests.backend();
        CollectionSpec spec = FixtureObjects.load("subprogs.v3.o");
        try (LinuxCollection loaded = backend.load(spec, LoadOptions.defaults().withLogLevel(2))) {
            assertEquals(java.util.Optional.empty(), loaded.loadedWithoutBtfBecause());
            String programName = spec.programs().keySet().iterator().next();
            String log = loaded.program(programName).verifierLog().orElseThrow();
            String someLine = spec.program(programName).lines().getFirst().text().strip();
            assertTrue(log.contains("; " + someLine), "the log quotes '" + someLine + "':\n" + log);
        }
    }

    /** BTF_GET_FD_BY_ID and the BTF info give back the types the kernel took, as the loader wrote them. */
    @Test
    void theKernelGivesTheTypesBack() {
        LinuxBackend backend = KernelTests.backend();
        CollectionSpec spec = FixtureObjects.load("globals.v3.o");
        try (LinuxCollection loaded = backend.load(spec, LoadOptions.defaults())) {
            int btfId = ((LinuxProgram) loaded.program("account")).info().btfId();
            var readBack = KernelObjects.btf(btfId);
            assertEquals(BtfSanitizer.sanitize(spec.btf().orElseThrow(), BtfFeatures.running()), readBack.types());
            // The source lines went into its string section.
            String line = spec.program("account").lines().getFirst().text();
            assertTrue(readBack.strings().length() > 0 && containsString(readBack, line), line);
        }
    }

    private static boolean containsString(org.ebpf4j.btf.Btf btf, String s) {
        for (int offset = 0; offset < btf.strings().length(); offset++) {
            if (btf.strings().at(offset).equals(s)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void atLogLevelZeroThereIsNoLog() {
        LinuxBackend backend = KernelTests.backend();
        try (LinuxCollection loaded = backend.load(FixtureObjects.load("subprogs.v3.o"), LoadOptions.defaults())) {
            loaded.programs().values().forEach(p -> assertTrue(p.verifierLog().isEmpty()));
        }
    }

}
