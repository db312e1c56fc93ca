/**
 * Program contexts as run-time memory: {@link org.ebpf4j.runtime.context.ContextMemory} applies a
 * {@link org.ebpf4j.spec.context.ContextLayout} (the kernel's ctx rewrite included) to each access.
 */
package org.ebpf4j.runtime.context;
