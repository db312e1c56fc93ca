package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramLoadFlags;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The context rules of the tracing types and cgroup skb programs (and of XDP, socket filters and TC) against the
 * running kernel's verifier: one load
 * (plain and sign-extending) or store of each size at each offset of the context (and past it), must get the kernel's verdict
 * and message from ebpf4j's verifier; so must cgroup skb return values and the sleepable flag. Skipped where
 * {@code bpf()} is not permitted.
 */
class TracingContextRulesAgainstKernelTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final String skipReason = BothBackends.skipReason();
    private static final Size[] SIZES = {Size.B, Size.H, Size.W, Size.DW};

    @ParameterizedTest
    @EnumSource(value = ProgramType.class, names = {"KPROBE", "PERF_EVENT", "RAW_TRACEPOINT", "CGROUP_SKB",
            "TRACEPOINT", "SYSCALL", "XDP", "SOCKET_FILTER", "SCHED_CLS"})
    void everyAccessGetsTheKernelsVerdict(ProgramType type) {
        assumeTrue(kernel != null, skipReason);
        List<Integer> offsets = switch (type) {
            case TRACEPOINT -> concat(IntStream.range(-8, 24), IntStream.range(8168, 8200));
            case SYSCALL -> concat(IntStream.range(-8, 24), IntStream.range(32744, 32768));
            default -> IntStream.range(-8, 200).boxed().toList();
        };
        int flags = type == ProgramType.SYSCALL ? ProgramLoadFlags.BPF_F_SLEEPABLE : 0;
        int compared = 0;
        int accepted = 0;
        List<String> unsupported = new ArrayList<>();
        for (Size size : SIZES) {
            for (int off : offsets) {
                if (off + size.bytes > Short.MAX_VALUE + 1) {
                    continue;
                }
                Instructions read = new ProgramBuilder().ldx(size, Register.R0, Register.R1, off)
                        .mov64(Register.R0, 0).exit().build();
                Instructions write = new ProgramBuilder().mov64(Register.R2, 0)
                        .stx(size, Register.R1, off, Register.R2).mov64(Register.R0, 0).exit().build();
                List<Instructions> programs = new ArrayList<>(List.of(read, write));
                if (size != Size.DW) {
                    programs.add(new ProgramBuilder().ldxsx(size, Register.R0, Register.R1, off)
                            .mov64(Register.R0, 0).exit().build());
                }
                for (Instructions code : programs) {
                    String what = (code == read ? "read " : code == write ? "write " : "sign-extending read ") + size
                            + " at " + off;
                    switch (compare(type, Optional.empty(), flags, code, what)) {
                        case ACCEPTED -> accepted++;
                        case UNSUPPORTED -> unsupported.add(what);
                        case REJECTED -> { }
                    }
                }
                compared += programs.size();
            }
        }
        System.out.println(type + ": " + compared + " context accesses, " + accepted + " accepted as by the kernel,"
                + " the rest rejected with its message, except (unsupported) " + unsupported);
        assertTrue(accepted > 0);
        // Only __sk_buff->sk, a socket pointer, is beyond the walk.
        boolean sk = type == ProgramType.CGROUP_SKB || type == ProgramType.SCHED_CLS
                || type == ProgramType.SOCKET_FILTER;
        assertEquals(sk ? List.of("read DW at 168") : List.of(), unsupported);
    }

    @Test
    void cgroupSkbReturnValuesAreTheKernels() {
        assumeTrue(kernel != null, skipReason);
        for (Optional<AttachType> attach : List.of(Optional.<AttachType>empty(),
                Optional.of(AttachType.CGROUP_INET_INGRESS), Optional.of(AttachType.CGROUP_INET_EGRESS))) {
            for (int value : new int[] {0, 1, 2, 3, 4, -1}) {
                compare(ProgramType.CGROUP_SKB, attach, 0,
                        new ProgramBuilder().mov64(Register.R0, value).exit().build(), "return " + value);
            }
            // An unknown u32 (the packet's length), a pointer, and a sign-split range.
            compare(ProgramType.CGROUP_SKB, attach, 0, new ProgramBuilder().ldx(Size.W, Register.R0, Register.R1, 0)
                    .exit().build(), "return len");
            compare(ProgramType.CGROUP_SKB, attach, 0, new ProgramBuilder().mov64(Register.R0, Register.R1)
                    .exit().build(), "return ctx");
            compare(ProgramType.CGROUP_SKB, attach, 0, new ProgramBuilder().ldx(Size.W, Register.R0, Register.R1, 0)
                    .alu64(org.ebpf4j.isa.AluOp.AND, Register.R0, 1).alu64(org.ebpf4j.isa.AluOp.SUB, Register.R0, 1)
                    .exit().build(), "return len & 1 - 1");
        }
    }

    /** A syscall program's context is memory: moved pointers, variable offsets, helpers reading and writing it. */
    @Test
    void syscallContextUsedAsMemory() {
        assumeTrue(kernel != null, skipReason);
        for (String body : List.of(
                "r1 += 8\nr0 = *(u64 *)(r1 + 0x0)",
                "r1 += 8\n*(u32 *)(r1 + 0x4) = 1",
                "r2 = *(u8 *)(r1 + 0x0)\nr1 += r2\nr0 = *(u8 *)(r1 + 0x0)",
                // bpf_probe_read_kernel(ctx, 8, 0) writes the context; bpf_get_current_comm(ctx, 16)
                "r2 = 8\nr3 = 0\ncall 0x71",
                "r2 = 16\ncall 0x10",
                "r1 += -8\nr0 = *(u64 *)(r1 + 0x8)")) {
            Instructions code = org.ebpf4j.isa.text.Assembler.assemble(body + "\nr0 = 0\nexit\n");
            compare(ProgramType.SYSCALL, Optional.empty(), ProgramLoadFlags.BPF_F_SLEEPABLE, code,
                    body.replace('\n', ';'));
        }
    }

    /** cgroup skb programs read the packet directly but may not write it, nor let helpers write it. */
    @Test
    void cgroupSkbPacketIsReadOnly() {
        assumeTrue(kernel != null, skipReason);
        for (String body : List.of("r0 = *(u8 *)(r2 + 0x0)", "*(u8 *)(r2 + 0x0) = r0", "*(u16 *)(r2 + 0x0) = 7",
                "lock *(u32 *)(r2 + 0x0) += r0",
                // bpf_skb_load_bytes(skb, 0, pkt, 1) and bpf_skb_load_bytes_relative(skb, 0, pkt, 1, 0)
                "r1 = r6\nr3 = r2\nr2 = 0\nr4 = 1\ncall 0x1a",
                "r1 = r6\nr3 = r2\nr2 = 0\nr4 = 1\nr5 = 0\ncall 0x44",
                // bpf_map_lookup_elem with a key in the packet needs no write
                "r1 = 0\nr2 = r2\nr0 = 0")) {
            String source = "r6 = r1\nr2 = *(u32 *)(r1 + 0x4c)\nr3 = *(u32 *)(r1 + 0x50)\nr0 = 0\nr4 = r2\n"
                    + "r4 += 8\nif r4 > r3 goto +LEN\n" + body + "\nr0 = 1\nexit\n";
            int len = (int) body.lines().count() + 1;
            Instructions code = org.ebpf4j.isa.text.Assembler.assemble(source.replace("LEN", Integer.toString(len)));
            compare(ProgramType.CGROUP_SKB, Optional.empty(), 0, code, body.replace('\n', ';'));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProgramType.class, names = {"KPROBE", "PERF_EVENT", "RAW_TRACEPOINT", "CGROUP_SKB",
            "TRACEPOINT", "SYSCALL"})
    void sleepableFlagAsTheKernelDecides(ProgramType type) {
        assumeTrue(kernel != null, skipReason);
        Instructions code = new ProgramBuilder().mov64(Register.R0, 0).exit().build();
        compare(type, Optional.empty(), 0, code, "not sleepable");
        compare(type, Optional.empty(), ProgramLoadFlags.BPF_F_SLEEPABLE, code, "sleepable");
    }

    /**
     * Every helper id called with r1-r5 zero (after the context was saved), from each type: whether the type may
     * call it (ProgramHelpers, recorded from 6.18) and how its prototype treats zero arguments must be the kernel's,
     * where ebpf4j's verifier does not call the helper unsupported.
     */
    @ParameterizedTest
    @EnumSource(value = ProgramType.class, names = {"KPROBE", "PERF_EVENT", "RAW_TRACEPOINT", "CGROUP_SKB",
            "TRACEPOINT", "SYSCALL"})
    void helperCallsGetTheKernelsVerdict(ProgramType type) {
        assumeTrue(kernel != null, skipReason);
        int flags = type == ProgramType.SYSCALL ? ProgramLoadFlags.BPF_F_SLEEPABLE : 0;
        int decided = 0;
        for (int id = 1; id <= 211; id++) {
            ProgramBuilder b = new ProgramBuilder();
            for (Register r : List.of(Register.R1, Register.R2, Register.R3, Register.R4, Register.R5)) {
                b.mov64(r, 0);
            }
            Instructions code = b.call(id).mov64(Register.R0, 0).exit().build();
            if (compare(type, Optional.empty(), flags, code, "call #" + id) != Outcome.UNSUPPORTED) {
                decided++;
            }
        }
        System.out.println(type + ": 211 helper calls, " + decided + " decided as the kernel does, the rest"
                + " unsupported");
        assertTrue(decided > 100);
    }

    private enum Outcome { ACCEPTED, REJECTED, UNSUPPORTED }

    /**
     * Loads {@code code} in the kernel and verifies it here: the same verdict and message, or a feature ebpf4j's
     * verifier names as unsupported (callers assert where that may happen).
     */
    private static Outcome compare(ProgramType type, Optional<AttachType> attach, int flags, Instructions code,
                                   String what) {
        ProgramSpec program = new ProgramSpec("ctx", "ctx", type, attach, new AttachTarget.None(), flags, "GPL", 0,
                code, List.of(), List.of(), List.of(), List.of());
        CollectionSpec spec = new CollectionSpec("ctx", Map.of("ctx", program), Map.of(), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
        String expected;
        try (Collection loaded = kernel.load(spec)) {
            expected = "accept";
        } catch (VerifierException e) {
            expected = lastLine(e.log());
        }
        Verdict ours = Verifier.verify(code, new VerifierOptions(type.value(),
                attach.map(AttachType::value).orElse(0), flags, true));
        if (ours instanceof Verdict.Rejected r && r.cause() == Verdict.Cause.UNSUPPORTED) {
            return Outcome.UNSUPPORTED;
        }
        String actual = ours instanceof Verdict.Rejected r ? r.message() : "accept";
        assertEquals(expected, actual, type + " " + what);
        return actual.equals("accept") ? Outcome.ACCEPTED : Outcome.REJECTED;
    }

    /** The kernel log's last line, the message (without the statistics line). */
    static String lastLine(String log) {
        String last = "";
        for (String line : log.split("\n")) {
            if (!line.isBlank() && !line.startsWith("processed ")) {
                last = line.strip();
            }
        }
        return last;
    }

    private static List<Integer> concat(IntStream a, IntStream b) {
        List<Integer> all = new ArrayList<>(a.boxed().toList());
        all.addAll(b.boxed().toList());
        return all;
    }
}
