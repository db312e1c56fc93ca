package org.ebpf4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Errno numbers and flag values against the uapi headers and the kernel's BTF. */
class ErrnoAndFlagsTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "EPERM, 1", "ENOENT, 2", "ESRCH, 3", "EINTR, 4", "EIO, 5", "E2BIG, 7", "EBADF, 9", "EAGAIN, 11",
            "ENOMEM, 12", "EACCES, 13", "EFAULT, 14", "EBUSY, 16", "EEXIST, 17", "EXDEV, 18", "ENODEV, 19",
            "EINVAL, 22", "EMFILE, 24", "ENOTTY, 25", "EFBIG, 27", "ENOSPC, 28", "ESPIPE, 29", "EROFS, 30",
            "ERANGE, 34", "EDEADLK, 35", "ENAMETOOLONG, 36", "ENOSYS, 38", "ENOTEMPTY, 39", "ELOOP, 40",
            "ENOMSG, 42", "ENODATA, 61", "ETIME, 62", "EPROTO, 71", "EBADMSG, 74", "EOVERFLOW, 75",
            "ENOTSOCK, 88", "EMSGSIZE, 90", "EPROTONOSUPPORT, 93", "EOPNOTSUPP, 95", "EAFNOSUPPORT, 97",
            "EADDRINUSE, 98", "ENETDOWN, 100", "ENETUNREACH, 101", "ECONNRESET, 104", "ENOBUFS, 105",
            "ETIMEDOUT, 110", "ECONNREFUSED, 111", "EALREADY, 114", "EINPROGRESS, 115", "ECANCELED, 125",
            "EHWPOISON, 133", "ENOTSUPP, 524"
    })
    void errnoNumbers(String name, int value) {
        assertEquals(name, Errno.require(value).kernelName());
        assertEquals(-value, Errno.valueOf(name).negated());
    }

    @Test
    void errnoDescriptionsComeFromTheHeaders() {
        assertEquals("No such file or directory", Errno.ENOENT.description());
        assertEquals("Operation is not supported", Errno.ENOTSUPP.description());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "BPF_F_NO_PREALLOC, 1", "BPF_F_NO_COMMON_LRU, 2", "BPF_F_NUMA_NODE, 4", "BPF_F_RDONLY, 8",
            "BPF_F_WRONLY, 16", "BPF_F_STACK_BUILD_ID, 32", "BPF_F_ZERO_SEED, 64", "BPF_F_RDONLY_PROG, 128",
            "BPF_F_WRONLY_PROG, 256", "BPF_F_CLONE, 512", "BPF_F_MMAPABLE, 1024", "BPF_F_PRESERVE_ELEMS, 2048",
            "BPF_F_INNER_MAP, 4096", "BPF_F_LINK, 8192", "BPF_F_PATH_FD, 16384", "BPF_F_VTYPE_BTF_OBJ_FD, 32768",
            "BPF_F_TOKEN_FD, 65536", "BPF_F_SEGV_ON_FAULT, 131072", "BPF_F_NO_USER_CONV, 262144"
    })
    void mapFlagsMatchTheKernelsBtf(String name, long value) throws ReflectiveOperationException {
        assertEquals(value, constant(MapFlags.class, name));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "MapUpdateFlags, BPF_ANY, 0", "MapUpdateFlags, BPF_NOEXIST, 1", "MapUpdateFlags, BPF_EXIST, 2",
            "MapUpdateFlags, BPF_F_LOCK, 4",
            "ProgramLoadFlags, BPF_F_STRICT_ALIGNMENT, 1", "ProgramLoadFlags, BPF_F_ANY_ALIGNMENT, 2",
            "ProgramLoadFlags, BPF_F_TEST_RND_HI32, 4", "ProgramLoadFlags, BPF_F_TEST_STATE_FREQ, 8",
            "ProgramLoadFlags, BPF_F_SLEEPABLE, 16", "ProgramLoadFlags, BPF_F_XDP_HAS_FRAGS, 32",
            "ProgramLoadFlags, BPF_F_XDP_DEV_BOUND_ONLY, 64", "ProgramLoadFlags, BPF_F_TEST_REG_INVARIANTS, 128",
            "ProgramLoadFlags, BPF_F_TOKEN_FD, 65536",
            "AttachFlags, BPF_F_ALLOW_OVERRIDE, 1", "AttachFlags, BPF_F_ALLOW_MULTI, 2",
            "AttachFlags, BPF_F_REPLACE, 4",
            "AttachFlags, BPF_F_BEFORE, 8", "AttachFlags, BPF_F_AFTER, 16", "AttachFlags, BPF_F_ID, 32",
            "AttachFlags, BPF_F_PREORDER, 64", "AttachFlags, BPF_F_LINK, 8192",
            "RingBufferFlags, BPF_RB_NO_WAKEUP, 1", "RingBufferFlags, BPF_RB_FORCE_WAKEUP, 2",
            "RingBufferFlags, BPF_RB_PROD_POS, 3", "RingBufferFlags, BPF_RINGBUF_BUSY_BIT, -2147483648",
            "RingBufferFlags, BPF_RINGBUF_DISCARD_BIT, 1073741824", "RingBufferFlags, BPF_RINGBUF_HDR_SZ, 8",
            "HelperFlags, BPF_F_RECOMPUTE_CSUM, 1", "HelperFlags, BPF_F_PSEUDO_HDR, 16",
            "HelperFlags, BPF_F_IPV6, 128", "HelperFlags, BPF_F_INGRESS, 1", "HelperFlags, BPF_F_BROADCAST, 8",
            "HelperFlags, BPF_F_EXCLUDE_INGRESS, 16", "HelperFlags, BPF_F_USER_STACK, 256",
            "HelperFlags, BPF_F_USER_BUILD_ID, 2048", "HelperFlags, BPF_F_CURRENT_CPU, 4294967295",
            "HelperFlags, BPF_F_CTXLEN_MASK, 4503595332403200", "HelperFlags, BPF_F_TIMER_CPU_PIN, 2"
    })
    void flagValues(String owner, String name, long value) throws ReflectiveOperationException {
        assertEquals(value, constant(Class.forName("org.ebpf4j.spec." + owner), name));
    }

    @ParameterizedTest
    @ValueSource(classes = {MapFlags.class, ProgramLoadFlags.class, AttachFlags.class})
    void bitFlagsAreDistinctSingleBits(Class<?> owner) throws ReflectiveOperationException {
        Map<Long, String> seen = new HashMap<>();
        for (Field field : owner.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            long value = field.getLong(null);
            assertEquals(1, Long.bitCount(value), field.getName());
            String other = seen.put(value, field.getName());
            // the only shared bits are the ones Linux itself shares across families
            assertTrue(other == null, field.getName() + " and " + other + " share a bit");
        }
    }

    @Test
    void pinningIsLibbpfs() {
        assertEquals(0, MapPinning.NONE.value());
        assertEquals(1, MapPinning.BY_NAME.value());
        assertEquals("LIBBPF_PIN_BY_NAME", MapPinning.BY_NAME.kernelName());
    }

    private static long constant(Class<?> owner, String name) throws ReflectiveOperationException {
        return owner.getField(name).getLong(null);
    }
}
