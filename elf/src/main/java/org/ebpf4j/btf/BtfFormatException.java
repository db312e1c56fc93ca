package org.ebpf4j.btf;

import org.ebpf4j.isa.BpfException;

/**
 * Malformed {@code .BTF} or {@code .BTF.ext} data. The message names the section, the type id or record, the byte
 * offset from the start of the section where one applies, and the field at fault; for example
 * {@code BTF: type 17 (STRUCT 'foo') member 2 refers to type 900, but the last type id is 120}.
 */
public final class BtfFormatException extends BpfException {
    public BtfFormatException(String message) {
        super(message);
    }
}
