package org.ebpf4j.spec.helper;

/**
 * What a helper argument must be: the base types of the kernel's {@code enum bpf_arg_type} (include/linux/bpf.h),
 * in its order. Modifiers such as "may be NULL" or "read-only" are {@link TypeFlag}s on an {@link ArgSpec}.
 */
public enum ArgType {
    /** ARG_DONTCARE: the helper does not use the register; it need not be initialised. */
    DONTCARE,
    /** ARG_CONST_MAP_PTR: a map handle (CONST_PTR_TO_MAP). */
    CONST_MAP_PTR,
    /** ARG_PTR_TO_MAP_KEY: key_size bytes of initialised memory, for the map given in the argument before. */
    PTR_TO_MAP_KEY,
    /** ARG_PTR_TO_MAP_VALUE: value_size bytes of memory, for the map given in the argument before. */
    PTR_TO_MAP_VALUE,
    /** ARG_PTR_TO_MEM: memory whose size the next argument (a constant size) gives, or the fixed size. */
    PTR_TO_MEM,
    /** ARG_PTR_TO_ARENA: an arena pointer. */
    PTR_TO_ARENA,
    /** ARG_CONST_SIZE: the byte count of the memory argument before it, known bounds, more than zero. */
    CONST_SIZE,
    /** ARG_CONST_SIZE_OR_ZERO: as {@link #CONST_SIZE}, zero allowed. */
    CONST_SIZE_OR_ZERO,
    /** ARG_PTR_TO_CTX: the program's context, unmoved. */
    PTR_TO_CTX,
    /** ARG_ANYTHING: any initialised register. */
    ANYTHING,
    /** ARG_PTR_TO_SPIN_LOCK: the bpf_spin_lock inside a map value. */
    PTR_TO_SPIN_LOCK,
    /** ARG_PTR_TO_SOCK_COMMON: a socket's common part. */
    PTR_TO_SOCK_COMMON,
    /** ARG_PTR_TO_SOCKET: a full socket. */
    PTR_TO_SOCKET,
    /** ARG_PTR_TO_BTF_ID: a kernel object typed by BTF. */
    PTR_TO_BTF_ID,
    /** ARG_PTR_TO_RINGBUF_MEM: a ring-buffer record from bpf_ringbuf_reserve. */
    PTR_TO_RINGBUF_MEM,
    /** ARG_CONST_ALLOC_SIZE_OR_ZERO: a known size to allocate (the returned memory's size). */
    CONST_ALLOC_SIZE_OR_ZERO,
    /** ARG_PTR_TO_BTF_ID_SOCK_COMMON: any socket pointer, BTF-typed or not. */
    PTR_TO_BTF_ID_SOCK_COMMON,
    /** ARG_PTR_TO_PERCPU_BTF_ID: a per-CPU kernel variable (ksym). */
    PTR_TO_PERCPU_BTF_ID,
    /** ARG_PTR_TO_FUNC: a callback's address (lddw with BPF_PSEUDO_FUNC). */
    PTR_TO_FUNC,
    /** ARG_PTR_TO_STACK: a pointer into the stack. */
    PTR_TO_STACK,
    /** ARG_PTR_TO_CONST_STR: a NUL-terminated string in a frozen read-only map value. */
    PTR_TO_CONST_STR,
    /** ARG_PTR_TO_TIMER: the bpf_timer inside a map value. */
    PTR_TO_TIMER,
    /** ARG_KPTR_XCHG_DEST: a kptr field of a map value. */
    KPTR_XCHG_DEST,
    /** ARG_PTR_TO_DYNPTR: a bpf_dynptr on the stack. */
    PTR_TO_DYNPTR
}
