/**
 * CO-RE (compile once, run everywhere): resolving an object's {@code .BTF.ext} CO-RE relocations against the BTF of
 * the machine that runs the program, with libbpf's semantics.
 *
 * <p>{@link org.ebpf4j.btf.core.CoreRelocator} is the entry point. For each relocation it parses the access string
 * against the object's own BTF ({@link org.ebpf4j.btf.core.LocalSpecParser}), finds the target types with the same
 * essential name and kind ({@link org.ebpf4j.btf.core.CandidateIndex}), keeps those the access path can follow
 * ({@link org.ebpf4j.btf.core.TargetSpecMatcher}, {@link org.ebpf4j.btf.core.TypeCompatibility},
 * {@link org.ebpf4j.btf.core.TypeMatch}), computes the value the instruction holds and the value it must hold
 * ({@link org.ebpf4j.btf.core.RelocationValues}) and rewrites the instruction
 * ({@link org.ebpf4j.btf.core.InstructionPatcher}). Relocations that no target satisfies poison their instruction
 * as libbpf does, so a program that guards them with an existence check still loads.
 */
package org.ebpf4j.btf.core;
