package org.ebpf4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.isa.BpfException;

/** What this backend asks of the kernel it runs on: its release, its possible CPUs and its BTF. */
final class RunningKernel {
    static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");
    private static final Path RELEASE = Path.of("/proc/sys/kernel/osrelease");
    private static final Path POSSIBLE_CPUS = Path.of("/sys/devices/system/cpu/possible");
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    private static volatile Btf vmlinux;

    private RunningKernel() {}

    /** {@code uname -r}: {@code 6.18.44-fc-v657}. */
    static String release() {
        try {
            return Files.readString(RELEASE).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    /** {@code KERNEL_VERSION(a, b, c)} of a release like {@code 6.18.44-fc}: the patch level saturates at 255. */
    static int versionCode(String release) {
        Matcher m = VERSION.matcher(release);
        if (!m.find()) {
            throw new BpfException("kernel release '" + release + "' does not start with a version");
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return Integer.parseInt(m.group(1)) << 16 | Integer.parseInt(m.group(2)) << 8 | Math.min(patch, 255);
    }

    /**
     * The number of possible CPUs: per-CPU map values hold one slot per possible CPU (the kernel copies them
     * {@code for_each_possible_cpu}), and unsized perf event arrays get one entry each.
     */
    static int possibleCpus() {
        try {
            return possibleCpus(Files.readString(POSSIBLE_CPUS).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POSSIBLE_CPUS, e);
        }
    }

    /** Counts a CPU list like {@code 0-3,8,10-11} (7 CPUs). */
    static int possibleCpus(String list) {
        int n = 0;
        for (String range : list.split(",")) {
            int dash = range.indexOf('-');
            n += dash < 0 ? 1
                    : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
        }
        return n;
    }

    /** The kernel's own BTF, read once; empty when the kernel was built without it. */
    static Optional<Btf> vmlinuxBtf() {
        Btf btf = vmlinux;
        if (btf == null && Files.isReadable(VMLINUX_BTF)) {
            synchronized (RunningKernel.class) {
                if (vmlinux == null) {
                    try {
                        vmlinux = Btf.parse(Files.readAllBytes(VMLINUX_BTF));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + VMLINUX_BTF, e);
                    }
                }
                btf = vmlinux;
            }
        }
        return Optional.ofNullable(btf);
    }

    static Btf requireVmlinuxBtf(String why) {
        return vmlinuxBtf().orElseThrow(() -> new BpfException(why + " needs the kernel's BTF, but " + VMLINUX_BTF
                + " is absent or unreadable (kernel built without CONFIG_DEBUG_INFO_BTF)"));
    }
}
