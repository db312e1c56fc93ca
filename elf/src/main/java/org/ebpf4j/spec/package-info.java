/**
 * Immutable descriptions of what an object file asks to load (programs, maps, global data), independent of any
 * backend, and the Linux numbers they are written in (program types, attach types, map types, flags).
 */
package org.ebpf4j.spec;
