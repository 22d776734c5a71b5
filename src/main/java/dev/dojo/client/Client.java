package dev.dojo.client;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import tools.jackson.databind.JsonNode;

/** {@code java -jar dojo.jar client COMMAND ...}: parses the command line and runs one command. */
public final class Client {

    static final String USAGE = """
            usage: java -jar dojo.jar client COMMAND [ARGS] [--url URL] [--key KEY]
              run SPEC.json [--idempotency-key K] [--label k=v]... [--timeout 30m]
                                  submit, follow, print the job as JSON; exit 0/1/2 by outcome
              get ID              print the job as JSON
              wait ID [--timeout 30m]
                                  wait for the job to end; exit 0/1/2 by outcome
              cancel ID           ask the job to stop
              logs ID [--follow]  print the job's log lines
              predict ID (--image FILE... | --instances JSON|@FILE) [--checkpoint N]
              download ID [--checkpoint N] --out FILE   a checkpoint (ZIP)
              export ID [--checkpoint N] --out FILE     the weights as safetensors
            --url defaults to $DOJO_URL, else http://localhost:8080; --key to $DOJO_KEY.
            exit codes: 0 SUCCEEDED, 1 FAILED (gates included), 2 CANCELLED or timed out,
                        3 usage, HTTP or connection error (one line on stderr),
                        130 run interrupted (Ctrl-C, SIGINT) and the job left running""";

    private static final Set<String> COMMON = Set.of("--url", "--key");
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "run", Set.of("--idempotency-key", "--label", "--timeout"),
            "get", Set.of(),
            "wait", Set.of("--timeout"),
            "cancel", Set.of(),
            "logs", Set.of(),
            "predict", Set.of("--image", "--instances", "--checkpoint"),
            "download", Set.of("--checkpoint", "--out"),
            "export", Set.of("--checkpoint", "--out"));

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    Client(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Runs the client and returns its exit code; the caller exits with it. */
    public static int main(String[] argv) {
        return new Client(System.out, System.err, System.getenv()).run(argv);
    }

    int run(String[] argv) {
        try {
            if (argv.length == 0 || Set.of("help", "--help", "-h").contains(argv[0])) {
                (argv.length == 0 ? err : out).println(USAGE);
                return argv.length == 0 ? Exit.ERROR : 0;
            }
            Set<String> options = OPTIONS.get(argv[0]);
            if (options == null) {
                throw new Exit.Failure("unknown command " + argv[0] + "; try: client help");
            }
            Set<String> known = new HashSet<>(options);
            known.addAll(COMMON);
            Args args = Args.parse(argv, known);
            if (args.flag("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (args.flag("--follow") && !"logs".equals(args.command)) {
                throw new Exit.Failure("--follow is for logs only");
            }
            String url = first(args.one("--url"), env.get("DOJO_URL"), "http://localhost:8080");
            String key = first(args.one("--key"), env.get("DOJO_KEY"), null);
            Http http = new Http(url, key);
            return command(args.command).applyAsInt(new Command(args, http, out, err));
        } catch (Exit.Failure | Http.Unreachable e) {
            err.println("dojo: " + e.getMessage());
            return Exit.ERROR;
        }
    }

    private static ToIntFunction<Command> command(String name) {
        return switch (name) {
            case "run" -> c -> new Run(c).run();
            case "wait" -> c -> new Run(c).await();
            case "get" -> Client::get;
            case "cancel" -> Client::cancel;
            case "logs" -> Transfers::logs;
            case "predict" -> Transfers::predict;
            case "download" -> Transfers::download;
            case "export" -> Transfers::export;
            default -> throw new Exit.Failure("unknown command " + name);
        };
    }

    private static int get(Command c) {
        c.print(c.http().get(jobPath(c.args().only("job id"))));
        return 0;
    }

    private static int cancel(Command c) {
        String id = c.args().only("job id");
        JsonNode job = c.http().post(jobPath(id) + "/cancel", "");
        c.print(job);
        c.err().println("dojo: job " + id + " " + job.path("status").asString("") + (job.path("cancelRequested").asBoolean()
                ? " (cancel requested)" : ""));
        return 0;
    }

    static String jobPath(String id) {
        if (id.isBlank() || id.length() > 200) {
            throw new Exit.Failure("not a job id: " + id);
        }
        return "/api/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static String first(String a, String b, String c) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : c;
    }

    /** One command's inputs and outputs. */
    record Command(Args args, Http http, PrintStream out, PrintStream err) {
        void print(JsonNode json) {
            out.println(Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            out.flush();
        }
    }
}
