package org.ebpf4j.cli;

import java.util.HexFormat;

/** Hex byte strings as the command line takes them: pairs of hex digits, whitespace anywhere ignored. */
final class Hex {
    private Hex() {}

    static byte[] parse(String what, String text) {
        String digits = text.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0) {
            throw new CliException(what + ": odd number of hex digits (" + digits.length() + ")");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                throw new CliException(what + ": '" + digits.charAt(i) + "' at position " + i + " is not a hex digit");
            }
        }
        return HexFormat.of().parseHex(digits);
    }
}
