package org.ebpf4j.linux;

import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapType;

/**
 * The running Linux kernel as a {@link Backend}: collections loaded through {@code bpf()}. {@link #open()} asks the
 * kernel whether this process may use {@code bpf()} at all, so that a missing privilege is one clear message
 * instead of a failure in the middle of a load.
 */
public final class LinuxBackend implements Backend {
    private LinuxBackend() {}

    /**
     * The backend, once the kernel has created the smallest map for this process: only the kernel knows the answer
     * (capabilities, {@code kernel.unprivileged_bpf_disabled}, seccomp, containers).
     *
     * @throws LinuxBpfException when {@code bpf()} is not permitted, saying what is needed
     * @throws UnsupportedOperationException on a system that is not Linux on x86_64 or aarch64
     */
    public static LinuxBackend open() {
        if (Syscalls.bpfNumber().isEmpty()) {
            throw new UnsupportedOperationException("the Linux backend needs Linux on x86_64 or aarch64; this is "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        var probe = new MapCommands.Definition("ebpf4j_probe", MapType.ARRAY, 4, 4, 1, 0, 0, 0, 0);
        try {
            MapCommands.create(probe).close();
        } catch (LinuxBpfException e) {
            Optional<Errno> errno = e.errno();
            if (errno.isPresent() && (errno.get() == Errno.EPERM || errno.get() == Errno.EACCES)) {
                throw new LinuxBpfException(BpfCommand.MAP_CREATE, e.errnoValue(), "bpf() is not permitted for this"
                        + " process (" + LinuxBpfException.describe(e.errnoValue()) + "): loading into the kernel"
                        + " needs root, or CAP_BPF (with CAP_PERFMON for tracing and CAP_NET_ADMIN for networking"
                        + " programs)");
            }
            throw e;
        }
        return new LinuxBackend();
    }

    @Override
    public String name() {
        return "linux";
    }

    /**
     * Loads {@code spec} into the kernel. Programs are verified by the kernel whatever {@link LoadOptions#verify()}
     * says: there is no unverified load into Linux.
     */
    @Override
    public LinuxCollection load(CollectionSpec spec, LoadOptions options) {
        return CollectionLoader.load(spec, options);
    }

    @Override
    public LinuxRingBuffer openRingBuffer(BpfMap map) {
        return LinuxRingBuffer.open(map);
    }

    @Override
    public LinuxPerfBuffer openPerfBuffer(BpfMap map, int pagesPerCpu) {
        return LinuxPerfBuffer.open(map, pagesPerCpu);
    }

    /** The number of possible CPUs: how many values a per-CPU map holds per key. */
    public int possibleCpus() {
        return RunningKernel.possibleCpus();
    }
}
