package org.ebpf4j.elf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

/**
 * The harness's own checks: that an accepted load means something (the same program without its map fds is
 * rejected) and that the values it computes for the kernel are right.
 */
class KernelHarnessSelfTest {

    @Test
    void aProgramWhoseMapReferencesAreNotPatchedIsRejected() throws IOException {
        KernelAccess.assumeBpfPermitted();
        CollectionSpec globals = ObjectLoader.load(FixtureObjects.DIRECTORY.resolve("globals.v3.o"));
        ProgramSpec account = globals.program("account");
        // imm 0 in every map lddw: fd 0 is not a map, so the kernel must refuse what it accepts once patched.
        var unpatched = new BpfCommands.ProgramAttributes(account.name(), account.type().value(),
                account.instructions().encode(), account.license(), 0, account.loadFlags(), 0, 0);
        var rejected = assertInstanceOf(BpfCommands.LoadOutcome.Rejected.class, BpfCommands.loadProgram(unpatched));
        assertTrue(rejected.log().contains("fd 0 is not pointing to valid bpf_map"), rejected.log());
    }

    @Test
    void kernelVersionAsLinuxKernelVersionMacroComputesIt() {
        assertEquals(0x061203, KconfigValues.linuxKernelVersion("6.18.3"));
        assertEquals(0x0612ff, KconfigValues.linuxKernelVersion("6.18.300-custom"));
        assertEquals(0x060c00, KconfigValues.linuxKernelVersion("6.12-rc1"));
    }

    @Test
    void possibleCpuListsAreCountedAsLibbpfCountsThem() {
        assertEquals(1, PossibleCpus.count("0"));
        assertEquals(2, PossibleCpus.count("0-1"));
        assertEquals(7, PossibleCpus.count("0-3,8,10-11"));
    }
}
