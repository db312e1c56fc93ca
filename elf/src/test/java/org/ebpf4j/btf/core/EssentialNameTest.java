package org.ebpf4j.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EssentialNameTest {
    @ParameterizedTest
    @CsvSource({
        "task_struct, task_struct",
        "task_struct___v2, task_struct",
        "task_struct___a___b, task_struct___a",
        "a___b, a",
        "__x___, __x___",
        "x____y, x____y",
        "___y, ___y",
        "x___, x___",
        "BPF_FUNC_ktime_get_ns___local, BPF_FUNC_ktime_get_ns",
    })
    void flavourIsTheLastTripleUnderscoreBetweenOtherCharacters(String name, String essential) {
        assertEquals(essential, EssentialName.of(name));
    }
}
