package org.ebpf4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One program's verdict as {@code verify} reports it, from ebpf4j's verifier or the running kernel's.
 *
 * @param processedInsns the verifier's "processed N insns", or empty when its log does not say
 * @param insn the instruction a rejection concerns, or empty when the verifier names none
 * @param message the rejection's last line ("" when accepted)
 * @param unsupported the rejection is ebpf4j's refusal of a feature its verifier cannot check yet, not a rule
 * @param log the verifier's log ("" when none was asked for or given)
 */
record ProgramVerdict(String program, boolean accepted, OptionalInt processedInsns, OptionalInt insn,
                      String message, boolean unsupported, String log) {

    /** The kernel's statistics line, at every log level (kernel/bpf/verifier.c, print_verification_stats). */
    private static final Pattern PROCESSED = Pattern.compile("(?m)^processed (\\d+) insns");
    /** An instruction line of the kernel's log, "N: (opcode) ...": the last one is where the walk stopped. */
    private static final Pattern INSN_LINE = Pattern.compile("(?m)^(\\d+): \\(");

    static ProgramVerdict accepted(String program, OptionalInt processedInsns, String log) {
        return new ProgramVerdict(program, true, processedInsns, OptionalInt.empty(), "", false, log);
    }

    /** "processed N insns" as the kernel's log states it. */
    static OptionalInt processedInsns(String log) {
        Matcher m = PROCESSED.matcher(log);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The last instruction the kernel's log shows: the one its rejection concerns. */
    static OptionalInt lastInsn(String log) {
        Matcher m = INSN_LINE.matcher(log);
        OptionalInt last = OptionalInt.empty();
        while (m.find()) {
            last = OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        return last;
    }

    /**
     * "NAME: accepted (processed N insns)" or "NAME: rejected at insn N: MESSAGE", with "(unsupported feature)"
     * before the colon when ebpf4j's verifier refused what it cannot check yet (the kernel may well accept it).
     */
    String line() {
        if (accepted) {
            return program + ": accepted" + (processedInsns.isPresent()
                    ? " (processed " + processedInsns.getAsInt() + " insns)" : "");
        }
        String where = insn.isPresent() ? " at insn " + insn.getAsInt() : "";
        return program + ": rejected" + where + (unsupported ? " (unsupported feature)" : "") + ": " + message;
    }

    Map<String, Object> json(boolean withLog) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", program);
        m.put("verdict", accepted ? "accept" : "reject");
        m.put("processed_insns", processedInsns.isPresent() ? processedInsns.getAsInt() : null);
        if (!accepted) {
            m.put("insn", insn.isPresent() ? insn.getAsInt() : null);
            m.put("message", message);
            m.put("unsupported", unsupported);
        }
        if (withLog) {
            m.put("log", log);
        }
        return m;
    }
}
