package org.ebpf4j.linux;

import java.util.List;
import java.util.Optional;

/**
 * Fixture programs that the kernel rejects whatever loads them, because of what clang made of their C, not
 * because of the loader: libbpf gets the same verdict. Each is matched by the kernel's exact rejection message, so
 * a different rejection of the same program still fails the test. The callbacks entries are the exception, and
 * say so: the kernel wants the object's BTF func_info for them, which this backend does not pass yet (issue 6);
 * once it does, their messages no longer match and the programs must load.
 */
final class KnownKernelRejections {

    /** {@code object} is the fixture's name without its ISA level ({@code core} for {@code core.v3.o}). */
    record KnownRejection(String object, String program, String message, String reason) {}

    private static final List<KnownRejection> KNOWN = List.of(
            new KnownRejection("core", "core_fields", "invalid func unknown#195896080",
                    "core.c's struct trace_ctx is the fixture's own view of the context and is not in vmlinux, so"
                            + " CO-RE poisons the access to ctx->task (as libbpf does: it did not load either), and"
                            + " the poisoned call (helper 0xbad2310) is reachable"),
            new KnownRejection("core", "core_info", "invalid func unknown#195896080",
                    "vmlinux's task_struct has no member 'nice', so CO-RE poisons core.c's field-info relocations"
                            + " of t->nice (as libbpf does: it did not load either) and the poisoned call is reachable;"
                            + " the relocations before it are the kernel's values (CoreRelocationAgainstVmlinuxTest)"),
            new KnownRejection("callbacks", "from_sub", "tail_call is not allowed in subprogs without BTF",
                    "the loader's gap, not clang's: a tail call from a subprogram needs the object's BTF func_info,"
                            + " which the Linux backend does not pass to the kernel yet"),
            new KnownRejection("callbacks", "loops", "missing btf func_info",
                    "the loader's gap, not clang's: bpf_loop and bpf_for_each_map_elem callbacks need the object's"
                            + " BTF func_info, which the Linux backend does not pass to the kernel yet"));

    private KnownKernelRejections() {}

    /** The known rejection of this program, if the log holds its message. */
    static Optional<KnownRejection> find(String collection, String program, String log) {
        String object = collection.contains(".") ? collection.substring(0, collection.indexOf('.')) : collection;
        return KNOWN.stream()
                .filter(k -> k.object().equals(object) && k.program().equals(program) && log.contains(k.message()))
                .findFirst();
    }
}
