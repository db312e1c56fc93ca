package org.ebpf4j.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Relocation against the committed stand-in kernel (core/obj/target.btf, from core/src/target.c), compared with
 * what libbpf did against the same BTF (core/expected/*.target.txt, recorded by core/build.sh). Runs everywhere.
 */
class CoreRelocatorTargetTest {

    @Test
    void localFixtureMatchesLibbpf() {
        int checked = LibbpfComparison.assertSameAsLibbpf(CoreObject.resource("core/obj/local.o"),
                CoreObject.targetBtf(), LibbpfLog.read("local.target.txt"));
        assertEquals(48, checked);
    }

    @Test
    void btfCoreFixtureMatchesLibbpf() {
        int checked = LibbpfComparison.assertSameAsLibbpf(CoreObject.resource("btf/obj/core.el.o"),
                CoreObject.targetBtf(), LibbpfLog.read("btf-core.el.target.txt"));
        assertEquals(18, checked);
    }
}
