package org.ebpf4j.elf.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kernel as the loader's oracle: every program of every committed fixture, as ebpf4j relocated it, loads into
 * the running kernel, with the object's maps created and their fds patched in. A rejection shows the verifier log
 * and ebpf4j's disassembly. Programs that cannot load here for reasons outside the loader are skipped, saying why.
 *
 * <p>Not passed to the kernel: the object's BTF, func_info and line_info (the fixtures need none of them to
 * verify), and CO-RE relocations, which the loader leaves to a backend (the instructions keep clang's offsets).
 */
class FixtureKernelLoadTest {

    @TestFactory
    Stream<DynamicNode> everyFixtureProgramLoadsIntoTheKernel() throws IOException {
        KernelAccess.assumeBpfPermitted();
        KernelAccess.assumeVmlinuxBtf();
        List<DynamicNode> objects = new ArrayList<>();
        for (Path object : FixtureObjects.littleEndian()) {
            CollectionSpec collection = ObjectLoader.load(object);
            List<DynamicTest> programs = collection.programs().values().stream()
                    .map(p -> DynamicTest.dynamicTest(p.name() + " (" + p.sectionName() + ")",
                            () -> assertKernelAccepts(collection, p)))
                    .toList();
            objects.add(DynamicContainer.dynamicContainer(object.getFileName().toString(), programs));
        }
        return objects.stream();
    }

    private static void assertKernelAccepts(CollectionSpec collection, ProgramSpec program) {
        if (program.type() == ProgramType.EXT || program.type() == ProgramType.STRUCT_OPS) {
            abort(program.type().kernelName() + " needs a target program or a struct_ops map to load against");
        }
        int attachBtfId = switch (AttachBtfIds.of(program)) {
            case AttachBtfIds.Resolution.NotNeeded n -> 0;
            case AttachBtfIds.Resolution.Found found -> found.id();
            case AttachBtfIds.Resolution.Unresolvable u -> abort(program.name() + ": " + u.reason());
        };
        assertKconfigReferencesPointAtExterns(collection, program);
        try (KernelMaps maps = KernelMaps.create(collection)) {
            Instructions patched = MapFdPatcher.patch(program, maps);
            var attributes = new BpfCommands.ProgramAttributes(program.name(), program.type().value(),
                    patched.encode(), program.license(), program.kernelVersion(), program.loadFlags(),
                    program.expectedAttachType().map(t -> t.value()).orElse(0), attachBtfId);
            switch (BpfCommands.loadProgram(attributes)) {
                case BpfCommands.LoadOutcome.Loaded loaded -> {
                    try (Fd fd = loaded.program()) {
                        assertTrue(fd.value() >= 0);
                    }
                }
                case BpfCommands.LoadOutcome.Rejected rejected -> {
                    skipIfOutsideTheLoader(collection, program, attributes, rejected);
                    fail(rejection(collection, program, patched, rejected));
                }
            }
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
        if (references.isEmpty()) {
            return;
        }
        Set<Integer> starts = collection.kconfigExterns().stream()
                .map(KconfigExtern::offset)
                .collect(Collectors.toSet());
        for (ProgramSpec.MapReference r : references) {
            assertTrue(r.value() && starts.contains(r.offset()), program.name() + ": " + r
                    + " does not point at a kconfig extern; externs start at " + collection.kconfigExterns());
        }
    }

    /**
     * Skips a rejection that is not the loader's doing: a known verdict on the fixture's code, or a kernel that
     * refuses this kind of program altogether (EPERM before any verification, even for {@code r0 = 0; exit}:
     * these machines refuse trampoline programs, fentry, fexit, fmod_ret and lsm, to libbpf as well).
     */
    private static void skipIfOutsideTheLoader(CollectionSpec collection, ProgramSpec program,
                                               BpfCommands.ProgramAttributes attributes,
                                               BpfCommands.LoadOutcome.Rejected rejected) {
        KnownKernelRejections.find(collection.name(), program.name(), rejected.log())
                .ifPresent(known -> abort("the kernel rejects this fixture's code whatever loads it ("
                        + known.message() + "): " + known.reason()));
        if (rejected.errno() == Errno.EPERM.value() && rejected.log().isBlank()) {
            byte[] minimal = new ProgramBuilder().mov64(Register.R0, 0).exit().build().encode();
            var probe = new BpfCommands.ProgramAttributes(attributes.name(), attributes.type(), minimal,
                    attributes.license(), attributes.kernelVersion(), attributes.flags(),
                    attributes.expectedAttachType(), attributes.attachBtfId());
            if (BpfCommands.loadProgram(probe) instanceof BpfCommands.LoadOutcome.Rejected minimalRejected
                    && minimalRejected.errno() == rejected.errno()) {
                abort("this kernel refuses every " + program.type().kernelName() + " program attached as "
                        + program.expectedAttachType().map(t -> t.kernelName()).orElse("(none)")
                        + " (EPERM before verification, even for r0 = 0; exit): not the loader's doing");
            }
        }
    }

    private static String rejection(CollectionSpec collection, ProgramSpec program, Instructions patched,
                                    BpfCommands.LoadOutcome.Rejected rejected) {
        return "the kernel rejects " + collection.name() + "/" + program.name() + " (" + program.type().kernelName()
                + ", section " + program.sectionName() + "): " + BpfSyscallException.describe(rejected.errno())
                + "\n--- verifier log ---\n" + rejected.log()
                + "\n--- ebpf4j's program, map fds patched in ---\n"
                + Disassembler.llvmObjdump().disassemble(patched);
    }
}
