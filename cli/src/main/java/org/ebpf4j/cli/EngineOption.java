package org.ebpf4j.cli;

import org.ebpf4j.runtime.Engine;
import picocli.CommandLine.Option;

/** {@code --engine}: which engine runs programs. */
final class EngineOption {
    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "interpreter",
            description = "Execution engine: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Engine engine;
}
