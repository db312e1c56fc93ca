package org.ebpf4j.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which processes hold fds of a BPF object: the {@code prog_id:}/{@code map_id:} lines of their fdinfo. */
final class ProcessFds {
    private static final Path PROC = Path.of("/proc");

    private ProcessFds() {}

    static List<KernelObjects.Holder> holders(String key, int id) {
        long self = ProcessHandle.current().pid();
        String wanted = Integer.toString(id);
        List<KernelObjects.Holder> holders = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName()))) {
            for (Path process : processes) {
                int pid = Integer.parseInt(process.getFileName().toString());
                if (pid != self && holds(process.resolve("fdinfo"), key, wanted)) {
                    holders.add(new KernelObjects.Holder(pid, command(process)));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        holders.sort(java.util.Comparator.comparingInt(KernelObjects.Holder::pid));
        return holders;
    }

    private static boolean holds(Path fdinfo, String key, String id) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdinfo)) {
            for (Path fd : fds) {
                for (String line : Files.readAllLines(fd)) {
                    if (line.startsWith(key + ":") && line.substring(key.length() + 1).strip().equals(id)) {
                        return true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A process that ended, or one this process may not look into: it holds nothing visible.
        }
        return false;
    }

    private static String command(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static boolean isNumber(Path name) {
        String s = name.toString();
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
