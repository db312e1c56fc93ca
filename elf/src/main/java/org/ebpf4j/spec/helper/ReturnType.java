package org.ebpf4j.spec.helper;

/** What a helper returns in r0: the base types of the kernel's {@code enum bpf_return_type}, in its order. */
public enum ReturnType {
    /** RET_INTEGER: a number. */
    INTEGER,
    /** RET_VOID: nothing; r0 is not readable after the call. */
    VOID,
    /** RET_PTR_TO_MAP_VALUE: a value of the map given as argument. */
    PTR_TO_MAP_VALUE,
    /** RET_PTR_TO_SOCKET: a full socket (a reference to release). */
    PTR_TO_SOCKET,
    /** RET_PTR_TO_TCP_SOCK: a TCP socket. */
    PTR_TO_TCP_SOCK,
    /** RET_PTR_TO_SOCK_COMMON: a socket's common part. */
    PTR_TO_SOCK_COMMON,
    /** RET_PTR_TO_MEM: memory of a size the call knows (an allocation, a ring-buffer record). */
    PTR_TO_MEM,
    /** RET_PTR_TO_MEM_OR_BTF_ID: a kernel variable, as memory or as a BTF-typed pointer. */
    PTR_TO_MEM_OR_BTF_ID,
    /** RET_PTR_TO_BTF_ID: a BTF-typed kernel object. */
    PTR_TO_BTF_ID
}
