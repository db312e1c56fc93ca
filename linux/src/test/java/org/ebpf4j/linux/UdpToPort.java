package org.ebpf4j.linux;

import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R5;
import static org.ebpf4j.isa.Register.R6;

import java.util.function.Consumer;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;

/**
 * A counter filter for packet programs: only IPv4 UDP datagrams to one port (options-free IP header, as Linux
 * sends them), read through the context's packet pointers.
 */
final class UdpToPort {
    /** {@code struct xdp_md}: data at 0, data_end at 4. */
    static final int XDP_DATA = 0;
    static final int XDP_DATA_END = 4;
    /** {@code struct __sk_buff}: data at 76, data_end at 80. */
    static final int SKB_DATA = 76;
    static final int SKB_DATA_END = 80;

    private UdpToPort() {}

    static Consumer<ProgramBuilder> filter(int port, int dataField, int dataEndField) {
        // Ethernet 14 bytes, IPv4 20, then the UDP destination port at 36..37.
        return b -> b.ldx(Size.W, R2, R6, dataField)
                .ldx(Size.W, R3, R6, dataEndField)
                .mov64(R4, R2)
                .alu64(AluOp.ADD, R4, 38)
                .jump(JumpOp.JGT, R4, R3, BuiltPrograms.SKIP)
                .ldx(Size.H, R5, R2, 12)
                .jump(JumpOp.JNE, R5, 0x0008, BuiltPrograms.SKIP) // ETH_P_IP in network order, read little-endian
                .ldx(Size.B, R5, R2, 14 + 9)
                .jump(JumpOp.JNE, R5, 17, BuiltPrograms.SKIP) // IPPROTO_UDP
                .ldx(Size.H, R5, R2, 14 + 20 + 2)
                .jump(JumpOp.JNE, R5, Short.toUnsignedInt(Short.reverseBytes((short) port)), BuiltPrograms.SKIP);
    }
}
