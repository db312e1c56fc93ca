/** BTF, the BPF Type Format: types and strings of {@code .BTF}, and {@code .BTF.ext}'s per-instruction records. */
package org.ebpf4j.btf;
