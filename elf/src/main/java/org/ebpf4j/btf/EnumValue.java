package org.ebpf4j.btf;

/**
 * An enumerator of ENUM or ENUM64. {@code value} holds the raw bits, sign-extended from 32 bits for a signed ENUM;
 * whether it reads as signed or unsigned is the enum's {@code signed()}.
 */
public record EnumValue(String name, long value) {
}
