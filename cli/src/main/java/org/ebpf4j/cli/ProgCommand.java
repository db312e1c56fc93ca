package org.ebpf4j.cli;

import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.ebpf4j.linux.KernelObjects;
import org.ebpf4j.linux.KernelProgramInfo;
import org.ebpf4j.linux.LinuxBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ebpf4j prog list|show [ID]}: the kernel's loaded programs, as {@code bpftool prog show} lists them. */
@Command(name = "prog", description = "Programs loaded in the kernel (like bpftool prog).",
        subcommands = {ProgCommand.Show.class, ProgCommand.List.class})
final class ProgCommand {

    @Command(name = "show", description = "Every loaded program, or the one with ID, as bpftool prog show.")
    static class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", arity = "0..1", description = "A program id (default: all).")
        Integer id;

        @Option(names = {"-j", "--json"}, description = "JSON output.")
        boolean json;

        @Override
        public Integer call() {
            LinuxBackend.open();
            java.util.List<Integer> ids = id != null ? java.util.List.of(id) : KernelObjects.programIds();
            java.util.List<Object> all = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int programId : ids) {
                KernelProgramInfo info;
                try {
                    info = KernelObjects.programInfo(programId);
                } catch (RuntimeException gone) {
                    if (id != null) {
                        throw new CliException("no program with id " + id + ": " + gone.getMessage());
                    }
                    continue; // unloaded between the listing and the look
                }
                var holders = KernelObjects.programHolders(programId);
                if (json) {
                    all.add(KernelListing.programJson(info, holders));
                } else {
                    text.append(KernelListing.programText(info, holders));
                }
            }
            var out = spec.commandLine().getOut();
            out.print(json ? Json.write(id != null && all.size() == 1 ? all.getFirst() : all) : text);
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", description = "The same as show.")
    static final class List extends Show {
    }
}
