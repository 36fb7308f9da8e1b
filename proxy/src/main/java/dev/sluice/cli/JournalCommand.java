package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Setting;
import dev.sluice.config.Settings;
import dev.sluice.writeback.journal.CorruptJournalException;
import dev.sluice.writeback.journal.JournalVerifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice journal verify|stats}: offline inspection of the write-back journal. Reads only;
 * run it while Sluice is stopped or running.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Inspects the write-back journal offline.",
    footer = {
      "",
      "Exit codes: 0 OK (a torn tail is OK: start-up cuts it), 1 corrupt, 2 bad usage."
    })
public final class JournalCommand implements Runnable {
  static final List<Setting<?>> SETTINGS = List.of(Settings.JOURNAL_DIR);

  @Spec CommandSpec spec;

  static CommandLine commandLine() {
    CommandLine journal = new CommandLine(new JournalCommand());
    journal.addSubcommand(CommandConfig.withSettingFlags(new CommandLine(new Verify()), SETTINGS));
    journal.addSubcommand(CommandConfig.withSettingFlags(new CommandLine(new Stats()), SETTINGS));
    return journal;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by the subcommands. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "YAML configuration file; only journal.dir is used.")
    Path configFile;

    /** The journal directory, or null after printing why there is none (exit 2). */
    Path dir() {
      PrintWriter err = spec.commandLine().getErr();
      try {
        Path dir =
            Path.of(
                CommandConfig.load(configFile, CommandConfig.flags(spec, SETTINGS))
                    .get(Settings.JOURNAL_DIR));
        if (!Files.isDirectory(dir)) {
          err.println("sluice: no journal directory at " + dir);
          return null;
        }
        return dir;
      } catch (ConfigException e) {
        err.println("sluice: " + e.getMessage());
        return null;
      }
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Checks every segment header, record length, CRC-32C and LSN.")
  static final class Verify extends Base {
    @Override
    public Integer call() {
      Path dir = dir();
      if (dir == null) {
        return 2;
      }
      JournalVerifier.Verdict verdict = JournalVerifier.verify(dir);
      PrintWriter out = spec.commandLine().getOut();
      switch (verdict.status()) {
        case OK, TORN_TAIL -> {
          out.println(verdict.message());
          return 0;
        }
        default -> {
          spec.commandLine().getErr().println(verdict.message());
          return 1;
        }
      }
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Prints segments, records, bytes and the first and last LSN.")
  static final class Stats extends Base {
    @Override
    public Integer call() {
      Path dir = dir();
      if (dir == null) {
        return 2;
      }
      try {
        JournalVerifier.Stats stats = JournalVerifier.stats(dir);
        PrintWriter out = spec.commandLine().getOut();
        out.println("segments:  " + stats.segments());
        out.println("records:   " + stats.records());
        out.println("bytes:     " + stats.bytes());
        out.println("first LSN: " + stats.firstLsn());
        out.println("last LSN:  " + stats.lastLsn());
        return 0;
      } catch (CorruptJournalException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
    }
  }
}
