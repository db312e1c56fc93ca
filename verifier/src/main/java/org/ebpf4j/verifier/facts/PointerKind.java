package org.ebpf4j.verifier.facts;

/**
 * The memory one load, store or atomic instruction reaches, joined over every verified path through it. The
 * engines address the first three directly; the others go through the region table.
 */
public enum PointerKind {
    /** No verified path reaches the instruction as a memory access (not a memory instruction, or dead code). */
    NONE,
    /** The stack frame of the instruction's own subprogram (its r10). */
    STACK,
    /** A caller's stack frame, reached through a pointer passed down a bpf-to-bpf call. */
    OUTER_STACK,
    /** The program's context (PTR_TO_CTX). */
    CONTEXT,
    /** Packet data or metadata (PTR_TO_PACKET, PTR_TO_PACKET_META), within the range a pkt_end check proved. */
    PACKET,
    /** A map value (PTR_TO_MAP_VALUE). */
    MAP_VALUE,
    /** Other sized memory, such as a ring-buffer record (PTR_TO_MEM). */
    MEMORY,
    /** Different kinds on different paths. */
    MIXED
}
