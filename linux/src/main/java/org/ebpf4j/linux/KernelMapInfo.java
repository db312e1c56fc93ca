package org.ebpf4j.linux;

import java.util.Optional;
import org.ebpf4j.spec.MapType;

/**
 * What the kernel says about a map ({@code struct bpf_map_info}), with {@code memlock} and {@code frozen} from the
 * fd's fdinfo, as bpftool shows them.
 *
 * @param typeNumber {@code type}, which {@link #type()} names when this ebpf4j knows it
 * @param btfId the map's BTF object, 0 without; {@code btfKeyTypeId} and {@code btfValueTypeId} are in it
 * @param memlock bytes the kernel charges, -1 when it does not say
 */
public record KernelMapInfo(int id, int typeNumber, String name, int keySize, int valueSize, int maxEntries,
                            int flags, long mapExtra, int btfId, int btfKeyTypeId, int btfValueTypeId, long memlock,
                            boolean frozen) {
    public Optional<MapType> type() {
        return MapType.of(typeNumber);
    }
}
