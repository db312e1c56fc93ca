package org.ebpf4j.runtime.backend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.helper.HelperPrototype;
import org.ebpf4j.verifier.LogOptions;
import org.ebpf4j.verifier.ProgramFunctions;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;

/**
 * Runs ebpf4j's verifier on a program as the JVM backend will load it: as root would in the kernel (privileged),
 * with the maps exactly as created (filled {@code .kconfig}, frozen {@code .rodata}). The verifier reads a map lddw's
 * imm as an index into its map list, where the kernel reads a file descriptor, so each reference is numbered here
 * the way the Linux backend puts fds in.
 */
public final class ProgramVerification {
    private ProgramVerification() {}

    /** The collection's maps as the JVM backend creates them: {@code .kconfig} filled from {@code kconfig}. */
    public static Map<String, MapSpec> mapsAsCreated(CollectionSpec collection, Map<String, Long> kconfig) {
        Map<String, MapSpec> created = new LinkedHashMap<>();
        for (MapSpec m : collection.maps().values()) {
            created.put(m.name(), m.origin() == MapSpec.Origin.KCONFIG ? JvmKconfig.filled(collection, m, kconfig)
                    : m);
        }
        return created;
    }

    /**
     * Verifies with a log at {@code logLevel}; at level 0 without one, as the kernel's level 0 costs nothing, and
     * a rejection is then verified again at level 1 for its log, as libbpf retries a refused load.
     *
     * @return the accepted verdict (its statistics, and its log above level 0)
     * @throws VerifierException when the verifier rejects the program, or meets what it cannot check yet
     */
    static Verdict.Accepted verify(ProgramSpec program, Map<String, MapSpec> maps, Optional<Btf> btf,
                                   Collection<HelperPrototype> javaHelpers, int logLevel) {
        return switch (verdict(program, maps, btf, javaHelpers, true, LogOptions.level(logLevel))) {
            case Verdict.Accepted accepted -> accepted;
            case Verdict.Rejected quiet -> {
                Verdict logged = verdict(program, maps, btf, javaHelpers, true, LogOptions.level(1));
                Verdict.Rejected rejected = logged instanceof Verdict.Rejected r ? r : quiet;
                throw new VerifierException(program.name(), reason(rejected), rejected.log());
            }
        };
    }

    /**
     * ebpf4j's verdict on {@code program}, with {@code maps} as {@link #mapsAsCreated} gives them and the
     * collection's BTF (for func_info: which functions are global, with what parameters), as the Linux backend loads it.
     *
     * @throws VerifierException when the program refers to a map that {@code maps} lacks
     */
    public static Verdict verdict(ProgramSpec program, Map<String, MapSpec> maps, Optional<Btf> btf) {
        return verdict(program, maps, btf, List.of(), true);
    }

    /**
     * As {@link #verdict(ProgramSpec, Map, Optional)}, for a program that may also call these Java helpers, and
     * for a loader with CAP_BPF and CAP_PERFMON ({@code privileged}) or without them.
     */
    public static Verdict verdict(ProgramSpec program, Map<String, MapSpec> maps, Optional<Btf> btf,
                                  Collection<HelperPrototype> javaHelpers, boolean privileged) {
        return verdict(program, maps, btf, javaHelpers, privileged, LogOptions.level(1));
    }

    /**
     * As {@link #verdict(ProgramSpec, Map, Optional, Collection, boolean)}, with the log {@code log} asks for; the
     * program's source lines (its BTF line_info) are quoted in it.
     */
    public static Verdict verdict(ProgramSpec program, Map<String, MapSpec> maps, Optional<Btf> btf,
                                  Collection<HelperPrototype> javaHelpers, boolean privileged, LogOptions log) {
        Map<String, Integer> indexes = new LinkedHashMap<>();
        List<MapSpec> referenced = new ArrayList<>();
        byte[] code = program.instructions().encode();
        ByteBuffer slots = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        for (ProgramSpec.MapReference ref : program.mapReferences()) {
            MapSpec map = maps.get(ref.mapName());
            if (map == null) {
                throw new VerifierException(program.name(), "lddw at insn " + ref.slot() + " refers to map '"
                        + ref.mapName() + "', which the collection does not define", "");
            }
            int index = indexes.computeIfAbsent(ref.mapName(), name -> {
                referenced.add(map);
                return referenced.size() - 1;
            });
            slots.putInt(ref.slot() * Instruction.SIZE + 4, index);
            if (ref.value()) {
                slots.putInt((ref.slot() + 1) * Instruction.SIZE + 4, ref.offset());
            }
        }
        VerifierOptions options = new VerifierOptions(program.type().value(),
                program.expectedAttachType().map(AttachType::value).orElse(0), program.loadFlags(), privileged,
                program.license(), referenced).withFunctions(ProgramFunctions.of(program, btf))
                .withJavaHelpers(javaHelpers);
        return Verifier.verify(code, options, log.withLines(program.lines()));
    }

    private static String reason(Verdict.Rejected rejected) {
        String where = rejected.insn() >= 0 ? "insn " + rejected.insn() + ": " : "";
        return switch (rejected.cause()) {
            case RULE -> where + rejected.lastLine();
            case UNSUPPORTED -> where + rejected.lastLine() + " (ebpf4j's verifier cannot check this yet; "
                    + "LoadOptions.unverified() runs the program without a proof)";
        };
    }
}
