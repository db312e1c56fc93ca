package org.ebpf4j.pcap.traffic;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ebpf4j.pcap.Capture;
import org.ebpf4j.pcap.CaptureWriter;
import org.ebpf4j.pcap.CapturedPacket;
import org.ebpf4j.pcap.traffic.PacketFacts.Cut;
import org.ebpf4j.pcap.traffic.TrafficGenerator.GeneratedPacket;
import org.junit.jupiter.api.Test;

/** The generator's frames read back with the facts it claims, and checksums a receiver accepts. */
class TrafficGeneratorTest {
    private static final List<GeneratedPacket> PACKETS = new TrafficGenerator(42).generate(3000);

    @Test
    void theSameSeedGivesTheSameBytes() {
        List<GeneratedPacket> again = new TrafficGenerator(42).generate(3000);
        for (int i = 0; i < PACKETS.size(); i++) {
            assertArrayEquals(PACKETS.get(i).packet().data(), again.get(i).packet().data(), "packet " + i);
            assertEquals(PACKETS.get(i).packet().timestampNanos(), again.get(i).packet().timestampNanos());
        }
        assertFalse(Arrays.equals(PACKETS.get(20).packet().data(),
                new TrafficGenerator(43).generate(21).get(20).packet().data()));
    }

    @Test
    void everyKindComesFirstOnce() {
        Set<TrafficKind> firsts = EnumSet.noneOf(TrafficKind.class);
        PACKETS.subList(0, TrafficKind.values().length).forEach(p -> firsts.add(p.facts().kind()));
        assertEquals(EnumSet.allOf(TrafficKind.class), firsts);
    }

    @Test
    void headersSayWhatTheFactsSayAndChecksumsVerify() {
        for (GeneratedPacket g : PACKETS) {
            PacketFacts f = g.facts();
            byte[] frame = g.packet().data();
            String where = "packet of kind " + f.kind() + " " + f.cut();
            if (f.cut() == Cut.ETHERNET_HEADER) {
                assertTrue(frame.length < 14, where);
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(frame);
            int l3 = 14;
            if (b.getShort(12) == (short) 0x8100) {
                assertTrue(f.vlanTagged(), where);
                l3 = 18;
            } else {
                assertFalse(f.vlanTagged(), where);
            }
            assertEquals(f.etherType(), b.getShort(l3 - 2) & 0xffff, where);
            assertEquals(g.packet().originalLength() != frame.length, f.cut() != Cut.NONE, where);
            if (f.cut() == Cut.NETWORK_HEADER || (f.etherType() != 0x0800 && f.etherType() != 0x86dd)) {
                assertTrue(f.source().isEmpty(), where);
                continue;
            }
            int l4;
            byte[] source;
            byte[] destination;
            if (f.etherType() == 0x0800) {
                int ihl = (frame[l3] & 0xf) * 4;
                assertTrue(Checksums.verifies(frame, l3, ihl, 0), "IPv4 header checksum of " + where);
                source = Arrays.copyOfRange(frame, l3 + 12, l3 + 16);
                destination = Arrays.copyOfRange(frame, l3 + 16, l3 + 20);
                assertArrayEquals(Arrays.copyOfRange(f.source().orElseThrow(), 12, 16), source, where);
                assertEquals(f.ipProtocol(), frame[l3 + 9] & 0xff, where);
                assertEquals(f.laterFragment(), (b.getShort(l3 + 6) & 0x1fff) != 0, where);
                l4 = l3 + ihl;
            } else {
                source = Arrays.copyOfRange(frame, l3 + 8, l3 + 24);
                destination = Arrays.copyOfRange(frame, l3 + 24, l3 + 40);
                assertArrayEquals(f.source().orElseThrow(), source, where);
                assertEquals(f.ipProtocol(), frame[l3 + 6] & 0xff, where);
                l4 = l3 + 40;
            }
            if (f.cut() == Cut.TRANSPORT_HEADER) {
                assertTrue(frame.length < l4 + (f.ipProtocol() == 6 ? 20 : 8), where);
                continue;
            }
            int ipPayload = f.etherType() == 0x0800 ? (b.getShort(l3 + 2) & 0xffff) - (l4 - l3)
                    : b.getShort(l3 + 4) & 0xffff;
            if (f.laterFragment() || f.ipProtocol() == 47) {
                continue;
            }
            if (f.ipProtocol() == 6 || f.ipProtocol() == 17) {
                assertEquals(f.destinationPort(), b.getShort(l4 + 2) & 0xffff, where);
            }
            int pseudo = f.ipProtocol() == 1 ? 0 : Checksums.pseudoHeader(source, destination, f.ipProtocol(),
                    ipPayload);
            assertTrue(Checksums.verifies(frame, l4, ipPayload, pseudo), "transport checksum of " + where);
        }
    }

    @Test
    void theMixHasEveryKindInRoughlyItsWeight() {
        for (TrafficKind kind : TrafficKind.values()) {
            long n = PACKETS.stream().filter(p -> p.facts().kind() == kind).count();
            assertTrue(Math.abs(n - kind.weight * 3) < kind.weight * 3 / 2 + 10, kind + ": " + n);
        }
    }

    @Test
    void capturesRoundTripInBothFormats() {
        List<CapturedPacket> written = PACKETS.stream().map(GeneratedPacket::packet).toList();
        for (byte[] file : List.of(CaptureWriter.pcap(written, false), CaptureWriter.pcap(written, true),
                CaptureWriter.pcapng(written))) {
            List<CapturedPacket> read = Capture.parse("round-trip", file).packets();
            assertEquals(written.size(), read.size());
            for (int i = 0; i < read.size(); i++) {
                assertArrayEquals(written.get(i).data(), read.get(i).data());
                assertEquals(written.get(i).originalLength(), read.get(i).originalLength());
                assertEquals(written.get(i).timestampNanos(), read.get(i).timestampNanos());
                assertEquals(i + 1, read.get(i).number());
            }
        }
    }
}
