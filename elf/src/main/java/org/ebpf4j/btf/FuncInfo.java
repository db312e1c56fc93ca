package org.ebpf4j.btf;

/**
 * A {@code .BTF.ext} func_info record: the function ({@code type}, a FUNC) that starts at {@code insnOffset} in
 * code section {@code section}. In an object file the offset is in bytes from the start of the section (divide by
 * 8 for an instruction index); the kernel's {@code bpf_func_info} counts instructions instead.
 */
public record FuncInfo(String section, long insnOffset, int type) {
}
