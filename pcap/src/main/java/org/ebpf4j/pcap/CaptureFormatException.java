package org.ebpf4j.pcap;

import org.ebpf4j.isa.BpfException;

/** A capture file that cannot be read: the message names the file, the offset and the record or block. */
public final class CaptureFormatException extends BpfException {
    public CaptureFormatException(String file, long offset, String where, String problem) {
        super(file + ": offset " + offset + " (0x" + Long.toHexString(offset) + "), " + where + ": " + problem);
    }
}
