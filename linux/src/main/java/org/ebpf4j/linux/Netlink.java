package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A {@code NETLINK_ROUTE} socket for the attachments that predate {@code bpf_link}: XDP through
 * {@code RTM_SETLINK} and {@code IFLA_XDP}, tc's clsact qdisc and its bpf filters. One request at a time, each
 * acknowledged ({@code NLM_F_ACK}); a refusal is a {@link LinuxAttachException} with the kernel's errno and, with
 * extended acks, its message.
 */
final class Netlink implements AutoCloseable {
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_NEWTFILTER = 44;
    static final int RTM_DELTFILTER = 45;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLA_F_NESTED = 0x8000;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSGERR_ATTR_MSG = 1;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int HEADER = 16;

    private final Fd socket;
    private int sequence;

    private Netlink(Fd socket) {
        this.socket = socket;
    }

    static Netlink route() {
        Syscalls.Result result = Libc.SOCKET.call(AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_ROUTE);
        if (result.failed()) {
            throw new LinuxAttachException("socket(AF_NETLINK, NETLINK_ROUTE)", result.errno());
        }
        Netlink netlink = new Netlink(new Fd((int) result.value()));
        try (Arena arena = Arena.ofConfined()) {
            // Extended acks carry the kernel's reason as text; without them the errno alone is still reported.
            Libc.SETSOCKOPT.call(netlink.socket.value(), SOL_NETLINK, NETLINK_EXT_ACK,
                    arena.allocateFrom(ValueLayout.JAVA_INT, 1), Integer.BYTES);
        }
        return netlink;
    }

    /** A message being built: the header is filled in by {@link #request}, the body by the caller. */
    static final class Message {
        private ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder()).position(HEADER);

        Message bytes(byte[] bytes) {
            ensure(bytes.length);
            buffer.put(bytes);
            return this;
        }

        Message u8(int value) {
            ensure(1);
            buffer.put((byte) value);
            return this;
        }

        Message u16(int value) {
            ensure(2);
            buffer.putShort((short) value);
            return this;
        }

        Message u32(int value) {
            ensure(4);
            buffer.putInt(value);
            return this;
        }

        /** An attribute ({@code struct nlattr} and its payload, padded to 4 bytes). */
        Message attribute(int type, Consumer<Message> payload) {
            int start = buffer.position();
            u16(0).u16(type);
            payload.accept(this);
            buffer.putShort(start, (short) (buffer.position() - start));
            while (buffer.position() % 4 != 0) {
                u8(0);
            }
            return this;
        }

        Message attributeU32(int type, int value) {
            return attribute(type, m -> m.u32(value));
        }

        /** A NUL-terminated string attribute. */
        Message attributeString(int type, String value) {
            return attribute(type, m -> m.bytes(value.getBytes(StandardCharsets.US_ASCII)).u8(0));
        }

        Message nested(int type, Consumer<Message> attributes) {
            return attribute(type | NLA_F_NESTED, attributes);
        }

        private void ensure(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2).order(ByteOrder.nativeOrder());
                buffer = bigger.put(buffer.flip());
            }
        }

        private byte[] finish(int type, int flags, int sequence) {
            buffer.putInt(0, buffer.position()).putShort(4, (short) type).putShort(6, (short) flags)
                    .putInt(8, sequence).putInt(12, 0);
            byte[] out = new byte[buffer.position()];
            buffer.get(0, out);
            return out;
        }
    }

    /** Sends one request and waits for its acknowledgement; {@code what} names it in errors. */
    void request(int type, int flags, Message message, String what) {
        int seq = ++sequence;
        byte[] request = message.finish(type, flags | NLM_F_REQUEST | NLM_F_ACK, seq);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(12, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, request);
            Syscalls.Result sent = Libc.SENDTO.call(socket.value(), out, (long) request.length, 0, address, 12);
            if (sent.failed()) {
                throw new LinuxAttachException("sendto(netlink) of " + what, sent.errno());
            }
            MemorySegment in = arena.allocate(1 << 16, 4);
            while (true) {
                Syscalls.Result received = Libc.RECV.call(socket.value(), in, in.byteSize(), 0);
                if (received.failed()) {
                    throw new LinuxAttachException("recv(netlink) of " + what, received.errno());
                }
                ByteBuffer answer = in.asSlice(0, received.value()).asByteBuffer().order(ByteOrder.nativeOrder());
                for (int at = 0; at + HEADER <= answer.limit(); ) {
                    int length = answer.getInt(at);
                    int messageType = answer.getShort(at + 4) & 0xffff;
                    int messageFlags = answer.getShort(at + 6) & 0xffff;
                    if (length < HEADER) {
                        break;
                    }
                    if (messageType == NLMSG_ERROR && answer.getInt(at + 8) == seq) {
                        int error = answer.getInt(at + HEADER);
                        if (error == 0) {
                            return;
                        }
                        String reason = (messageFlags & NLM_F_ACK_TLVS) != 0
                                ? extendedMessage(answer, at, length) : "";
                        throw new LinuxAttachException(what + reason, -error);
                    }
                    at += (length + 3) & ~3;
                }
            }
        }
    }

    /**
     * The text of {@code NLMSGERR_ATTR_MSG} after the error and the echoed request header (the kernel echoes only
     * the header when acks carry TLVs), or "" when there is none.
     */
    private static String extendedMessage(ByteBuffer answer, int at, int length) {
        int tlv = at + HEADER + 4 + HEADER;
        int end = at + length;
        while (tlv + 4 <= end) {
            int attributeLength = answer.getShort(tlv) & 0xffff;
            int attributeType = answer.getShort(tlv + 2) & 0x7fff;
            if (attributeLength < 4) {
                break;
            }
            if (attributeType == NLMSGERR_ATTR_MSG) {
                byte[] text = new byte[Math.max(0, attributeLength - 4)];
                answer.get(tlv + 4, text);
                int nul = 0;
                while (nul < text.length && text[nul] != 0) {
                    nul++;
                }
                return " (" + new String(text, 0, nul, StandardCharsets.UTF_8) + ")";
            }
            tlv += (attributeLength + 3) & ~3;
        }
        return "";
    }

    @Override
    public void close() {
        socket.close();
    }
}
