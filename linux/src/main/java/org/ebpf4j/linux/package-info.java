/**
 * The Linux kernel backend: {@link org.ebpf4j.linux.LinuxBackend} loads a {@link org.ebpf4j.spec.CollectionSpec}
 * into the running kernel through {@code bpf(2)}, called with {@code java.lang.foreign} (no JNI, no libbpf).
 *
 * <p>Layers, bottom up: {@code Syscalls} (libc's {@code syscall} with errno captured), {@code BpfAttrLayouts}
 * (the parts of {@code union bpf_attr}, one place), {@code MapCommands} and {@code ProgramCommands} (one method per
 * command), then the loaded objects {@link org.ebpf4j.linux.LinuxMap}, {@link org.ebpf4j.linux.LinuxProgram} and
 * {@link org.ebpf4j.linux.LinuxCollection}, built by {@code CollectionLoader}. Attaching:
 * {@link org.ebpf4j.linux.LinuxLinks} makes {@link org.ebpf4j.linux.LinuxLink}s through {@code LinkCommands},
 * {@code PerfEvents} and {@code Libc}; {@link org.ebpf4j.linux.LinuxRingBuffer} and
 * {@link org.ebpf4j.linux.LinuxPerfBuffer} read ring buffer and perf event array maps.
 */
package org.ebpf4j.linux;
