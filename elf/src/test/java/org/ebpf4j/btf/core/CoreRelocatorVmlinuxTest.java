package org.ebpf4j.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.ebpf4j.btf.Btf;
import org.junit.jupiter.api.Test;

/**
 * Relocation against this machine's kernel, compared with what libbpf (bpftool prog loadall) patched when
 * core/build.sh loaded the same objects into that kernel, which accepted core/obj/kernel.o's programs. The values
 * are that kernel's, so the test runs only where /sys/kernel/btf/vmlinux is the very file they were recorded from.
 */
class CoreRelocatorVmlinuxTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @Test
    void kernelFixtureMatchesLibbpf() throws Exception {
        LibbpfLog log = LibbpfLog.read("kernel.vmlinux.txt");
        assertEquals("yes", log.header().get("loaded"), "the kernel accepted every program when recorded");
        int checked = LibbpfComparison.assertSameAsLibbpf(CoreObject.resource("core/obj/kernel.o"),
                recordedVmlinux(log), log);
        assertEquals(53, checked);
    }

    @Test
    void fixturesCoreObjectMatchesLibbpf() throws Exception {
        LibbpfLog log = LibbpfLog.read("core.v3.vmlinux.txt");
        int checked = LibbpfComparison.assertSameAsLibbpf(CoreObject.read(Path.of("..", "fixtures", "obj",
                "core.v3.o")), recordedVmlinux(log), log);
        assertEquals(21, checked);
    }

    private static Btf recordedVmlinux(LibbpfLog log) throws IOException, NoSuchAlgorithmException {
        assumeTrue(Files.isReadable(VMLINUX), "no " + VMLINUX + " on this machine (kernel without BTF)");
        byte[] bytes = Files.readAllBytes(VMLINUX);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assumeTrue(("sha256 " + sha).equals(log.header().get("vmlinux")), "this kernel's BTF is not the one the expected values "
                + "were recorded from (" + log.header().get("kernel") + "); rerun core/build.sh as root to record it");
        return Btf.parse(bytes);
    }
}
