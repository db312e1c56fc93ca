package org.ebpf4j.linux;

import java.util.List;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.spec.Errno;

/**
 * How a program is loaded, log included. At log level 0 the first attempt has no log buffer (a log costs the
 * verifier time and matters only on failure) and a refusal is retried at level 1 for the reasons, as libbpf does.
 * A log that does not fit (ENOSPC: since Linux 6.4 the kernel refuses a program whose log overflowed, even a valid
 * one) is retried with a buffer of the size the kernel asked for.
 */
final class ProgramLoader {
    static final int INITIAL_LOG_SIZE = 1 << 20;
    /** The kernel caps {@code log_size} far above this; a bigger log is not worth the memory. */
    static final int MAX_LOG_SIZE = 1 << 28;

    private ProgramLoader() {}

    /**
     * The loaded program's fd and, when it was loaded with a log, the log; a {@link VerifierException} with the
     * log, or a {@link LinuxBpfException}.
     */
    static ProgramCommands.LoadAttempt.Loaded load(ProgramCommands.Definition program, int logLevel) {
        ProgramCommands.LoadAttempt attempt = logLevel == 0 ? ProgramCommands.load(program, 0, 0)
                : loadWithLog(program, logLevel);
        if (attempt instanceof ProgramCommands.LoadAttempt.Refused quiet && logLevel == 0) {
            attempt = loadWithLog(program, 1);
            if (attempt instanceof ProgramCommands.LoadAttempt.Refused logged) {
                // The first errno is the answer to the load that was asked for; the log explains it.
                attempt = new ProgramCommands.LoadAttempt.Refused(quiet.errno(), logged.log(), logged.logTrueSize());
            }
        }
        return switch (attempt) {
            case ProgramCommands.LoadAttempt.Loaded loaded -> loaded;
            case ProgramCommands.LoadAttempt.Refused refused -> throw refusal(program, refused);
        };
    }

    private static ProgramCommands.LoadAttempt loadWithLog(ProgramCommands.Definition program, int logLevel) {
        int size = INITIAL_LOG_SIZE;
        while (true) {
            ProgramCommands.LoadAttempt attempt = ProgramCommands.load(program, logLevel, size);
            if (!(attempt instanceof ProgramCommands.LoadAttempt.Refused refused)
                    || refused.errno() != Errno.ENOSPC.value() || size >= MAX_LOG_SIZE) {
                return attempt;
            }
            size = (int) Math.min(MAX_LOG_SIZE, Math.max((long) size * 4, refused.logTrueSize() + 1L));
        }
    }

    /**
     * A refusal with a log is the verifier's: a {@link VerifierException} whose reason is the log's last statement
     * before its statistics. Without a log the kernel refused before verifying (EPERM for a type this process may
     * not load, EINVAL for bad attributes): a {@link LinuxBpfException}.
     */
    private static RuntimeException refusal(ProgramCommands.Definition program,
                                            ProgramCommands.LoadAttempt.Refused refused) {
        if (refused.log().isBlank()) {
            return new LinuxBpfException(BpfCommand.PROG_LOAD, program.describe(), refused.errno());
        }
        return new VerifierException(program.name(),
                reason(refused.log()) + " (" + LinuxBpfException.describe(refused.errno()) + ")", refused.log());
    }

    /** The last line of the log that is not one of the statistics lines the verifier ends with. */
    static String reason(String log) {
        List<String> lines = log.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (!line.startsWith("processed ") && !line.startsWith("verification time")
                    && !line.startsWith("stack depth") && !line.startsWith("max_states_per_insn")) {
                return line;
            }
        }
        return "the verifier gave no reason";
    }
}
