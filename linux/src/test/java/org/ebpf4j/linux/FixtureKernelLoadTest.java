package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kernel as the loader's oracle: every program of every committed little-endian fixture loads through
 * {@link LinuxBackend}, each with all its object's maps (created, initialised and frozen as libbpf does), CO-RE
 * resolved against the kernel's BTF and map fds patched in. A rejection shows the verifier log and the program.
 * Programs that cannot load here for reasons outside the loader are skipped, saying why.
 * The object's BTF goes with them, and each program's func_info and line_info (so global functions are verified
 * on their own, against their prototypes, as with libbpf).
 */
class FixtureKernelLoadTest {

    @TestFactory
    Stream<DynamicNode> everyFixtureProgramLoadsIntoTheKernel() {
        LinuxBackend backend = KernelTests.backend();
        List<DynamicNode> objects = new ArrayList<>();
        for (Path object : FixtureObjects.littleEndian()) {
            CollectionSpec collection = FixtureObjects.load(object.getFileName().toString());
            List<DynamicTest> programs = collection.programs().values().stream()
                    .map(p -> DynamicTest.dynamicTest(p.name() + " (" + p.sectionName() + ")",
                            () -> assertKernelAccepts(backend, collection, p)))
                    .toList();
            objects.add(DynamicContainer.dynamicContainer(object.getFileName().toString(), programs));
        }
        return objects.stream();
    }

    private static void assertKernelAccepts(LinuxBackend backend, CollectionSpec collection, ProgramSpec program) {
        if (program.type() == ProgramType.EXT || program.type() == ProgramType.STRUCT_OPS) {
            abort(program.type().kernelName() + " needs a target program or a struct_ops map to load against");
        }
        assertKconfigReferencesPointAtExterns(collection, program);
        try (TestPins pins = new TestPins();
             Collection loaded = backend.load(FixtureObjects.withOnly(collection, program), pins.options())) {
            assertFalse(((LinuxProgram) loaded.program(program.name())).fd().isClosed());
        } catch (VerifierException rejected) {
            KnownKernelRejections.find(collection.name(), program.name(), rejected.log())
                    .ifPresent(known -> abort("the kernel rejects this fixture's code whatever loads it ("
                            + known.message() + "): " + known.reason()));
            fail("the kernel rejects " + collection.name() + "/" + program.name() + " (" + program.type()
                    + ", section " + program.sectionName() + "): " + rejected.getMessage()
                    + "\n--- verifier log ---\n" + rejected.log()
                    + "\n--- the program before relocation ---\n"
                    + Disassembler.llvmObjdump().disassemble(program.instructions()));
        } catch (LinuxBpfException refused) {
            skipIfTheKernelRefusesTheWholeType(program, refused);
            throw refused;
        }
    }

    /**
     * The kernel refuses some kinds of program before verifying anything: these machines refuse trampoline programs
     * (fentry, fexit, fmod_ret, lsm) with EPERM, to libbpf as well. Skipped when {@code r0 = 0; exit} of the same
     * type and attach point is refused the same way.
     */
    private static void skipIfTheKernelRefusesTheWholeType(ProgramSpec program, LinuxBpfException refused) {
        if (refused.command() != BpfCommand.PROG_LOAD || refused.errnoValue() != Errno.EPERM.value()) {
            return;
        }
        var minimal = new ProgramCommands.Definition(program.name(), program.type(),
                new ProgramBuilder().mov64(Register.R0, 0).exit().build(), program.license(), 0, program.loadFlags(),
                program.expectedAttachType().map(t -> t.value()).orElse(0), AttachBtfIds.of(program));
        if (ProgramCommands.load(minimal, 0, 0) instanceof ProgramCommands.LoadAttempt.Refused r
                && r.errno() == refused.errnoValue()) {
            abort("this kernel refuses every " + program.type().kernelName() + " program attached as "
                    + program.expectedAttachType().map(t -> t.kernelName()).orElse("(none)")
                    + " (EPERM before verification, even for r0 = 0; exit): not the loader's doing");
        }
    }

    /**
     * The kernel cannot tell a wrong {@code .kconfig} offset from a right one (any in-bounds read verifies), so this
     * checks what the backend relies on: each reference lands on the start of an extern as the layout rule places it.
     */
    private static void assertKconfigReferencesPointAtExterns(CollectionSpec collection, ProgramSpec program) {
        List<ProgramSpec.MapReference> references = program.mapReferences().stream()
                .filter(r -> collection.map(r.mapName()).origin() == MapSpec.Origin.KCONFIG)
                .toList();
        Set<Integer> starts = collection.kconfigExterns().stream()
                .map(KconfigExtern::offset)
                .collect(Collectors.toSet());
        for (ProgramSpec.MapReference r : references) {
            assertTrue(r.value() && starts.contains(r.offset()), program.name() + ": " + r
                    + " does not point at a kconfig extern; externs start at " + collection.kconfigExterns());
        }
    }

    /** Keeps the log-level option honest: a fixture program loads with a log from the start too. */
    @TestFactory
    Stream<DynamicTest> loadingWithAVerifierLogFromTheStartAlsoWorks() {
        LinuxBackend backend = KernelTests.backend();
        CollectionSpec subprogs = FixtureObjects.load("subprogs.v3.o");
        return Stream.of(1, 2).map(level -> DynamicTest.dynamicTest("log level " + level, () -> {
            try (Collection loaded = backend.load(subprogs, LoadOptions.defaults().withLogLevel(level))) {
                assertTrue(loaded.programs().size() == subprogs.programs().size());
            }
        }));
    }
}
