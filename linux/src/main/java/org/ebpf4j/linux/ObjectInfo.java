package org.ebpf4j.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.btf.Btf;

/** Reads {@code BPF_OBJ_GET_INFO_BY_FD} into {@link KernelProgramInfo} and {@link KernelMapInfo}. */
final class ObjectInfo {
    private ObjectInfo() {}

    static KernelProgramInfo program(Fd program, String describe) {
        try (Arena arena = Arena.ofConfined()) {
            Attr info = Attr.of(arena, BpfAttrLayouts.PROG_INFO);
            ObjectCommands.info(program, BpfAttrLayouts.PROG_INFO, info, describe);
            int mapCount = info.u32("nr_map_ids");
            List<Integer> mapIds = new ArrayList<>();
            if (mapCount > 0) {
                // A second call with room for the ids; only nr_map_ids and map_ids are set, so the rest is ignored.
                MemorySegment ids = arena.allocate(ValueLayout.JAVA_INT, mapCount);
                Attr again = Attr.of(arena, BpfAttrLayouts.PROG_INFO)
                        .u32("nr_map_ids", mapCount)
                        .pointer("map_ids", ids);
                ObjectCommands.info(program, BpfAttrLayouts.PROG_INFO, again, describe);
                int written = Math.min(mapCount, again.u32("nr_map_ids"));
                for (int i = 0; i < written; i++) {
                    mapIds.add(ids.getAtIndex(ValueLayout.JAVA_INT, i));
                }
            }
            String name = info.objectName("name");
            String fullName = name.length() == BpfAttrLayouts.OBJ_NAME_LEN - 1 && info.u32("btf_id") != 0
                    && info.u32("nr_func_info") > 0 ? btfFunctionName(program, info.u32("btf_id"), describe)
                    .orElse(name) : name;
            return new KernelProgramInfo(info.u32("id"), info.u32("type"), name, fullName,
                    HexFormat.of().formatHex(info.bytes("tag", 8)), (info.u32("gpl_compatible") & 1) != 0,
                    info.u32("jited_prog_len"), info.u32("xlated_prog_len"), info.u64("load_time"),
                    info.u32("created_by_uid"), mapIds, info.u32("btf_id"), info.u32("nr_func_info"),
                    info.u32("nr_line_info"), info.u64("run_time_ns"), info.u64("run_cnt"),
                    info.u64("recursion_misses"), info.u32("verified_insns"),
                    fdinfo(program, "memlock").map(Long::parseLong).orElse(-1L));
        }
    }

    static KernelMapInfo map(Fd map, String describe) {
        try (Arena arena = Arena.ofConfined()) {
            Attr info = Attr.of(arena, BpfAttrLayouts.MAP_INFO);
            ObjectCommands.info(map, BpfAttrLayouts.MAP_INFO, info, describe);
            return new KernelMapInfo(info.u32("id"), info.u32("type"), info.objectName("name"),
                    info.u32("key_size"), info.u32("value_size"), info.u32("max_entries"), info.u32("map_flags"),
                    info.u64("map_extra"), info.u32("btf_id"), info.u32("btf_key_type_id"),
                    info.u32("btf_value_type_id"), fdinfo(map, "memlock").map(Long::parseLong).orElse(-1L),
                    fdinfo(map, "frozen").map(v -> !v.equals("0")).orElse(false));
        }
    }

    /** The name of the program's first function in its BTF: the whole name, which the kernel cuts at 15. */
    private static Optional<String> btfFunctionName(Fd program, int btfId, String describe) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment funcInfo = arena.allocate(KernelBtf.FUNC_INFO_SIZE);
            Attr info = Attr.of(arena, BpfAttrLayouts.PROG_INFO)
                    .u32("nr_func_info", 1)
                    .u32("func_info_rec_size", KernelBtf.FUNC_INFO_SIZE)
                    .pointer("func_info", funcInfo);
            ObjectCommands.info(program, BpfAttrLayouts.PROG_INFO, info, describe);
            int typeId = funcInfo.get(ValueLayout.JAVA_INT, 4);
            Btf btf = btf(btfId);
            return typeId > 0 && typeId <= btf.lastTypeId() ? Optional.of(btf.type(typeId).name())
                    : Optional.empty();
        }
    }

    /** The BTF object with this id, read back from the kernel. */
    static Btf btf(int id) {
        try (Fd fd = ObjectCommands.open(ObjectCommands.Kind.BTF, id); Arena arena = Arena.ofConfined()) {
            String describe = "BTF id " + id;
            Attr sizeOnly = Attr.of(arena, BpfAttrLayouts.BTF_INFO);
            ObjectCommands.info(fd, BpfAttrLayouts.BTF_INFO, sizeOnly, describe);
            int size = sizeOnly.u32("btf_size");
            MemorySegment blob = arena.allocate(size);
            Attr info = Attr.of(arena, BpfAttrLayouts.BTF_INFO).u32("btf_size", size).pointer("btf", blob);
            ObjectCommands.info(fd, BpfAttrLayouts.BTF_INFO, info, describe);
            return Btf.parse(blob.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** A line {@code key:\tvalue} of {@code /proc/self/fdinfo/FD}, where the kernel shows what info lacks. */
    static Optional<String> fdinfo(Fd object, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(object.value())))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equals(key)) {
                    return Optional.of(line.substring(colon + 1).strip());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
