/**
 * What a program of each type sees as its context ({@code struct xdp_md}, {@code struct __sk_buff}, ...): one pure
 * description per program type, field by field, with the kernel's offsets, sizes and access rules. The verifier
 * checks context accesses against it; the engines build the context memory from it. Nothing here runs anything.
 */
package org.ebpf4j.spec.context;
