package org.ebpf4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A bpftool-style command ({@code map lookup id 5 key 1 0 0 0}): positional words, {@code --json}, and the
 * {@link Session} it runs in (a batch script's, or {@link Session#NONE} on its own). A {@link BpftoolError} is
 * printed as bpftool prints one: {@code {"error": ...}} on stdout in JSON, else {@code Error: ...} on stderr.
 */
abstract class SessionCommand implements Callable<Integer>, Session.User {
    @Spec
    CommandSpec spec;

    @Option(names = {"-j", "--json"}, description = "JSON output.")
    boolean json;

    @Parameters(paramLabel = "WORD", arity = "0..*", description = "The command's words, as bpftool's.")
    List<String> words = List.of();

    Session session = Session.NONE;

    /** Picocli's factory for the commands of {@code session}: each gets the session. */
    static CommandLine.IFactory factory(Session session) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof Session.User user) {
                    user.use(session);
                }
                return made;
            }
        };
    }

    @Override
    public void use(Session session) {
        this.session = session;
    }

    @Override
    public final Integer call() throws Exception {
        try {
            run(new Words(words), out());
            return 0;
        } catch (BpftoolError e) {
            if (json && !session.batch()) {
                // In a batch script the script reports it, in its own JSON.
                out().print(Json.write(java.util.Map.of("error", e.getMessage())));
                out().flush();
                return Main.EXIT_FAILURE;
            }
            throw e;
        }
    }

    abstract void run(Words words, PrintWriter out) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    void print(String text) {
        out().print(text);
        out().flush();
    }
}
