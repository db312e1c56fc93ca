package org.ebpf4j.btf;

/**
 * One entry of a DATASEC ({@code struct btf_var_secinfo}): the VAR (or, in {@code .ksyms}, FUNC) type id and where it
 * lives in the section. In objects fresh from clang offsets and sizes may still be 0; the loader fills them in.
 */
public record DatasecVar(int type, long offset, long size) {
}
