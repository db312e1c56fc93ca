package org.ebpf4j.spec;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the target part of section names. Forms follow libbpf's documented attach formats: the binary path of
 * a uprobe ends at the first {@code :} (paths with a colon cannot be named in a section), an offset follows the last
 * {@code +} and is decimal or {@code 0x} hexadecimal.
 */
final class TargetParser {

    // libbpf documents a-zA-Z0-9_. for kprobe function names.
    private static final Pattern KERNEL_SYMBOL = Pattern.compile("[A-Za-z0-9_.]+");
    // Versioned ELF symbols (malloc@GLIBC_2.2.5) are valid uprobe targets.
    private static final Pattern USER_SYMBOL = Pattern.compile("[A-Za-z0-9_.@$]+");
    private static final Pattern PERIOD = Pattern.compile("([0-9]+)(ns|us|ms|s|hz)");

    private TargetParser() {
    }

    static AttachTarget kernelFunction(String text) {
        return functionAndOffset(text, KERNEL_SYMBOL, AttachTarget.KernelFunction::new);
    }

    static AttachTarget userFunction(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return new AttachTarget.Malformed(text, "expected PATH:FUNCTION[+OFFSET]");
        }
        String path = text.substring(0, colon);
        return functionAndOffset(text.substring(colon + 1), USER_SYMBOL,
                (function, offset) -> new AttachTarget.UserFunction(path, function, offset));
    }

    static AttachTarget userFunctionPattern(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return new AttachTarget.Malformed(text, "expected PATH:PATTERN");
        }
        return new AttachTarget.UserFunctionPattern(text.substring(0, colon), text.substring(colon + 1));
    }

    static AttachTarget usdt(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return new AttachTarget.Malformed(text, "expected PATH:PROVIDER:NAME");
        }
        return new AttachTarget.Usdt(parts[0], parts[1], parts[2]);
    }

    static AttachTarget tracepoint(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            return new AttachTarget.Malformed(text, "expected CATEGORY/NAME");
        }
        return new AttachTarget.Tracepoint(text.substring(0, slash), text.substring(slash + 1));
    }

    static AttachTarget javaMethod(String text) {
        int hash = text.indexOf('#');
        if (hash <= 0 || hash == text.length() - 1 || text.substring(0, hash).contains("/")) {
            return new AttachTarget.Malformed(text, "expected CLASS#METHOD[DESCRIPTOR] with a dotted class name");
        }
        String className = text.substring(0, hash);
        String method = text.substring(hash + 1);
        int paren = method.indexOf('(');
        if (paren == 0) {
            return new AttachTarget.Malformed(text, "missing method name before the descriptor");
        }
        if (paren < 0) {
            return new AttachTarget.JavaMethod(className, method, Optional.empty());
        }
        String descriptor = method.substring(paren);
        if (descriptor.indexOf(')') < 1) {
            return new AttachTarget.Malformed(text, "descriptor must read (ARGUMENTS)RETURN");
        }
        return new AttachTarget.JavaMethod(className, method.substring(0, paren), Optional.of(descriptor));
    }

    static AttachTarget period(String text) {
        Matcher matcher = PERIOD.matcher(text);
        if (!matcher.matches()) {
            return new AttachTarget.Malformed(text, "expected a period such as 10ms or a frequency such as 99hz");
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException tooLarge) {
            return new AttachTarget.Malformed(text, "number too large");
        }
        if (amount == 0) {
            return new AttachTarget.Malformed(text, "period must be positive");
        }
        Duration period = switch (matcher.group(2)) {
            case "ns" -> Duration.ofNanos(amount);
            case "us" -> Duration.of(amount, ChronoUnit.MICROS);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofNanos(Math.max(1, 1_000_000_000L / amount)); // hz
        };
        return new AttachTarget.Timer(period);
    }

    private interface FunctionTarget {
        AttachTarget of(String function, long offset);
    }

    private static AttachTarget functionAndOffset(String text, Pattern symbol, FunctionTarget target) {
        int plus = text.lastIndexOf('+');
        String function = plus < 0 ? text : text.substring(0, plus);
        if (!symbol.matcher(function).matches()) {
            return new AttachTarget.Malformed(text, "'" + function + "' is not a function name");
        }
        if (plus < 0) {
            return target.of(function, 0);
        }
        Optional<Long> offset = offset(text.substring(plus + 1));
        if (offset.isEmpty()) {
            return new AttachTarget.Malformed(text, "offset must be a non-negative decimal or 0x number");
        }
        return target.of(function, offset.get());
    }

    private static Optional<Long> offset(String text) {
        try {
            long value = text.startsWith("0x") || text.startsWith("0X")
                    ? Long.parseLong(text.substring(2), 16)
                    : Long.parseLong(text);
            return value >= 0 && !text.startsWith("-") && !text.startsWith("+") ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }
}
