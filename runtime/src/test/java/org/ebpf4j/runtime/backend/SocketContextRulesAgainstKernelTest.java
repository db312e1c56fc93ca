package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ebpf4j.api.Backend;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.ContextField;
import org.ebpf4j.spec.context.ContextLayout;
import org.ebpf4j.spec.context.FieldAccess;
import org.ebpf4j.spec.context.ProgramContexts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contexts of the socket address, cgroup socket, socket lookup, sk_skb, lightweight tunnel, flow dissector,
 * cgroup device, sysctl and sockopt, netfilter, sock_ops and sk_msg programs
 * against the running kernel's verifier, for every attach type that changes them: each load (plain and
 * sign-extending) and store of each size at each offset of the context and around it, return values, and every
 * helper id, must get the kernel's verdict and message from ebpf4j's verifier, except the reads of kernel object
 * pointers (unsupported). Skipped where {@code bpf()} is not permitted.
 */
class SocketContextRulesAgainstKernelTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final String skipReason = BothBackends.skipReason();

    static Stream<Arguments> loads() {
        List<Arguments> all = new ArrayList<>();
        for (AttachType attach : List.of(AttachType.CGROUP_INET4_BIND, AttachType.CGROUP_INET6_BIND,
                AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_INET6_CONNECT, AttachType.CGROUP_UNIX_CONNECT,
                AttachType.CGROUP_INET4_GETPEERNAME, AttachType.CGROUP_INET6_GETPEERNAME,
                AttachType.CGROUP_UNIX_GETPEERNAME, AttachType.CGROUP_INET4_GETSOCKNAME,
                AttachType.CGROUP_INET6_GETSOCKNAME, AttachType.CGROUP_UNIX_GETSOCKNAME,
                AttachType.CGROUP_UDP4_SENDMSG, AttachType.CGROUP_UDP6_SENDMSG, AttachType.CGROUP_UNIX_SENDMSG,
                AttachType.CGROUP_UDP4_RECVMSG, AttachType.CGROUP_UDP6_RECVMSG, AttachType.CGROUP_UNIX_RECVMSG)) {
            all.add(Arguments.of(ProgramType.CGROUP_SOCK_ADDR, Optional.of(attach)));
        }
        for (AttachType attach : List.of(AttachType.CGROUP_INET_SOCK_CREATE, AttachType.CGROUP_INET_SOCK_RELEASE,
                AttachType.CGROUP_INET4_POST_BIND, AttachType.CGROUP_INET6_POST_BIND)) {
            all.add(Arguments.of(ProgramType.CGROUP_SOCK, Optional.of(attach)));
        }
        all.add(Arguments.of(ProgramType.CGROUP_SOCK, Optional.empty()));
        all.add(Arguments.of(ProgramType.SK_LOOKUP, Optional.of(AttachType.SK_LOOKUP)));
        all.add(Arguments.of(ProgramType.SK_SKB, Optional.empty()));
        all.add(Arguments.of(ProgramType.SK_SKB, Optional.of(AttachType.SK_SKB_STREAM_VERDICT)));
        all.add(Arguments.of(ProgramType.LWT_IN, Optional.empty()));
        all.add(Arguments.of(ProgramType.LWT_OUT, Optional.empty()));
        all.add(Arguments.of(ProgramType.LWT_XMIT, Optional.empty()));
        all.add(Arguments.of(ProgramType.FLOW_DISSECTOR, Optional.of(AttachType.FLOW_DISSECTOR)));
        all.add(Arguments.of(ProgramType.CGROUP_DEVICE, Optional.empty()));
        all.add(Arguments.of(ProgramType.CGROUP_DEVICE, Optional.of(AttachType.CGROUP_DEVICE)));
        all.add(Arguments.of(ProgramType.CGROUP_SYSCTL, Optional.empty()));
        all.add(Arguments.of(ProgramType.CGROUP_SYSCTL, Optional.of(AttachType.CGROUP_SYSCTL)));
        all.add(Arguments.of(ProgramType.CGROUP_SOCKOPT, Optional.of(AttachType.CGROUP_GETSOCKOPT)));
        all.add(Arguments.of(ProgramType.CGROUP_SOCKOPT, Optional.of(AttachType.CGROUP_SETSOCKOPT)));
        all.add(Arguments.of(ProgramType.NETFILTER, Optional.of(AttachType.NETFILTER)));
        all.add(Arguments.of(ProgramType.SOCK_OPS, Optional.empty()));
        all.add(Arguments.of(ProgramType.SOCK_OPS, Optional.of(AttachType.CGROUP_SOCK_OPS)));
        all.add(Arguments.of(ProgramType.SK_MSG, Optional.empty()));
        all.add(Arguments.of(ProgramType.SK_MSG, Optional.of(AttachType.SK_MSG_VERDICT)));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loads")
    void everyAccessGetsTheKernelsVerdict(ProgramType type, Optional<AttachType> attach) {
        assumeTrue(kernel != null, skipReason);
        ContextLayout layout = ProgramContexts.of(type, attach.map(AttachType::value).orElse(0)).orElseThrow();
        KernelVerdicts.Sweep sweep = KernelVerdicts.everyAccess(kernel, type, attach, 0,
                IntStream.range(-8, layout.size() + 8).boxed().toList());
        int accepted = sweep.accepted();
        List<String> unsupported = sweep.unsupported();
        System.out.println(type + " " + attach.map(AttachType::name).orElse("") + ": " + accepted
                + " context accesses accepted as by the kernel, the rest rejected with its message, except"
                + " (unsupported) " + unsupported);
        boolean onlyPointers = layout.fields().stream().allMatch(f -> f.access() == FieldAccess.KERNEL_POINTER);
        assertTrue(onlyPointers || accepted > 0);
        List<String> pointers = layout.fields().stream().filter(f -> f.access() == FieldAccess.KERNEL_POINTER)
                .map(ContextField::offset).map(off -> "read DW at " + off).toList();
        assertEquals(pointers, unsupported);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loads")
    void returnValuesAreTheKernels(ProgramType type, Optional<AttachType> attach) {
        assumeTrue(kernel != null, skipReason);
        for (int value : new int[] {0, 1, 2, 3, 4, -1}) {
            KernelVerdicts.compare(kernel, type, attach, 0, new ProgramBuilder().mov64(Register.R0, value).exit()
                    .build(), "return " + value);
        }
        KernelVerdicts.compare(kernel, type, attach, 0, new ProgramBuilder().mov64(Register.R0, Register.R1).exit()
                .build(), "return ctx");
    }

    /**
     * Every helper id called with r1-r5 zero: whether the type (and attach type) may call it (ProgramHelpers,
     * recorded from 6.18) and how its prototype treats zero arguments, where ebpf4j does not call it unsupported.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("loads")
    void helperCallsGetTheKernelsVerdict(ProgramType type, Optional<AttachType> attach) {
        assumeTrue(kernel != null, skipReason);
        int decided = KernelVerdicts.everyHelper(kernel, type, attach, 0);
        System.out.println(type + " " + attach.map(AttachType::name).orElse("") + ": 211 helper calls, " + decided
                + " decided as the kernel does, the rest unsupported");
        assertTrue(decided > 100);
    }
}
