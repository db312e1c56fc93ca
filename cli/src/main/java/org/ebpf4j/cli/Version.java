package org.ebpf4j.cli;

import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"ebpf4j " + (v == null ? "(development build)" : v)};
    }
}
