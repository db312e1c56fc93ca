package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.api.Collection;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code CGROUP_SKB} egress program through {@code BPF_LINK_CREATE} on a cgroup v2 of the test's own: it counts
 * the datagrams a child process in that cgroup sends to 127.0.0.1, and only while the link is open.
 */
class CgroupAttachTest {
    /** {@code CGROUP_SKB} verdicts: 1 lets the packet go. */
    private static final int ALLOW = 1;

    private Path cgroup;

    @BeforeEach
    void createCgroup() throws IOException {
        KernelTests.backend();
        Optional<Path> root = cgroup2Mount();
        assumeTrue(root.isPresent(), "no cgroup v2 hierarchy is mounted");
        cgroup = root.get().resolve("ebpf4j-test-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
        Files.createDirectory(cgroup);
    }

    @AfterEach
    void removeCgroup() throws IOException {
        // Every process started here has exited (each is waited for), so the cgroup is empty and can go.
        if (cgroup != null) {
            Files.deleteIfExists(cgroup);
        }
    }

    @Test
    void anEgressProgramCountsWhatTheCgroupSends() throws Exception {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.CGROUP_SKB,
                Optional.of(AttachType.CGROUP_INET_EGRESS), b -> { }, ALLOW, ALLOW))) {
            try (LinuxLink link = LinuxLinks.cgroup(loaded.program("prog"), cgroup, AttachType.CGROUP_INET_EGRESS)) {
                sendFromCgroup(5);
                assertTrue(BuiltPrograms.count(loaded) >= 5, "counted " + BuiltPrograms.count(loaded));
            }
            long atClose = BuiltPrograms.count(loaded);
            sendFromCgroup(3);
            assertEquals(atClose, BuiltPrograms.count(loaded), "a closed link counts no more packets");
        }
    }

    /** A shell moves itself into the cgroup, then becomes python sending {@code count} datagrams to localhost. */
    private void sendFromCgroup(int count) throws IOException, InterruptedException {
        String python = "import socket\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "for _ in range(" + count + "):\n"
                + "    s.sendto(b'ebpf4j', ('127.0.0.1', 9))\n";
        Process p = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs")
                + " && exec /usr/bin/python3 -c \"$0\"", python).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the sender finished");
        assertEquals(0, p.exitValue());
    }

    private static Optional<Path> cgroup2Mount() throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream()
                .map(line -> line.split(" "))
                .filter(f -> f.length > 2 && f[2].equals("cgroup2"))
                .map(f -> Path.of(f[1]))
                .findFirst();
    }
}
