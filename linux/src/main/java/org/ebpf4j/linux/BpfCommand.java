package org.ebpf4j.linux;

import org.ebpf4j.spec.KernelEnum;

/** The {@code bpf(2)} commands this backend issues ({@code enum bpf_cmd} of {@code include/uapi/linux/bpf.h}). */
public enum BpfCommand implements KernelEnum {
    MAP_CREATE(0),
    MAP_LOOKUP_ELEM(1),
    MAP_UPDATE_ELEM(2),
    MAP_DELETE_ELEM(3),
    MAP_GET_NEXT_KEY(4),
    PROG_LOAD(5),
    OBJ_PIN(6),
    OBJ_GET(7),
    PROG_TEST_RUN(10),
    PROG_GET_NEXT_ID(11),
    MAP_GET_NEXT_ID(12),
    PROG_GET_FD_BY_ID(13),
    MAP_GET_FD_BY_ID(14),
    OBJ_GET_INFO_BY_FD(15),
    RAW_TRACEPOINT_OPEN(17),
    BTF_LOAD(18),
    BTF_GET_FD_BY_ID(19),
    MAP_LOOKUP_AND_DELETE_ELEM(21),
    MAP_FREEZE(22),
    BTF_GET_NEXT_ID(23),
    MAP_LOOKUP_BATCH(24),
    LINK_CREATE(28),
    LINK_GET_FD_BY_ID(30),
    LINK_GET_NEXT_ID(31),
    ENABLE_STATS(32);

    private final int value;

    BpfCommand(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** {@code BPF_MAP_CREATE}, as the header spells it. */
    @Override
    public String kernelName() {
        return "BPF_" + name();
    }
}
