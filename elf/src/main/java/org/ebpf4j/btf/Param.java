package org.ebpf4j.btf;

/** A FUNC_PROTO parameter: name ("" when unnamed) and type id; type 0 with no name marks "...". */
public record Param(String name, int type) {
    public boolean isVariadicMarker() {
        return type == 0 && name.isEmpty();
    }
}
