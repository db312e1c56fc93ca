package org.ebpf4j.api;

import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.Errno;

/** A map operation that failed with the errno the kernel would return (ENOENT, EEXIST, E2BIG, EINVAL, ...). */
public final class MapException extends BpfException {
    private final Errno errno;

    public MapException(String map, String operation, Errno errno) {
        super(operation + " on map '" + map + "' failed: " + errno.name() + " (" + errno.value() + ")");
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
