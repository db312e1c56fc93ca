package org.ebpf4j.api.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The length of a C array member, on a record component whose type is an array or a {@link String} (a
 * {@code char[length]}). Java arrays carry no length in their type, so a record needs this to have a C layout.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface CArray {
    /** The number of elements (for a String: of bytes, NUL included when the text is shorter). */
    int value();
}
