package org.ebpf4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch script as bpftool's {@code batch file} reads it: one command per line, words separated by blanks,
 * {@code "double"} or {@code 'single'} quotes holding blanks, a backslash escaping the next character (at the end of
 * a line: the command goes on on the next line), {@code #} outside quotes starting a comment. Blank lines and
 * comment lines are not commands.
 */
final class BatchScript {
    /** A command and the line it starts on (1-based). */
    record Command(int line, List<String> words) {}

    private BatchScript() {}

    static List<Command> parse(String script) {
        List<Command> commands = new ArrayList<>();
        String[] lines = script.split("\r?\n", -1);
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int n = 0; n < lines.length; n++) {
            if (words.isEmpty()) {
                start = n + 1;
            }
            boolean continued = words(lines[n], n + 1, words);
            if (!continued && !words.isEmpty()) {
                commands.add(new Command(start, List.copyOf(words)));
                words.clear();
            }
        }
        if (!words.isEmpty()) {
            commands.add(new Command(start, List.copyOf(words)));
        }
        return commands;
    }

    /** Adds the words of one line; returns whether the line ends with a backslash (the command goes on). */
    private static boolean words(String line, int number, List<String> words) {
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                if (i + 1 == line.length()) {
                    if (quote != 0) {
                        throw new BpftoolError("line " + number + ": unterminated " + quote + " quote");
                    }
                    if (word != null) {
                        words.add(word.toString());
                    }
                    return true;
                }
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == '#') {
                break;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new BpftoolError("line " + number + ": unterminated " + quote + " quote");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return false;
    }
}
