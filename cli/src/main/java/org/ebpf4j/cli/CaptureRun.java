package org.ebpf4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.pcap.CapturedPacket;
import org.ebpf4j.pcap.LinkType;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.XdpAction;

/**
 * Runs a packet program over every packet of a capture, one {@code BPF_PROG_TEST_RUN} per packet, on whichever
 * backend loaded it, and counts the return values. Packets whose link type is not Ethernet are skipped (XDP and
 * socket-filter test runs take Ethernet frames); packets the test run refuses, as the kernel refuses a frame shorter
 * than an Ethernet header, are counted with the errno; any other failure stops the run, naming the packet.
 */
final class CaptureRun {
    /** A packet that did not run: its number and why. */
    record NotRun(int packet, String reason) {}

    /** A {@code trace_printk} line and the packet whose run printed it. */
    record TraceLine(int packet, String line) {}

    /**
     * What the run gave.
     *
     * @param returnValues how many packets ended with each return value
     */
    record Result(int packets, TreeMap<Long, Integer> returnValues, List<NotRun> refused, List<NotRun> skipped,
                  List<TraceLine> trace) {
        int ran() {
            return returnValues.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Function<BpfException, Optional<String>> refusal;
    private final List<TraceLine> trace = new ArrayList<>();
    private int current;

    /**
     * @param refusal the errno name when an exception of the backend is a test run's refusal of its input, empty
     *     when it is a failure that must stop the run
     */
    CaptureRun(Function<BpfException, Optional<String>> refusal) {
        this.refusal = refusal;
    }

    /** The sink for the backend's {@code trace_printk} output: lines are kept with the packet being run. */
    void trace(String message) {
        String text = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        trace.add(new TraceLine(current, text));
    }

    static void requireRunnable(Program program) {
        if (program.type() != ProgramType.XDP && program.type() != ProgramType.SOCKET_FILTER) {
            throw new CliException("program '" + program.name() + "' is " + program.type()
                    + "; a capture runs through XDP and SOCKET_FILTER programs");
        }
    }

    Result run(Program program, List<CapturedPacket> packets) {
        requireRunnable(program);
        TreeMap<Long, Integer> returnValues = new TreeMap<>(Long::compareUnsigned);
        List<NotRun> refused = new ArrayList<>();
        List<NotRun> skipped = new ArrayList<>();
        for (CapturedPacket packet : packets) {
            current = packet.number();
            if (packet.linkType() != LinkType.ETHERNET) {
                skipped.add(new NotRun(packet.number(), "link type " + LinkType.describe(packet.linkType())
                        + " is not Ethernet"));
                continue;
            }
            try {
                long r = program.testRun(TestRun.of(packet.data())).returnValue();
                returnValues.merge(r, 1, Integer::sum);
            } catch (BpfException e) {
                Optional<String> errno = refusal.apply(e);
                if (errno.isEmpty()) {
                    throw new CliException("packet " + packet.number() + " (" + packet.data().length
                            + " bytes, file offset " + packet.offset() + "): " + e.getMessage());
                }
                refused.add(new NotRun(packet.number(), errno.get() + " (" + packet.data().length + " bytes)"));
            }
        }
        return new Result(packets.size(), returnValues, refused, skipped, List.copyOf(trace));
    }

    /** The name of a return value: XDP's actions, a socket filter's verdict. */
    static String describe(ProgramType type, long value) {
        if (type == ProgramType.XDP) {
            for (XdpAction action : XdpAction.values()) {
                if (action.value() == value) {
                    return "XDP_" + action.name();
                }
            }
            return "unknown XDP action " + value;
        }
        return value == 0 ? "drop (0)" : "keep " + value + " bytes";
    }

    /** XDP's five actions, each present (0 when no packet ended so), then any other value. */
    static Map<String, Integer> actions(ProgramType type, Result result) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (type == ProgramType.XDP) {
            for (XdpAction action : XdpAction.values()) {
                out.put(describe(type, action.value()), 0);
            }
        }
        result.returnValues().forEach((value, n) -> out.put(describe(type, value), n));
        return out;
    }
}
