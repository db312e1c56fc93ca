/**
 * BTF, the BPF Type Format: types and strings of {@code .BTF}, and {@code .BTF.ext}'s per-instruction records.
 *
 * <p>{@link org.ebpf4j.btf.Btf#parse} reads a {@code .BTF} section or a raw BTF file ({@code /sys/kernel/btf/vmlinux})
 * into {@link org.ebpf4j.btf.BtfType} records, one per kind; {@link org.ebpf4j.btf.BtfExt#parse} reads func_info,
 * line_info and CO-RE relocations against it; {@link org.ebpf4j.btf.BtfDump} prints types as
 * {@code bpftool btf dump format raw} does. Malformed input is always a {@link org.ebpf4j.btf.BtfFormatException}
 * naming the type or record, the byte offset in the section and the field.
 */
package org.ebpf4j.btf;
