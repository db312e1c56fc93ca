package org.ebpf4j.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * A UDP socket on 127.0.0.1 through libc, because a socket filter needs the socket's fd, which Java's own
 * sockets do not give out. Just enough to bind, send to another such socket and receive without blocking.
 */
@SuppressWarnings("restricted")
final class LoopbackUdp implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = function("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = function("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = function("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SENDTO = function("sendto", JAVA_LONG,
            JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECV = function("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle CLOSE = function("close", JAVA_INT, JAVA_INT);
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SOCKADDR_IN_SIZE = 16;

    private final Arena arena = Arena.ofShared();
    private final int fd;
    /** Its {@code struct sockaddr_in}, with the port the kernel chose. */
    private final MemorySegment address;

    LoopbackUdp() {
        try {
            fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM, 0);
            if (fd < 0) {
                throw new IllegalStateException("socket() failed");
            }
            address = arena.allocate(SOCKADDR_IN_SIZE);
            address.set(JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN), 0, AF_INET); // family; port 0: any
            address.set(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), 4, 0x7f00_0001);
            if ((int) BIND.invokeExact(fd, address, SOCKADDR_IN_SIZE) != 0) {
                throw new IllegalStateException("bind() to 127.0.0.1 failed");
            }
            MemorySegment length = arena.allocateFrom(JAVA_INT, SOCKADDR_IN_SIZE);
            if ((int) GETSOCKNAME.invokeExact(fd, address, length) != 0) {
                throw new IllegalStateException("getsockname() failed");
            }
        } catch (Throwable t) {
            throw new IllegalStateException("a loopback UDP socket could not be made", t);
        }
    }

    int fd() {
        return fd;
    }

    void sendTo(LoopbackUdp target, String text) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment data = call.allocateFrom(text);
            long sent = (long) SENDTO.invokeExact(fd, data, (long) text.length(), 0, target.address,
                    SOCKADDR_IN_SIZE);
            if (sent != text.length()) {
                throw new IllegalStateException("sendto() sent " + sent);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("sendto() could not be called", t);
        }
    }

    /** The next datagram, waiting up to {@code millis} for one; empty when none came. */
    Optional<String> receive(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        do {
            try (Arena call = Arena.ofConfined()) {
                MemorySegment buffer = call.allocate(256);
                long n = (long) RECV.invokeExact(fd, buffer, 256L, MSG_DONTWAIT);
                if (n >= 0) {
                    return Optional.of(new String(buffer.asSlice(0, n).toArray(JAVA_BYTE)));
                }
            } catch (Throwable t) {
                throw new IllegalStateException("recv() could not be called", t);
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close() could not be called", t);
        } finally {
            arena.close();
        }
    }

    private static MethodHandle function(String name, MemoryLayout result,
                                         MemoryLayout... arguments) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), FunctionDescriptor.of(result,
                arguments));
    }
}
