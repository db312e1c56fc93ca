package org.ebpf4j.runtime.helpers;

import static org.ebpf4j.spec.HelperFunction.PROBE_READ;
import static org.ebpf4j.spec.HelperFunction.PROBE_READ_KERNEL;
import static org.ebpf4j.spec.HelperFunction.PROBE_READ_KERNEL_STR;
import static org.ebpf4j.spec.HelperFunction.PROBE_READ_STR;
import static org.ebpf4j.spec.HelperFunction.PROBE_READ_USER;
import static org.ebpf4j.spec.HelperFunction.PROBE_READ_USER_STR;

import java.util.Arrays;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFunction;

/**
 * {@code bpf_probe_read{,_user,_kernel}{,_str}}: copies from any address, where the kernel's "unsafe" address is
 * whatever the program holds. Only memory the runtime shows the program can be read (its stack, context, packet,
 * map values); any other address, or a copy that runs out of its region, is -EFAULT with the destination zeroed, as
 * when the kernel's nofault copy faults. The JVM has one address space, so the user, kernel and legacy forms are
 * alike. The destination must be writable memory of the program (the kernel's verifier guarantees it), else the
 * program faults.
 */
public final class ProbeReadHelpers {
    private ProbeReadHelpers() {}

    private static final long EFAULT = -Errno.EFAULT.value();

    public static HelperRegistry register(HelperRegistry helpers) {
        HelperRegistry h = helpers;
        for (HelperFunction f : new HelperFunction[] {PROBE_READ, PROBE_READ_USER, PROBE_READ_KERNEL}) {
            h = h.with(f.value(), f.kernelName(), (c, dst, size, src, r4, r5) -> read(c, dst, size, src, f));
        }
        for (HelperFunction f : new HelperFunction[] {PROBE_READ_STR, PROBE_READ_USER_STR, PROBE_READ_KERNEL_STR}) {
            h = h.with(f.value(), f.kernelName(), (c, dst, size, src, r4, r5) -> readString(c, dst, size, src, f));
        }
        return h;
    }

    /** {@code long bpf_probe_read_kernel(void *dst, u32 size, const void *unsafe_ptr)}: 0 or -EFAULT. */
    static long read(HelperContext c, long dst, long size, long src, HelperFunction f) {
        byte[] bytes = HelperMemory.buffer(size & 0xffff_ffffL, f.kernelName());
        long result = 0;
        try {
            c.memory().read(src, bytes, 0, bytes.length);
        } catch (MemoryAccessException e) {
            Arrays.fill(bytes, (byte) 0);
            result = EFAULT;
        }
        c.memory().write(dst, bytes, 0, bytes.length);
        return result;
    }

    /**
     * {@code long bpf_probe_read_kernel_str(void *dst, u32 size, const void *unsafe_ptr)}: strncpy_from_*_nofault.
     * The string and its NUL, cut to {@code size} bytes with the last one made NUL; returns the bytes written,
     * NUL included (0 for size 0). Bytes after the NUL are left as they were. -EFAULT with all {@code size} bytes
     * zeroed when the source leaves its region first.
     */
    static long readString(HelperContext c, long dst, long size, long src, HelperFunction f) {
        byte[] out = HelperMemory.buffer(size & 0xffff_ffffL, f.kernelName());
        if (out.length == 0) {
            return 0;
        }
        byte[] string;
        try {
            string = HelperMemory.string(c.memory(), src, out.length);
        } catch (MemoryAccessException e) {
            c.memory().write(dst, out, 0, out.length);
            return EFAULT;
        }
        int written = Math.min(string.length + 1, out.length);
        System.arraycopy(string, 0, out, 0, written - 1);
        c.memory().write(dst, out, 0, written);
        return written;
    }
}
