/**
 * Codecs between Java values and the bytes of BPF map keys and values (C layout, little endian), used by
 * {@link org.ebpf4j.api.TypedMap}. Records mirror C structs; {@link org.ebpf4j.api.codec.RecordCodec#checkAgainst}
 * compares a record with the struct in the object's BTF.
 */
package org.ebpf4j.api.codec;
