package org.ebpf4j.cli;

import java.util.concurrent.Callable;
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
            KernelListing.show(KernelListing.PROGRAMS, id, json, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "list", description = "The same as show.")
    static final class List extends Show {
    }
}
