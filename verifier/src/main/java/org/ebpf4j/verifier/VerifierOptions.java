package org.ebpf4j.verifier;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.helper.HelperPrototype;

/**
 * How a program is loaded, as the fields of {@code BPF_PROG_LOAD} that the verifier reads, plus the maps the
 * program refers to.
 *
 * @param programType the kernel's {@code BPF_PROG_TYPE_*} number
 * @param expectedAttachType the kernel's {@code BPF_*} attach type number (0 when none)
 * @param programFlags {@code prog_flags} ({@link org.ebpf4j.spec.ProgramLoadFlags})
 * @param privileged true for a loader holding CAP_BPF and CAP_PERFMON (root), false for the unprivileged subset
 * @param license the program's license string; GPL-only helpers need a GPL-compatible one
 * @param maps the maps the program's lddw instructions name: with {@code src_reg} 1 ({@code BPF_PSEUDO_MAP_FD}) or
 *     5 ({@code BPF_PSEUDO_MAP_IDX}), {@code imm} is an index into this list (where the kernel has a file
 *     descriptor or an {@code fd_array} index); with 2 or 6 (map value) the same, and the second half's
 *     {@code imm} is the offset into the value. A frozen {@code BPF_F_RDONLY_PROG} map's contents (the first
 *     entry's value) are read as constants, as the kernel reads frozen read-only maps: such a map's contents must
 *     be exactly what the program will find there (for {@code .kconfig}, the values the backend fills in).
 * @param functions the program's BTF func_info, one record per subprogram in order; empty when the program comes
 *     without BTF (then every subprogram is static, and function addresses are refused as the kernel refuses them)
 * @param javaHelpers prototypes of helpers the loader's application provides beyond the kernel's, by id
 *     ({@link HelperPrototype#custom}); calls to them are checked against these prototypes
 */
public record VerifierOptions(int programType, int expectedAttachType, int programFlags, boolean privileged,
                              String license, List<MapSpec> maps, List<FunctionInfo> functions,
                              Map<Integer, HelperPrototype> javaHelpers) {

    /** license_is_gpl_compatible (include/linux/license.h). */
    private static final Set<String> GPL_COMPATIBLE = Set.of("GPL", "GPL v2", "GPL and additional rights",
            "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL");

    public VerifierOptions {
        Objects.requireNonNull(license);
        maps = List.copyOf(maps);
        functions = List.copyOf(functions);
        javaHelpers = Map.copyOf(javaHelpers);
        javaHelpers.forEach((id, prototype) -> {
            if (id != prototype.id() || prototype.kernelHelper().isPresent()) {
                throw new IllegalArgumentException("helper " + id + ": " + prototype.displayName()
                        + " is not a Java helper's prototype with that id");
            }
        });
    }

    /** Options without func_info and without Java helpers. */
    public VerifierOptions(int programType, int expectedAttachType, int programFlags, boolean privileged,
                           String license, List<MapSpec> maps) {
        this(programType, expectedAttachType, programFlags, privileged, license, maps, List.of(), Map.of());
    }

    /** A GPL program without maps. */
    public VerifierOptions(int programType, int expectedAttachType, int programFlags, boolean privileged) {
        this(programType, expectedAttachType, programFlags, privileged, "GPL", List.of());
    }

    /** A privileged socket filter, the kernel's test_verifier default. */
    public static VerifierOptions socketFilter() {
        return new VerifierOptions(ProgramType.SOCKET_FILTER.value(), 0, 0, true);
    }

    /** These options with the maps the program's lddw indices name. */
    public VerifierOptions withMaps(List<MapSpec> newMaps) {
        return new VerifierOptions(programType, expectedAttachType, programFlags, privileged, license, newMaps,
                functions, javaHelpers);
    }

    /** These options with another license string. */
    public VerifierOptions withLicense(String newLicense) {
        return new VerifierOptions(programType, expectedAttachType, programFlags, privileged, newLicense, maps,
                functions, javaHelpers);
    }

    /** These options for a loader with CAP_BPF and CAP_PERFMON ({@code newPrivileged}) or without them. */
    public VerifierOptions withPrivileged(boolean newPrivileged) {
        return new VerifierOptions(programType, expectedAttachType, programFlags, newPrivileged, license, maps,
                functions, javaHelpers);
    }

    /** These options with the prototypes of the Java helpers the program may call. */
    public VerifierOptions withJavaHelpers(Collection<HelperPrototype> prototypes) {
        Map<Integer, HelperPrototype> byId = new HashMap<>();
        prototypes.forEach(p -> byId.put(p.id(), p));
        return new VerifierOptions(programType, expectedAttachType, programFlags, privileged, license, maps,
                functions, byId);
    }

    /** These options with the program's BTF func_info. */
    public VerifierOptions withFunctions(List<FunctionInfo> newFunctions) {
        return new VerifierOptions(programType, expectedAttachType, programFlags, privileged, license, maps,
                newFunctions, javaHelpers);
    }

    /** Whether the license lets the program call GPL-only helpers. */
    public boolean gplCompatible() {
        return GPL_COMPATIBLE.contains(license);
    }
}
