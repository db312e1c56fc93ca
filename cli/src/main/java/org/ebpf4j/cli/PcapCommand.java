package org.ebpf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ebpf4j.pcap.CaptureFormat;
import org.ebpf4j.pcap.CaptureWriter;
import org.ebpf4j.pcap.CapturedPacket;
import org.ebpf4j.pcap.traffic.TrafficGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pcap", description = "Packet captures.", subcommands = PcapCommand.Generate.class)
final class PcapCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a pcap command is required: generate");
    }

    @Command(name = "generate", description = {
            "Writes deterministic mixed Ethernet traffic: TCP, UDP, ICMP and ICMPv6",
            "over IPv4 and IPv6, ARP, VLAN tags, IPv4 options and fragments, GRE, LLDP,",
            "and frames the capture cut inside a header. The same seed and count give",
            "the same file."})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "OUT", description = "The capture to write.")
        Path out;

        @Option(names = "--packets", paramLabel = "N", defaultValue = "3000",
                description = "Packets (default: ${DEFAULT-VALUE}).")
        int packets;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
                description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "pcap",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; pcap has microsecond timestamps).")
        CaptureFormat format;

        @Override
        public Integer call() throws Exception {
            if (packets < 0) {
                throw new CliException("--packets must not be negative, not " + packets);
            }
            List<CapturedPacket> frames = new TrafficGenerator(seed).generate(packets).stream()
                    .map(TrafficGenerator.GeneratedPacket::packet).toList();
            byte[] file = format == CaptureFormat.PCAP ? CaptureWriter.pcap(frames, false)
                    : CaptureWriter.pcapng(frames);
            Files.write(out, file);
            spec.commandLine().getOut().println("wrote " + packets + " packets (seed " + seed + ") to " + out);
            return 0;
        }
    }
}
