/**
 * Typed contexts for {@link org.ebpf4j.api.Program#run}: one record per program type whose input is a context
 * alone ({@code pt_regs}, raw tracepoint arguments, a tracepoint record, a perf sample, a syscall buffer), each
 * encoded as the kernel lays it out.
 */
package org.ebpf4j.api.context;
