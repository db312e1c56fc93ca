package org.ebpf4j.isa;

/**
 * The root of every error ebpf4j reports about a program, an object file or an operation on them. Unchecked,
 * and always with a message that names what went wrong and where.
 */
public class BpfException extends RuntimeException {
    public BpfException(String message) {
        super(message);
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
    }
}
