package org.ebpf4j.bench;

import org.ebpf4j.api.Backend;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;

/** Where a suite program runs: ebpf4j's interpreter, ebpf4j's JIT, or the running kernel's JIT. */
public enum SuiteTarget {
    INTERPRETER,
    JIT,
    KERNEL;

    /**
     * The backend; for {@link #KERNEL} a {@link org.ebpf4j.isa.BpfException} saying what is missing where this
     * process may not call {@code bpf()}.
     */
    Backend open() {
        return switch (this) {
            case INTERPRETER -> new JvmBackend();
            case JIT -> new JvmBackend().withEngine(Engine.JIT);
            case KERNEL -> LinuxBackend.open();
        };
    }

    /**
     * Verified, and without constant blinding: the kernel blinds only when {@code net.core.bpf_jit_harden} says so,
     * which by default (0) it does not for root, so the JIT compiles what the kernel's JIT compiles.
     */
    LoadOptions options() {
        return LoadOptions.defaults().withoutConstantBlinding();
    }

}
