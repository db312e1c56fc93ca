package org.ebpf4j.runtime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.ebpf4j.runtime.backend.ProgramVerification;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.VerifierOptions;
import org.ebpf4j.verifier.corpus.CorpusCase;

/**
 * The real programs the mutator starts from: the verifier corpus's cases that Linux accepted (bytes only) and the
 * little-endian fixture objects' programs, each kept when ebpf4j's verifier accepts it too, it is of a type with a
 * JVM test run, and its maps are ones the fuzz runs fill (arrays and hashes).
 */
final class SeedPrograms {
    private SeedPrograms() {}

    /** The packet-driven types, whose test runs take a random packet. */
    private static final Set<ProgramType> RUNNABLE = Set.of(ProgramType.XDP, ProgramType.SOCKET_FILTER,
            ProgramType.SCHED_CLS, ProgramType.SCHED_ACT);

    private static List<FuzzCase> seeds;

    static synchronized List<FuzzCase> all() {
        if (seeds == null) {
            List<FuzzCase> found = new ArrayList<>();
            corpus(found);
            fixtures(found);
            seeds = List.copyOf(found);
        }
        return seeds;
    }

    private static void corpus(List<FuzzCase> into) {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        if (corpus.isEmpty()) {
            return;
        }
        try {
            for (CorpusCase c : CorpusCase.readAll(corpus.get().resolve("cases"))) {
                if (c.kernelVerdict().equals("accept") && c.code().length <= 8 * 4096) {
                    keep(into, new FuzzCase("corpus " + c.name(), Instructions.decode(c.code()), c.options()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fixtures(List<FuzzCase> into) {
        Path dir = Path.of("..", "fixtures", "obj");
        try (DirectoryStream<Path> objects = Files.newDirectoryStream(dir, "*.o")) {
            for (Path object : objects) {
                if (object.getFileName().toString().contains("bpfeb")) {
                    continue;
                }
                CollectionSpec spec = ObjectLoader.load(object);
                Map<String, MapSpec> maps = ProgramVerification.mapsAsCreated(spec, Map.of());
                for (ProgramSpec p : spec.programs().values()) {
                    try {
                        keep(into, indexed(object.getFileName() + " " + p.name(), p, maps));
                    } catch (BpfException | IllegalArgumentException e) {
                        // not a seed: CO-RE, a map the fuzz runs do not fill, ...
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A program of an object in the kernel's loaded form: each map lddw's imm an index into its own map list. */
    private static FuzzCase indexed(String origin, ProgramSpec program, Map<String, MapSpec> maps) {
        if (!program.coreRelocations().isEmpty()) {
            throw new IllegalArgumentException("CO-RE");
        }
        Map<String, Integer> indexes = new LinkedHashMap<>();
        List<MapSpec> referenced = new ArrayList<>();
        byte[] code = program.instructions().encode();
        ByteBuffer slots = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        for (ProgramSpec.MapReference ref : program.mapReferences()) {
            int index = indexes.computeIfAbsent(ref.mapName(), name -> {
                referenced.add(maps.get(name));
                return referenced.size() - 1;
            });
            slots.putInt(ref.slot() * Instruction.SIZE + 4, index);
            if (ref.value()) {
                slots.putInt((ref.slot() + 1) * Instruction.SIZE + 4, ref.offset());
            }
        }
        var options = new VerifierOptions(program.type().value(),
                program.expectedAttachType().map(AttachType::value).orElse(0), program.loadFlags(), true,
                program.license(), referenced);
        return new FuzzCase("fixture " + origin, Instructions.decode(code), options);
    }

    private static void keep(List<FuzzCase> into, FuzzCase c) {
        Optional<ProgramType> type = ProgramType.of(c.options().programType());
        if (type.isEmpty() || !RUNNABLE.contains(type.get())) {
            return;
        }
        for (MapSpec m : c.options().maps()) {
            if (m.type() != MapType.ARRAY && m.type() != MapType.HASH && m.type() != MapType.LRU_HASH
                    && m.type() != MapType.PERCPU_ARRAY) {
                return;
            }
        }
        if (c.verify().isAccepted()) {
            into.add(c);
        }
    }
}
