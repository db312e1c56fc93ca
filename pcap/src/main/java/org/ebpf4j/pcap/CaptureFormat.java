package org.ebpf4j.pcap;

/** The two capture file formats ebpf4j reads and writes. */
public enum CaptureFormat {
    /** libpcap's classic format: one link type per file, microsecond or nanosecond timestamps. */
    PCAP,
    /** pcapng: sections, interfaces each with its own link type and timestamp resolution, blocks. */
    PCAPNG
}
