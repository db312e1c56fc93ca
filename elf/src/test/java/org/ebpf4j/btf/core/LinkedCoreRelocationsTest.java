package org.ebpf4j.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The loader carries each function's CO-RE relocations into every linked program that contains the function, at
 * the function's new slots: the same records, moved by the function's base.
 */
class LinkedCoreRelocationsTest {

    @TestFactory
    Stream<DynamicTest> linkedProgramsKeepEachFunctionsRelocations() {
        return Stream.of("core/obj/local.o", "core/obj/kernel.o", "btf/obj/core.el.o").map(path ->
                DynamicTest.dynamicTest(path, () -> check(path)));
    }

    private static void check(String path) throws IOException {
        CoreObject object = CoreObject.resource(path);
        CollectionSpec spec = ObjectLoader.load(CoreObject.RESOURCES.resolve(path));
        for (ProgramSpec program : spec.programs().values()) {
            List<ProgramSpec.CoreRelocation> expected = new ArrayList<>();
            for (ProgramSpec.FunctionStart f : program.functions()) {
                CoreObject.Function function = object.functions().stream()
                        .filter(g -> g.name().equals(f.name())).findFirst().orElseThrow();
                for (ProgramSpec.CoreRelocation r : function.relocations()) {
                    expected.add(new ProgramSpec.CoreRelocation(f.slot() + r.slot(), r.kind(), r.localTypeId(),
                            r.accessString()));
                }
            }
            expected.sort(java.util.Comparator.comparingInt(ProgramSpec.CoreRelocation::slot));
            assertEquals(expected, program.coreRelocations(), program.name());
        }
    }
}
