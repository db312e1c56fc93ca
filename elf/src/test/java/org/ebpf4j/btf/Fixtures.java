package org.ebpf4j.btf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The committed fixtures under {@code src/test/resources/btf}, written by its {@code build.sh}. */
final class Fixtures {
    static final String[] SOURCES = {"types", "core"};
    static final String[] ORDERS = {"el", "eb"};

    private Fixtures() {
    }

    static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/btf/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource btf/" + path + " (run btf/build.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    static Btf btf(String name, String order) {
        return Btf.parse(bytes("obj/" + name + "." + order + ".btf"));
    }

    static BtfExt ext(String name, String order) {
        return BtfExt.parse(bytes("obj/" + name + "." + order + ".btf.ext"), btf(name, order));
    }
}
