/**
 * The JVM backend: {@link org.ebpf4j.runtime.backend.JvmBackend} loads a collection into this process (maps from
 * {@link org.ebpf4j.runtime.maps.JvmMaps}, programs prepared by an {@link org.ebpf4j.runtime.Engine}) and runs
 * {@code testRun} with {@code BPF_PROG_TEST_RUN}'s semantics for the packet program types.
 */
package org.ebpf4j.runtime.backend;
