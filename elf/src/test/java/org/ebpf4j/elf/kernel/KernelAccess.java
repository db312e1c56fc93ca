package org.ebpf4j.elf.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ebpf4j.spec.MapType;

/**
 * Whether this machine lets the tests call {@code bpf()}: asked once, by creating the smallest array map, because
 * only the kernel knows (root without CAP_BPF in a container, {@code kernel.unprivileged_bpf_disabled}, seccomp).
 */
final class KernelAccess {
    static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");

    private static final Optional<String> BPF_UNAVAILABLE = probe();

    private KernelAccess() {}

    /** Skips the calling test, saying why, unless {@code bpf()} works here. */
    static void assumeBpfPermitted() {
        assumeTrue(BPF_UNAVAILABLE.isEmpty(), () -> BPF_UNAVAILABLE.orElseThrow());
    }

    /** Skips the calling test unless the kernel describes itself in BTF (attach targets are found there). */
    static void assumeVmlinuxBtf() {
        assumeTrue(Files.isReadable(VMLINUX_BTF),
                VMLINUX_BTF + " is absent or unreadable (kernel built without CONFIG_DEBUG_INFO_BTF)");
    }

    private static Optional<String> probe() {
        if (!System.getProperty("os.name", "").equals("Linux")
                || !System.getProperty("os.arch", "").equals("amd64")) {
            return Optional.of("bpf() is called by its x86_64 Linux number; this is "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        var probe = new BpfCommands.MapAttributes("probe", MapType.ARRAY.value(), 4, 4, 1, 0, 0, 0, 0);
        try {
            BpfCommands.createMap(probe).close();
            return Optional.empty();
        } catch (BpfSyscallException e) {
            return Optional.of("bpf() is not permitted here (" + BpfSyscallException.describe(e.errno())
                    + "): these tests need root or CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN");
        }
    }
}
