package org.ebpf4j.btf.core;

/**
 * A type's name without its flavour: {@code task_struct___v2} and {@code task_struct} are the same type to CO-RE, so
 * a program can declare several layouts of one kernel type side by side. The flavour starts at the last "___" that
 * has a character other than '_' on each side.
 */
final class EssentialName {
    private static final String SEPARATOR = "___";

    private EssentialName() {
    }

    static String of(String name) {
        for (int at = name.length() - SEPARATOR.length() - 2; at >= 0; at--) {
            if (name.charAt(at) != '_' && name.startsWith(SEPARATOR, at + 1)
                    && name.charAt(at + 1 + SEPARATOR.length()) != '_') {
                return name.substring(0, at + 1);
            }
        }
        return name;
    }

    /**
     * libbpf's rule for names inside types being matched: an anonymous target matches only an anonymous local, and
     * named ones match when their essential names do.
     */
    static boolean match(String local, String target) {
        if (target.isEmpty()) {
            return local.isEmpty();
        }
        return of(local).equals(of(target));
    }
}
