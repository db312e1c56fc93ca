package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.SkMsgMd;

/**
 * SK_MSG programs on the JVM (the kernel does not test-run them: ENOTSUPP): the test run's data is the message
 * ({@code data} to {@code data_end}, writable, given back as the program left it, {@code size} its length), the
 * optional context a {@code struct sk_msg_md} whose socket fields the caller states (zero-padded, the pointer
 * fields and {@code sk} unreadable as given), repeatable.
 */
final class SkMsgTestRun {
    private SkMsgTestRun() {}

    static TestRunResult run(String program, PreparedProgram prepared, TestRun run) {
        byte[] in = run.context() == null ? new byte[0] : run.context();
        if (in.length > SkMsgMd.SIZE) {
            throw new TestRunException(program, Errno.EINVAL, "struct sk_msg_md holds " + SkMsgMd.SIZE
                    + " bytes, not " + in.length);
        }
        ContextMemory context = new ContextMemory(SkMsgMd.LAYOUT);
        System.arraycopy(in, 0, context.image(), 0, in.length);
        byte[] message = run.data().clone();
        context.setU32("size", message.length);
        byte[] buffer = TestRunInput.packetArray(message);
        Region data = new Region("sk_msg data", buffer, 0, message.length, true);
        Runs.Timed timed = Runs.repeat(prepared, run.repeat(), Runs.packetAndContext(data, message.length, context));
        System.arraycopy(buffer, 0, message, 0, message.length);
        return new TestRunResult(timed.returnValue(), message, new byte[0], timed.nanosPerRun());
    }
}
