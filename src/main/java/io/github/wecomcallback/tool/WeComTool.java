package io.github.wecomcallback.tool;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar wecom-callback-tool.jar}: a simulator of the WeCom platform, to test a callback
 * deployment the way WeCom will, before WeCom does.
 */
@Command(name = "wecom-callback-tool", mixinStandardHelpOptions = true, version = "wecom-callback-tool 0.1.0",
        description = "Simulates the WeCom (企业微信) platform against a callback URL.",
        subcommands = {VerifyUrlCommand.class, SendCommand.class, KeygenCommand.class, DecryptCommand.class})
public final class WeComTool implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the tool with the given output streams; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new WeComTool());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
