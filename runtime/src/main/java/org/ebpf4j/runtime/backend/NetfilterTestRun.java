package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.BpfNfCtx;

/**
 * {@code bpf_prog_test_run_nf} (net/bpf/test_run.c) without a context: the hook is NF_INET_LOCAL_OUT for IPv4, so
 * the data is a packet from its IP header (at least a {@code struct iphdr}, at most what a page holds with the test
 * skb's headroom and tailroom, else EINVAL), and nothing comes back but the return value. The program's context
 * holds only kernel pointers ({@code state}, {@code skb}), which neither the verifier nor the engines offer, so the
 * packet does not reach the program on the JVM. A {@code struct nf_hook_state} context (another hook or family) is
 * not supported yet.
 */
final class NetfilterTestRun {
    private NetfilterTestRun() {}

    /** sizeof(struct iphdr): the shortest packet the kernel takes. */
    private static final int IPV4_HEADER = 20;

    static TestRunResult run(String program, PreparedProgram prepared, TestRun run) {
        if (run.context() != null && run.context().length > 0) {
            throw new UnsupportedOperationException("the JVM's netfilter test run takes no struct nf_hook_state yet"
                    + " (program '" + program + "')");
        }
        int size = run.data().length;
        int max = TestRunInput.PAGE_SIZE - SkbTestRun.HEADROOM - TestRunInput.SHARED_INFO;
        if (size < IPV4_HEADER || size > max) {
            throw new TestRunException(program, Errno.EINVAL, "packet of " + size + " bytes, the type takes "
                    + IPV4_HEADER + " to " + max);
        }
        ContextMemory context = new ContextMemory(BpfNfCtx.LAYOUT);
        Runs.Timed timed = Runs.repeat(prepared, run.repeat(), invocation -> invocation.map(context.region()));
        return new TestRunResult(timed.returnValue(), new byte[0], new byte[0], timed.nanosPerRun());
    }
}
