package org.ebpf4j.runtime.helpers;

import static org.ebpf4j.spec.HelperFunction.GET_ATTACH_COOKIE;
import static org.ebpf4j.spec.HelperFunction.GET_CURRENT_CGROUP_ID;
import static org.ebpf4j.spec.HelperFunction.GET_CURRENT_COMM;
import static org.ebpf4j.spec.HelperFunction.GET_CURRENT_PID_TGID;
import static org.ebpf4j.spec.HelperFunction.GET_CURRENT_UID_GID;
import static org.ebpf4j.spec.HelperFunction.GET_FUNC_IP;
import static org.ebpf4j.spec.HelperFunction.GET_NUMA_NODE_ID;
import static org.ebpf4j.spec.HelperFunction.JIFFIES64;

import org.ebpf4j.spec.HelperFunction;

/**
 * The "current task" helpers for a program running in this JVM ({@link JvmProcess} says what each means), and the
 * attachment's {@code bpf_get_func_ip} and {@code bpf_get_attach_cookie}. The JVM knows no NUMA topology:
 * {@code bpf_get_numa_node_id} is 0, as on a single-node machine.
 */
public final class ProcessHelpers {
    private ProcessHelpers() {}

    public static HelperRegistry register(HelperRegistry helpers) {
        return with(with(with(with(with(with(with(with(helpers,
                GET_CURRENT_PID_TGID, (c, r1, r2, r3, r4, r5) -> JvmProcess.pidTgid()),
                GET_CURRENT_UID_GID, (c, r1, r2, r3, r4, r5) -> JvmProcess.uidGid()),
                GET_CURRENT_COMM, (c, buf, size, r3, r4, r5) -> currentComm(c, buf, size)),
                GET_CURRENT_CGROUP_ID, (c, r1, r2, r3, r4, r5) -> JvmProcess.cgroupId()),
                JIFFIES64, (c, r1, r2, r3, r4, r5) -> JvmProcess.jiffies64()),
                GET_NUMA_NODE_ID, (c, r1, r2, r3, r4, r5) -> 0),
                GET_FUNC_IP, (c, ctx, r2, r3, r4, r5) -> c.functionAddress()),
                GET_ATTACH_COOKIE, (c, ctx, r2, r3, r4, r5) -> c.attachCookie());
    }

    private static HelperRegistry with(HelperRegistry helpers, HelperFunction function, Helper helper) {
        return helpers.with(function.value(), function.kernelName(), helper);
    }

    /**
     * {@code long bpf_get_current_comm(char *buf, u32 size)}: strscpy_pad of the comm, so at most {@code size - 1}
     * bytes, a NUL and zeros to the end of the buffer; 0.
     */
    static long currentComm(HelperContext c, long buf, long size) {
        byte[] out = HelperMemory.buffer(size & 0xffff_ffffL, "bpf_get_current_comm");
        if (out.length > 0) {
            byte[] comm = JvmProcess.comm();
            System.arraycopy(comm, 0, out, 0, Math.min(comm.length, out.length - 1));
            c.memory().write(buf, out, 0, out.length);
        }
        return 0;
    }
}
