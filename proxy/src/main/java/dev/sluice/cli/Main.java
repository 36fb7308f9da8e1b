package dev.sluice.cli;

import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.runtime.ServerContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} executable. Exit codes: 0 success, 1 failure, 2 bad usage (including a bad
 * configuration).
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A Redis-compatible server in front of PostgreSQL.",
    subcommands = {})
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine main = new CommandLine(new Main());
    main.addSubcommand(ServeCommand.withSettingFlags(new CommandLine(new ServeCommand())));
    main.addSubcommand(MigrateCommand.withSettingFlags(new CommandLine(new MigrateCommand())));
    main.addSubcommand(JournalCommand.commandLine());
    RemoteCommands.commandLines().forEach(main::addSubcommand);
    main.addSubcommand(new IngestCommand());
    main.addSubcommand(ConfigCommand.commandLine());
    return main;
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "sluice " + ServerContext.SLUICE_VERSION + " (redis_version " + Engine.REDIS_VERSION + ")"
      };
    }
  }
}
