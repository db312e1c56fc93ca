package org.ebpf4j.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The libc functions attaching and ring buffers need, called through FFM with errno captured by the downcall
 * (as {@link Syscalls} does for {@code bpf()}). Not hot paths: each call goes through {@code invokeWithArguments}.
 */
@SuppressWarnings("restricted") // binding libc is the point of this class
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t length)}. */
    static final Function SETSOCKOPT = function("setsockopt", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code unsigned if_nametoindex(const char *name)}: 0 and errno for an unknown interface. */
    static final Function IF_NAMETOINDEX = function("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code int open(const char *path, int flags)} (without a mode: nothing here creates files). */
    static final Function OPEN = function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)}. */
    static final Function MMAP = function("mmap", FunctionDescriptor.of(ADDRESS,
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    static final Function MUNMAP = function("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final Function EPOLL_CREATE1 = function("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}. */
    static final Function EPOLL_CTL = function("epoll_ctl", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    /** {@code int epoll_wait(int epfd, struct epoll_event *events, int max, int timeoutMillis)}. */
    static final Function EPOLL_WAIT = function("epoll_wait", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    /** {@code int mount(const char *source, const char *target, const char *type, unsigned long flags, void *data)}. */
    static final Function MOUNT = function("mount", FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    /** {@code int umount2(const char *target, int flags)}. */
    static final Function UMOUNT2 = function("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int clock_gettime(clockid_t clock, struct timespec *time)}. */
    static final Function CLOCK_GETTIME = function("clock_gettime", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS));

    /** {@code int socket(int domain, int type, int protocol)}. */
    static final Function SOCKET = function("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code ssize_t sendto(int fd, const void *buffer, size_t length, int flags, const sockaddr *to, socklen_t)}. */
    static final Function SENDTO = function("sendto", FunctionDescriptor.of(JAVA_LONG,
            JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code ssize_t recv(int fd, void *buffer, size_t length, int flags)}. */
    static final Function RECV = function("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG,
            JAVA_INT));

    static final Function GETPAGESIZE = function("getpagesize", FunctionDescriptor.of(JAVA_INT));

    /** {@code O_RDONLY | O_CLOEXEC}: how directories (cgroups) are opened to be named by fd. */
    static final int O_RDONLY_CLOEXEC = 0x80000;

    private Libc() {}

    /** One bound libc function. */
    record Function(String name, MethodHandle handle) {
        /**
         * Calls it; pointers come back as their address, so a failed {@code mmap} is -1 like any other failure.
         * The errno is always captured; it means something only when the value says failure (-1, or 0 for
         * {@code if_nametoindex}).
         */
        Syscalls.Result call(Object... arguments) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CAPTURE);
                List<Object> all = new ArrayList<>(arguments.length + 1);
                all.add(state);
                all.addAll(List.of(arguments));
                Object answer = handle.invokeWithArguments(all);
                long value = switch (answer) {
                    case MemorySegment pointer -> pointer.address();
                    case Integer i -> i;
                    case Long l -> l;
                    default -> throw new IllegalStateException(name + " returned " + answer);
                };
                return new Syscalls.Result(value, (int) ERRNO.get(state, 0L));
            } catch (Throwable t) {
                throw new IllegalStateException(name + "() could not be called", t);
            }
        }
    }

    private static Function function(String name, FunctionDescriptor descriptor) {
        return new Function(name, LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor,
                Linker.Option.captureCallState("errno")));
    }
}
