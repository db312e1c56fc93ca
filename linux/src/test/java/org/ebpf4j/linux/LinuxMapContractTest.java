package org.ebpf4j.linux;

import org.ebpf4j.api.Backend;
import org.ebpf4j.api.contract.BpfMapContract;

/** The map contract on the running kernel: where the contract's expectations were recorded. */
class LinuxMapContractTest extends BpfMapContract {
    @Override
    protected Backend backend() {
        return KernelTests.backend();
    }

    @Override
    protected int possibleCpus() {
        return KernelTests.backend().possibleCpus();
    }
}
