package org.ebpf4j.runtime.maps;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R6;
import static org.ebpf4j.runtime.events.EventFixture.kernel;
import static org.ebpf4j.runtime.events.EventFixture.skipReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.linux.LinuxLink;
import org.ebpf4j.linux.LinuxLinks;
import org.ebpf4j.runtime.events.Built;
import org.ebpf4j.spec.HelperFlags;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * Stack ids are the kernel's: a tracepoint program stores the kernel and user stacks of every {@code openat} with
 * {@code bpf_get_stackid} while this test opens files, and every id the kernel chose must be the JVM's
 * {@code jhash2} of the stored addresses, masked to the bucket count (16384 here, so 14 bits of each hash are
 * checked).
 */
class StackIdsAgainstKernelTest {
    private static final int BUCKETS = 1 << 14;
    private static final int FRAMES = 64;

    @Test
    void everyStackIdIsTheJhashOfItsStack() throws IOException {
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/tracing/events/syscalls"))
                || Files.isDirectory(Path.of("/sys/kernel/debug/tracing/events/syscalls")), "no tracefs");
        Instructions code = new ProgramBuilder()
                .mov64(R6, R1)
                .lddwPseudo(R2, Opcode.PSEUDO_MAP_FD, 0)
                .mov64(R3, 0)
                .call(HelperFunction.GET_STACKID.value())
                .mov64(R1, R6)
                .lddwPseudo(R2, Opcode.PSEUDO_MAP_FD, 0)
                .mov64(R3, (int) HelperFlags.BPF_F_USER_STACK)
                .call(HelperFunction.GET_STACKID.value())
                .mov64(R0, 0)
                .exit()
                .build();
        MapSpec stacks = new MapSpec("stacks", MapType.STACK_TRACE, 4, 8 * FRAMES, BUCKETS, 0, MapPinning.NONE, 0,
                0, java.util.Optional.empty(), java.util.List.of(), false, 0, 0, MapSpec.Origin.LEGACY);
        try (Collection loaded = kernel.load(Built.collection(ProgramType.TRACEPOINT, code, stacks, stacks))) {
            try (LinuxLink link = LinuxLinks.tracepoint(loaded.program("prog"), "syscalls", "sys_enter_openat")) {
                Path file = Files.createTempFile("ebpf4j-stack", ".txt");
                for (int i = 0; i < 20; i++) {
                    Files.readAllBytes(file);
                }
                Files.delete(file);
            }
            BpfMap map = loaded.map("stacks");
            int checked = 0;
            int exact = 0;
            for (byte[] key : map.keys()) {
                int id = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt();
                long[] value = addresses(map.lookup(key).orElseThrow());
                // A stack may end in zero addresses (a user stack walk that ran out), which the value's zero
                // padding hides: the stack is the nonzero prefix and as many zeros after it as give the id.
                int length = nonzeroLength(value);
                int matching = length;
                while (matching < value.length
                        && (StackTraceMap.jhash2(Arrays.copyOf(value, matching)) & (BUCKETS - 1)) != id) {
                    matching++;
                }
                long[] stack = Arrays.copyOf(value, matching);
                assertEquals(id, StackTraceMap.jhash2(stack) & (BUCKETS - 1), "stack " + Arrays.toString(stack));
                checked++;
                exact += matching == length ? 1 : 0;
            }
            assertTrue(checked >= 2, checked + " stacks checked");
            assertTrue(exact >= 1, "no stack matched without trailing zeros");
        }
    }

    private static long[] addresses(byte[] value) {
        long[] all = new long[value.length / 8];
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(all);
        return all;
    }

    private static int nonzeroLength(long[] addresses) {
        int n = 0;
        for (int i = 0; i < addresses.length; i++) {
            if (addresses[i] != 0) {
                n = i + 1;
            }
        }
        return n;
    }
}
