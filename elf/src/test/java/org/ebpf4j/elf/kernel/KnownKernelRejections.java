package org.ebpf4j.elf.kernel;

import java.util.List;
import java.util.Optional;

/**
 * Fixture programs that the kernel rejects whatever loads them, because of what clang made of their C, not
 * because of the loader: libbpf gets the same verdict. Each is matched by the kernel's exact rejection message, so
 * a different rejection of the same program still fails the test.
 */
final class KnownKernelRejections {

    /** {@code object} is the fixture's name without its ISA level ({@code loops} for {@code loops.v3.o}). */
    record KnownRejection(String object, String program, String message, String reason) {}

    private static final List<KnownRejection> KNOWN = List.of(
            new KnownRejection("loops", "loops", "cannot return stack pointer to the caller",
                    "clang (-mcpu v2 and up) leaves a stack pointer in r0 when the void subprogram my_memcpy returns,"
                            + " and the kernel's verifier refuses any subprogram exit with a stack pointer in r0"),
            new KnownRejection("core", "core_fields", "R6 invalid mem access 'scalar'",
                    "core.c's struct trace_ctx is the fixture's own view of the context, not sched_switch's (whose"
                            + " first argument is bool preempt), and the program dereferences the 'task' it reads"
                            + " from it directly; libbpf would not find trace_ctx in vmlinux and poison the access"));

    private KnownKernelRejections() {}

    /** The known rejection of this program, if the log holds its message. */
    static Optional<KnownRejection> find(String collection, String program, String log) {
        String object = collection.contains(".") ? collection.substring(0, collection.indexOf('.')) : collection;
        return KNOWN.stream()
                .filter(k -> k.object().equals(object) && k.program().equals(program) && log.contains(k.message()))
                .findFirst();
    }
}
