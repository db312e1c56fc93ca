package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebpf4j.api.VerifierException;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.btf.Member;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

/**
 * The backend resolves CO-RE against the running kernel's BTF, not the object's: the kernel's own verifier log of
 * core.c's {@code core_info} shows the instructions as relocated, with vmlinux's offset and size of
 * {@code task_struct.prio} in place of clang's, up to the first poisoned relocation ({@code nice}, which vmlinux's
 * task_struct lacks), where the kernel stops.
 */
class CoreRelocationAgainstVmlinuxTest {

    @Test
    void coreInfoCarriesTheKernelsFieldOffsetsUpToThePoisonedField() {
        LinuxBackend backend = KernelTests.backend();
        Btf vmlinux = RunningKernel.requireVmlinuxBtf("this test");
        int taskStruct = vmlinux.typeId("task_struct", BtfKind.STRUCT).orElseThrow();
        Member prio = vmlinux.member(taskStruct, "prio").orElseThrow();
        assertTrue(vmlinux.member(taskStruct, "nice").isEmpty(), "this kernel's task_struct has a 'nice' member");

        CollectionSpec core = FixtureObjects.load("core.v3.o");
        ProgramSpec coreInfo = core.program("core_info");
        assertEquals(CoreReloKind.FIELD_BYTE_OFFSET, coreInfo.coreRelocations().getFirst().kind());
        VerifierException rejected = assertThrows(VerifierException.class,
                () -> backend.load(FixtureObjects.withOnly(core, coreInfo)).close());
        String log = rejected.log();
        assertTrue(log.contains("0: (b7) r1 = " + prio.bitOffset() / 8), log);
        assertTrue(log.contains("1: (b7) r0 = " + vmlinux.sizeOf(prio.type())), log);
        assertTrue(log.contains("call unknown#195896080"), log);
    }
}
