package org.ebpf4j.runtime.maps;

import org.ebpf4j.api.Backend;
import org.ebpf4j.api.contract.BpfMapContract;
import org.ebpf4j.runtime.backend.JvmBackend;


/** The JVM backend's maps held to the map contract recorded from the Linux kernel. */
class JvmMapContractTest extends BpfMapContract {
    private static final int CPUS = 4;

    @Override
    protected Backend backend() {
        return new JvmBackend().withCpus(CPUS);
    }

    @Override
    protected int possibleCpus() {
        return CPUS;
    }
}
