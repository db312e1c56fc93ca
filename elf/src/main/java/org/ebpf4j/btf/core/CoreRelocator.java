package org.ebpf4j.btf.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.ProgramSpec.CoreRelocation;

/**
 * Resolves CO-RE relocations of programs compiled against one BTF (the object's, "local") for another ("target":
 * {@code /sys/kernel/btf/vmlinux} for the kernel, the runtime's own context types for the JVM), as libbpf does:
 *
 * <ol>
 *   <li>the access string is read against the local type ({@code "0:3:1"}: through the root pointer, member 3,
 *       element 1);</li>
 *   <li>candidates are the target's types of the same kind and essential name ({@code task_struct___old} is
 *       {@code task_struct});</li>
 *   <li>a candidate stays if the path can be followed in it by member names (through anonymous members wherever
 *       the target has them), array bounds and compatible field types, or, for type and enum kinds, if the types
 *       are compatible, match, or have the enumerator;</li>
 *   <li>every remaining candidate must give the same value; none gives 0 for existence and type kinds and a
 *       poisoned instruction for the rest;</li>
 *   <li>the instruction must hold the local value, and gets the target's.</li>
 * </ol>
 *
 * Immutable and thread-safe; reuse one relocator for every program of an object to share the candidate index.
 */
public final class CoreRelocator {
    /**
     * The helper id a poisoned instruction calls: libbpf's 0xbad2310 ("bad relo"), which no kernel defines, so
     * the kernel's verifier reports {@code invalid func unknown#195896080} if the instruction is reachable.
     */
    public static final int POISON_HELPER_ID = 0xbad2310;

    private final Btf local;
    private final Btf target;
    private final CandidateIndex candidates;
    private final TargetSpecMatcher matcher;
    private final RelocationValues values;
    private final Map<Integer, List<Integer>> candidatesByLocalType = new ConcurrentHashMap<>();

    /** {@code local} is the object's {@code .BTF}, whose byte order is the program's. */
    public CoreRelocator(Btf local, Btf target) {
        this.local = Objects.requireNonNull(local);
        this.target = Objects.requireNonNull(target);
        this.candidates = new CandidateIndex(target);
        this.matcher = new TargetSpecMatcher(local, target);
        this.values = new RelocationValues(local.order());
    }

    /**
     * The program with every relocation applied. Slots do not move: a poisoned lddw becomes two calls.
     *
     * @throws CoreRelocationException for the first relocation that cannot be applied
     */
    public Instructions relocate(Instructions program, List<CoreRelocation> relocations) {
        Instruction[][] bySlot = new Instruction[program.slotCount()][];
        for (int i = 0; i < program.size(); i++) {
            bySlot[program.slotOf(i)] = new Instruction[] {program.get(i)};
        }
        for (CoreRelocation relocation : relocations) {
            int slot = relocation.slot();
            if (slot < 0 || slot >= bySlot.length || bySlot[slot] == null) {
                throw failure(relocation, "no instruction starts at slot " + slot + " of a program of "
                        + bySlot.length + " slots");
            }
            CoreResolution resolution = resolve(relocation);
            try {
                // A slot relocated twice is patched twice, as libbpf does; a poisoned lddw's calls stay poisoned.
                bySlot[slot] = InstructionPatcher.patch(bySlot[slot][0], resolution).toArray(Instruction[]::new);
            } catch (RelocationFailure reason) {
                throw failure(relocation, reason.getMessage());
            }
        }
        List<Instruction> out = new ArrayList<>(program.size());
        Arrays.stream(bySlot).filter(Objects::nonNull).forEach(patched -> out.addAll(List.of(patched)));
        return Instructions.of(out);
    }

    /**
     * How one relocation resolves, without touching an instruction: its local and target values, or poison.
     *
     * @throws CoreRelocationException when the access string does not fit the local BTF or candidates disagree
     */
    public CoreResolution resolve(CoreRelocation relocation) {
        try {
            return resolveOrFail(relocation);
        } catch (RelocationFailure reason) {
            throw failure(relocation, reason.getMessage());
        }
    }

    private CoreResolution resolveOrFail(CoreRelocation relocation) {
        CoreReloKind kind = relocation.kind();
        AccessSpec localSpec = LocalSpecParser.parse(local, relocation.localTypeId(), relocation.accessString(),
                kind);
        RelocatedValue localValue = values.of(kind, localSpec);
        if (kind == CoreReloKind.TYPE_ID_LOCAL) {
            // The object's own id: no target involved.
            return resolution(relocation, localValue, localValue, List.of());
        }
        BtfType localType = local.type(relocation.localTypeId());
        if (localType.name().isEmpty()) {
            throw new RelocationFailure("CO-RE cannot find an anonymous type in the target");
        }
        AccessSpec chosen = null;
        RelocatedValue chosenValue = null;
        List<Integer> matched = new ArrayList<>();
        for (int candidateId : candidatesOf(relocation.localTypeId(), localType)) {
            Optional<AccessSpec> candidate = matcher.match(localSpec, kind, candidateId);
            if (candidate.isEmpty()) {
                continue;
            }
            RelocatedValue value = values.of(kind, candidate.get());
            if (chosen == null) {
                chosen = candidate.get();
                chosenValue = value;
            } else {
                Ambiguity.check(chosen, chosenValue, candidate.get(), value);
            }
            matched.add(candidateId);
        }
        RelocatedValue targetValue = chosen != null ? chosenValue : values.of(kind, null);
        return resolution(relocation, localValue, targetValue, matched);
    }

    private List<Integer> candidatesOf(int localTypeId, BtfType localType) {
        return candidatesByLocalType.computeIfAbsent(localTypeId,
                id -> candidates.candidates(localType.name(), localType.kind()));
    }

    private CoreResolution resolution(CoreRelocation relocation, RelocatedValue localValue,
            RelocatedValue targetValue, List<Integer> matched) {
        boolean poisoned = targetValue == null;
        int localSize = localValue.memorySize();
        int targetSize = poisoned ? 0 : targetValue.memorySize();
        boolean unsafe = !poisoned && localSize != targetSize
                && !MemorySizeChange.safe(local, localValue.memoryTypeId(), target, targetValue.memoryTypeId());
        return new CoreResolution(relocation, localValue.value(), poisoned ? 0 : targetValue.value(), poisoned,
                localValue.checkable(), localSize, targetSize, unsafe, matched);
    }

    private CoreRelocationException failure(CoreRelocation relocation, String reason) {
        String localType;
        try {
            localType = local.describe(relocation.localTypeId());
        } catch (IllegalArgumentException noSuchType) {
            localType = "type " + relocation.localTypeId() + " (not in the object's BTF)";
        }
        return new CoreRelocationException(relocation.slot(), relocation.kind(), localType,
                relocation.accessString(), reason);
    }
}
