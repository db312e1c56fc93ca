package org.ebpf4j.runtime.maps;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.contract.BpfMapContract;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;

/**
 * The JVM maps held to the map contract recorded from the Linux kernel. The JVM backend proper (programs, test
 * runs) is issue 4's next step; the contract only needs maps, so this test loads maps-only collections itself.
 */
class JvmMapContractTest extends BpfMapContract {
    private static final int CPUS = 4;

    @Override
    protected Backend backend() {
        return new MapsOnly();
    }

    @Override
    protected int possibleCpus() {
        return CPUS;
    }

    /** Creates the maps of a collection that has no programs. */
    private static final class MapsOnly implements Backend {
        @Override
        public String name() {
            return "jvm maps";
        }

        @Override
        public Collection load(CollectionSpec spec, LoadOptions options) {
            if (!spec.programs().isEmpty()) {
                throw new IllegalArgumentException("this test backend loads maps only");
            }
            Map<String, BpfMap> maps = new LinkedHashMap<>();
            for (MapSpec m : spec.maps().values()) {
                maps.put(m.name(), JvmMaps.create(m, CPUS));
            }
            return new Collection() {
                @Override
                public Map<String, Program> programs() {
                    return Map.of();
                }

                @Override
                public Map<String, BpfMap> maps() {
                    return maps;
                }

                @Override
                public void close() {
                    maps.values().forEach(BpfMap::close);
                }
            };
        }
    }
}
