package org.ebpf4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.Program;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.linux.Bpffs;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxCollection;
import org.ebpf4j.linux.LinuxMap;
import org.ebpf4j.linux.LinuxProgram;
import org.ebpf4j.spec.CollectionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ebpf4j load --kernel FILE.o DIR}: loads an object into the kernel and pins every program at
 * {@code DIR/NAME} (like {@code bpftool prog loadall}; '.' in names as '_', which bpffs refuses), so that the
 * programs outlive the command.
 */
@Command(name = "load", description = {
        "Loads an object into the kernel and pins each program at DIR/NAME (like bpftool prog loadall).",
        "Maps declared with LIBBPF_PIN_BY_NAME are pinned (or reused) under --pinmaps, else /sys/fs/bpf."})
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kernel", required = true,
            description = "Load into the running kernel (required: a JVM load would end with this command).")
    boolean kernel;

    @Parameters(index = "0", paramLabel = "FILE.o", description = "A clang-compiled BPF object.")
    Path file;

    @Parameters(index = "1", paramLabel = "DIR", description = "Where to pin the programs (in bpffs).")
    Path directory;

    @Option(names = "--pinmaps", paramLabel = "DIR", description = "Also pin every map at DIR/NAME.")
    Path mapDirectory;

    @Override
    public Integer call() throws Exception {
        CollectionSpec collection = ObjectLoader.load(file);
        LoadOptions options = LoadOptions.defaults();
        if (mapDirectory != null) {
            options = options.withPinPath(mapDirectory);
        }
        var out = spec.commandLine().getOut();
        List<Runnable> undo = new ArrayList<>();
        try (LinuxCollection loaded = LinuxBackend.open().load(collection, options)) {
            for (Program p : loaded.programs().values()) {
                LinuxProgram program = (LinuxProgram) p;
                Path pin = directory.resolve(Bpffs.pinName(program.name()));
                program.pin(pin);
                undo.add(program::unpin);
                out.println("program " + program.name() + " (" + KernelListing.name(program.type().name())
                        + ") id " + program.info().id() + " pinned at " + pin);
            }
            for (BpfMap m : loaded.maps().values()) {
                LinuxMap map = (LinuxMap) m;
                if (mapDirectory != null && map.pinnedAt().isEmpty()) {
                    map.pin(mapDirectory.resolve(Bpffs.pinName(map.name())));
                    undo.add(map::unpin);
                }
                map.pinnedAt().ifPresent(pin -> out.println("map " + map.name() + " id " + map.info().id()
                        + " pinned at " + pin));
            }
        } catch (RuntimeException e) {
            // As bpftool: a load that fails part-way leaves no pins of its own behind.
            undo.forEach(Runnable::run);
            throw e;
        }
        out.flush();
        return 0;
    }
}
