package org.ebpf4j.linux;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.spec.ProgramType;

/**
 * What the kernel says about a loaded program ({@code struct bpf_prog_info}), with the memory it charges
 * ({@code memlock} of the fd's fdinfo, as bpftool shows it).
 *
 * @param typeNumber {@code type}, which {@link #type()} names when this ebpf4j knows it
 * @param name the kernel's name, cut at 15 characters
 * @param fullName the name of the program's BTF function when {@code name} was cut (what bpftool shows), else
 *     {@code name}
 * @param tag the 8-byte tag (a hash of the instructions), as 16 hex digits
 * @param jitedLength {@code jited_prog_len} in bytes, 0 when not JIT-compiled
 * @param xlatedLength {@code xlated_prog_len}: the instructions after the verifier's rewrites, in bytes
 * @param loadTimeNanos {@code load_time}: nanoseconds since boot
 * @param mapIds the maps the program uses
 * @param btfId the program's BTF object, 0 without
 * @param runTimeNanos {@code run_time_ns}, counted only while statistics are enabled
 * @param runCount {@code run_cnt}, idem
 * @param memlock {@code memlock} bytes from fdinfo, -1 when the kernel does not say
 */
public record KernelProgramInfo(int id, int typeNumber, String name, String fullName, String tag, boolean gplCompatible,
                                int jitedLength, int xlatedLength, long loadTimeNanos, int createdByUid,
                                List<Integer> mapIds, int btfId, int funcInfoCount, int lineInfoCount,
                                long runTimeNanos, long runCount, long recursionMisses, int verifiedInstructions,
                                long memlock) {
    public KernelProgramInfo {
        mapIds = List.copyOf(mapIds);
    }

    public Optional<ProgramType> type() {
        return ProgramType.of(typeNumber);
    }

    /** The tag as bytes. */
    public byte[] tagBytes() {
        return HexFormat.of().parseHex(tag);
    }
}
