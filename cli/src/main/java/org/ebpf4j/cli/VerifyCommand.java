package org.ebpf4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxCollection;
import org.ebpf4j.runtime.backend.ProgramVerification;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.verifier.LogOptions;
import org.ebpf4j.verifier.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ebpf4j verify FILE.o|FILE.bin --type SEC}: each program's verdict from ebpf4j's verifier, as the JVM backend would load it, or
 * with {@code --kernel} from the running kernel's, so that the two can be compared.
 */
@Command(name = "verify", description = {
        "Verifies every program of an object (or the one named) with ebpf4j's verifier, as the JVM backend would",
        "load it, or with --kernel with the running kernel's, printing 'NAME: accepted (processed N insns)' or",
        "'NAME: rejected at insn N: MESSAGE' for each. Exit status 1 unless every program is accepted."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A clang-compiled BPF object, or one program's raw "
            + "instructions (.bin; .s assembly) with --type.")
    Path file;

    @Option(names = "--type", paramLabel = "SEC", description = "For raw instructions: the program's type as a "
            + "libbpf SEC() name (xdp, socket, tc, kprobe/FUNC, cgroup_skb/ingress, ...). The program is GPL.")
    String type;

    @Option(names = "--program", paramLabel = "NAME", description = "Only this program.")
    String program;

    @Option(names = "--log-level", paramLabel = "0|1|2", defaultValue = "0",
            description = "Also print the verifier log before each verdict, as the kernel writes it (default: 0, "
                    + "none): 1 the path that failed with the state after each instruction, or on acceptance the "
                    + "statistics; 2 every instruction of every path walked, with pruned paths ('safe').")
    int logLevel;

    @Option(names = "--kernel", description = "Verify with the running kernel's verifier (loads, then unloads).")
    boolean kernel;

    @Option(names = {"-j", "--json"}, description = "JSON output.")
    boolean json;

    @Option(names = "--unprivileged", description = "Verify as for a loader without CAP_BPF and CAP_PERFMON: "
            + "socket filters and cgroup skb programs only, at most 4096 instructions, no loops, the base helpers, "
            + "no pointer leaks or comparisons, no reads of unwritten stack, Spectre v1 sanitation (ebpf4j's "
            + "verifier only).")
    boolean unprivileged;

    @Override
    public Integer call() throws Exception {
        if (logLevel < 0 || logLevel > 2) {
            throw new CliException("--log-level must be 0, 1 or 2, not " + logLevel);
        }
        if (unprivileged && kernel) {
            throw new CliException("--unprivileged applies to ebpf4j's verifier only: the running kernel verifies "
                    + "as the capabilities of this process allow");
        }
        CollectionSpec collection;
        if (ObjectFiles.isElf(file)) {
            if (type != null) {
                throw new CliException("--type is for raw instructions: the sections of " + file
                        + " give its programs' types");
            }
            collection = ObjectLoader.load(file);
        } else {
            collection = RawPrograms.collection(file, type);
        }
        List<ProgramSpec> programs = chosen(collection);
        List<ProgramVerdict> verdicts = kernel ? kernelVerdicts(collection, programs)
                : ours(collection, programs, !unprivileged, LogOptions.level(logLevel));
        print(verdicts);
        return verdicts.stream().allMatch(ProgramVerdict::accepted) ? 0 : Main.EXIT_FAILURE;
    }

    private List<ProgramSpec> chosen(CollectionSpec collection) {
        if (program == null) {
            return List.copyOf(collection.programs().values());
        }
        if (!collection.programs().containsKey(program)) {
            throw new CliException("no program '" + program + "' in " + file + "; it has "
                    + collection.programs().keySet());
        }
        return List.of(collection.program(program));
    }

    private static List<ProgramVerdict> ours(CollectionSpec collection, List<ProgramSpec> programs,
                                             boolean privileged, LogOptions log) {
        Map<String, MapSpec> maps = ProgramVerification.mapsAsCreated(collection, Map.of());
        List<ProgramVerdict> verdicts = new ArrayList<>();
        for (ProgramSpec p : programs) {
            if (!p.coreRelocations().isEmpty()) {
                // The JVM backend refuses these before verifying: its verdict is that refusal.
                verdicts.add(new ProgramVerdict(p.name(), false, OptionalInt.empty(), OptionalInt.empty(),
                        p.coreRelocations().size() + " CO-RE relocations, for which the JVM backend has no target "
                                + "BTF yet", true, ""));
                continue;
            }
            verdicts.add(switch (ProgramVerification.verdict(p, maps, collection.btf(), List.of(), privileged, log)) {
                case Verdict.Accepted a -> ProgramVerdict.accepted(p.name(), OptionalInt.of(a.processedInsns()),
                        a.log());
                case Verdict.Rejected r -> new ProgramVerdict(p.name(), false, OptionalInt.of(r.processedInsns()),
                        r.insn() >= 0 ? OptionalInt.of(r.insn()) : OptionalInt.empty(), r.lastLine(),
                        r.cause() == Verdict.Cause.UNSUPPORTED, r.log());
            });
        }
        return verdicts;
    }

    /**
     * Each program loaded on its own (with all the object's maps), so that one rejection does not hide the others'
     * verdicts; at least at log level 1, for the log's "processed N insns". Maps are not pinned, so that nothing
     * outlives the command, and prog-array slots stay empty, since the other programs are not loaded (the verifier
     * does not read them).
     */
    private List<ProgramVerdict> kernelVerdicts(CollectionSpec collection, List<ProgramSpec> programs) {
        LinuxBackend backend = LinuxBackend.open();
        Map<String, MapSpec> unpinned = new LinkedHashMap<>();
        collection.maps().forEach((name, m) -> unpinned.put(name, alone(m)));
        LoadOptions options = LoadOptions.defaults().withLogLevel(Math.max(1, logLevel));
        List<ProgramVerdict> verdicts = new ArrayList<>();
        for (ProgramSpec p : programs) {
            CollectionSpec alone = new CollectionSpec(collection.name(), Map.of(p.name(), p), unpinned,
                    collection.kconfigExterns(), collection.btf(), collection.byteOrder());
            verdicts.add(kernelVerdict(backend, alone, p.name(), options));
        }
        return verdicts;
    }

    private static ProgramVerdict kernelVerdict(LinuxBackend backend, CollectionSpec alone, String name,
                                                LoadOptions options) {
        try (LinuxCollection loaded = backend.load(alone, options)) {
            String log = loaded.program(name).verifierLog().orElse("");
            return ProgramVerdict.accepted(name, ProgramVerdict.processedInsns(log), log);
        } catch (VerifierException e) {
            String prefix = "program '" + name + "' rejected by the verifier: ";
            String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                    : e.getMessage();
            return new ProgramVerdict(name, false, ProgramVerdict.processedInsns(e.log()),
                    ProgramVerdict.lastInsn(e.log()), reason, false, e.log());
        } catch (BpfException e) {
            // Refused before the verifier ran (bad attributes, a map the kernel cannot create): no log.
            return new ProgramVerdict(name, false, OptionalInt.empty(), OptionalInt.empty(), e.getMessage(), false,
                    "");
        }
    }

    /** {@code m} unpinned, without the prog-array slots that name the collection's programs. */
    private static MapSpec alone(MapSpec m) {
        List<MapSpec.MapEntry> contents = m.contents().stream()
                .filter(e -> !(e instanceof MapSpec.MapEntry.Program)).toList();
        return new MapSpec(m.name(), m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags(),
                MapPinning.NONE, m.numaNode(), m.mapExtra(), m.innerMap().map(VerifyCommand::alone), contents,
                m.frozen(), m.btfKeyTypeId(), m.btfValueTypeId(), m.origin());
    }

    private void print(List<ProgramVerdict> verdicts) {
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verifier", kernel ? "linux" : "ebpf4j");
            m.put("programs", verdicts.stream().map(v -> (Object) v.json(logLevel > 0)).toList());
            out.print(Json.write(m));
        } else {
            for (ProgramVerdict v : verdicts) {
                if (logLevel > 0 && !v.log().isEmpty()) {
                    out.print(v.log().endsWith("\n") ? v.log() : v.log() + "\n");
                }
                out.println(v.line());
            }
        }
        out.flush();
    }
}
