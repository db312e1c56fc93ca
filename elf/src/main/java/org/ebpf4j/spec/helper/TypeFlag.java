package org.ebpf4j.spec.helper;

/**
 * Modifiers of argument and return types: the kernel's {@code enum bpf_type_flag} (include/linux/bpf.h), the
 * ones helper prototypes use. The kernel ORs them into the type's number; here they are a set.
 */
public enum TypeFlag {
    /** PTR_MAYBE_NULL: NULL is allowed (arguments) or possible until checked (returns). */
    PTR_MAYBE_NULL,
    /** MEM_RDONLY: the memory is only read (arguments) or may only be read (returns). */
    MEM_RDONLY,
    /** MEM_RINGBUF: the memory is a ring-buffer record. */
    MEM_RINGBUF,
    /** MEM_USER: user-space memory. */
    MEM_USER,
    /** MEM_PERCPU: per-CPU memory. */
    MEM_PERCPU,
    /** OBJ_RELEASE: the helper releases the reference this argument holds. */
    OBJ_RELEASE,
    /** PTR_UNTRUSTED: a pointer the kernel does not vouch for. */
    PTR_UNTRUSTED,
    /** MEM_UNINIT: the helper only writes the memory, which need not be initialised before. */
    MEM_UNINIT,
    /** DYNPTR_TYPE_LOCAL: a dynptr over program memory. */
    DYNPTR_TYPE_LOCAL,
    /** DYNPTR_TYPE_RINGBUF: a dynptr over a ring-buffer record. */
    DYNPTR_TYPE_RINGBUF,
    /** MEM_FIXED_SIZE: the memory's size is the prototype's own, not the next argument. */
    MEM_FIXED_SIZE,
    /** MEM_ALLOC: memory allocated by the program. */
    MEM_ALLOC,
    /** PTR_TRUSTED: a pointer the kernel vouches for. */
    PTR_TRUSTED,
    /** MEM_RCU: valid inside an RCU read section. */
    MEM_RCU,
    /** NON_OWN_REF: a non-owning reference. */
    NON_OWN_REF,
    /** DYNPTR_TYPE_SKB: a dynptr over an skb. */
    DYNPTR_TYPE_SKB,
    /** DYNPTR_TYPE_XDP: a dynptr over an xdp buffer. */
    DYNPTR_TYPE_XDP,
    /** MEM_ALIGNED: the memory must be aligned to its size. */
    MEM_ALIGNED,
    /** MEM_WRITE: the helper writes the memory, so it must be writable. */
    MEM_WRITE
}
