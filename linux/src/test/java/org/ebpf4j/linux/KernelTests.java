package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assumptions.abort;

/** The backend for kernel tests, or a skip saying why this machine cannot run them. */
final class KernelTests {
    private static final Object BACKEND = open();

    private KernelTests() {}

    static LinuxBackend backend() {
        if (BACKEND instanceof LinuxBackend backend) {
            return backend;
        }
        return abort((String) BACKEND);
    }

    private static Object open() {
        try {
            return LinuxBackend.open();
        } catch (LinuxBpfException | UnsupportedOperationException e) {
            return e.getMessage() + " (these tests need bpf(): run them as root)";
        }
    }
}
