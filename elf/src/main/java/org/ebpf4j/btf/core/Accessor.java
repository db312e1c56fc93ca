package org.ebpf4j.btf.core;

/**
 * One step of an access path that CO-RE matches by meaning. Anonymous struct and union members are not steps: the
 * raw access string names them, but a target may nest the same field differently, so only named members, array
 * elements and enumerators are matched.
 */
sealed interface Accessor {
    /** The index in the access string: member, element or enumerator index. */
    int index();

    /** Member {@code index}, called {@code name}, of the struct or union {@code compositeId}. */
    record Field(int compositeId, int index, String name) implements Accessor {}

    /**
     * Element {@code index} of an array whose elements have type {@code elementTypeId} (typedefs and qualifiers
     * skipped). The first step of every field access is one: the index through the root pointer.
     */
    record Element(int elementTypeId, int index) implements Accessor {}

    /** Enumerator {@code index}, called {@code name}, of the enum {@code enumId}. */
    record Enumerator(int enumId, int index, String name) implements Accessor {}
}
