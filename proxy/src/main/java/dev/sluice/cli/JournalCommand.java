package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Setting;
import dev.sluice.config.WriteBackSettings;
import dev.sluice.writeback.journal.CorruptJournalException;
import dev.sluice.writeback.journal.JournalException;
import dev.sluice.writeback.journal.JournalReader;
import dev.sluice.writeback.journal.JournalVerifier;
import dev.sluice.writeback.sink.AppendRow;
import dev.sluice.writeback.sink.AppendRowCodec;
import dev.sluice.writeback.sink.KvDelete;
import dev.sluice.writeback.sink.KvWrite;
import dev.sluice.writeback.sink.RowDelete;
import dev.sluice.writeback.sink.RowUpsert;
import dev.sluice.writeback.sink.WriteRecord;
import dev.sluice.writeback.sink.WriteRecordCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice journal verify|stats|dump}: offline inspection of the write-back journal. Reads
 * only; run it while Sluice is stopped or running.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Inspects the write-back journal offline: verify, stats, dump.",
    footer = {
      "",
      "Exit codes: 0 OK (a torn tail is OK: start-up cuts it), 1 corrupt, 2 bad usage."
    })
public final class JournalCommand implements Runnable {
  static final List<Setting<?>> SETTINGS = List.of(WriteBackSettings.JOURNAL_DIR);

  @Spec CommandSpec spec;

  static CommandLine commandLine() {
    CommandLine journal = new CommandLine(new JournalCommand());
    journal.addSubcommand(CommandConfig.withSettingFlags(new CommandLine(new Verify()), SETTINGS));
    journal.addSubcommand(CommandConfig.withSettingFlags(new CommandLine(new Stats()), SETTINGS));
    journal.addSubcommand(CommandConfig.withSettingFlags(new CommandLine(new Dump()), SETTINGS));
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
                    .get(WriteBackSettings.JOURNAL_DIR));
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
      name = "dump",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the journal's records in LSN order: LSN, type, payload size and a preview",
        "(an append row decoded as mapping and columns)."
      })
  static final class Dump extends Base {
    private static final int PREVIEW = 160;

    @Parameters(
        arity = "0..1",
        paramLabel = "DIR",
        description = "The journal directory; by default journal.dir of --config or the flag.")
    Path directory;

    @Option(names = "--from", paramLabel = "LSN", description = "First LSN to print.")
    long from = 1;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N records.")
    long limit = Long.MAX_VALUE;

    /** Stops the scan once enough records were printed. */
    private static final class Enough extends RuntimeException {
      Enough() {
        super(null, null, false, false);
      }
    }

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if (from < 1 || limit < 1) {
        err.println("sluice: --from and --limit must be positive");
        return 2;
      }
      Path dir = directory;
      if (dir == null) {
        dir = dir();
        if (dir == null) {
          return 2;
        }
      } else if (!Files.isDirectory(dir)) {
        err.println("sluice: no journal directory at " + dir);
        return 2;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-12s %-12s %8s  %s%n", "LSN", "TYPE", "BYTES", "PREVIEW");
      long[] printed = {0};
      try {
        JournalReader.replay(
            dir,
            from - 1,
            record -> {
              out.printf(
                  "%-12d %-12s %8d  %s%n",
                  record.lsn(),
                  typeName(record.type()),
                  record.payload().length,
                  preview(record.type(), record.payload()));
              if (++printed[0] >= limit) {
                throw new Enough();
              }
            });
      } catch (Enough e) {
        // --limit reached
      } catch (CorruptJournalException e) {
        out.flush();
        err.println("sluice: " + e.getMessage());
        return 1;
      } catch (JournalException e) {
        // a torn tail: what came before it is intact, and start-up will cut the rest
        out.flush();
        err.println("sluice: note: " + e.getMessage());
      }
      out.flush();
      err.println(printed[0] + " records");
      err.flush();
      return 0;
    }

    private static String typeName(byte type) {
      return switch (type) {
        case WriteRecordCodec.APPEND_ROW -> "append-row";
        case WriteRecordCodec.ROW_UPSERT -> "row-upsert";
        case WriteRecordCodec.ROW_DELETE -> "row-delete";
        case WriteRecordCodec.KV_WRITE -> "kv-write";
        case WriteRecordCodec.KV_DELETE -> "kv-delete";
        default -> "type-" + (type & 0xFF);
      };
    }

    static String preview(byte type, byte[] payload) {
      String text = null;
      if (type == AppendRowCodec.TYPE) {
        try {
          AppendRow row = AppendRowCodec.decode(payload);
          StringBuilder b = new StringBuilder(row.mapping()).append(' ');
          for (int i = 0; i < row.columns().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(row.columns().get(i)).append('=');
            byte[] value = row.values().get(i);
            b.append(value == null ? "NULL" : quote(new String(value, StandardCharsets.UTF_8)));
          }
          text = b.toString();
        } catch (IllegalArgumentException e) {
          text = null; // not an append row after all: show the bytes
        }
      } else if (WriteRecordCodec.known(type)) {
        try {
          text = preview(WriteRecordCodec.decode(type, payload));
        } catch (IllegalArgumentException e) {
          text = null;
        }
      }
      if (text == null) {
        text = raw(payload);
      }
      return text.length() > PREVIEW ? text.substring(0, PREVIEW) + "..." : text;
    }

    private static String preview(WriteRecord record) {
      StringBuilder b = new StringBuilder(record.mapping()).append(' ');
      if (record instanceof RowUpsert u) {
        b.append(u.keyValues()).append(' ');
        for (int i = 0; i < u.columns().size(); i++) {
          byte[] value = u.values().get(i);
          b.append(i == 0 ? "" : ", ").append(u.columns().get(i)).append('=');
          b.append(value == null ? "NULL" : quote(new String(value, StandardCharsets.UTF_8)));
        }
      } else if (record instanceof RowDelete d) {
        b.append(d.keyValues()).append(" deleted");
      } else if (record instanceof KvWrite w) {
        b.append(quote(new String(w.key(), StandardCharsets.UTF_8)))
            .append(' ')
            .append(w.type())
            .append(' ')
            .append(w.value().length)
            .append(" bytes")
            .append(w.expireAtMillis() > 0 ? " expires " + w.expireAtMillis() : "");
      } else if (record instanceof KvDelete d) {
        b.append(quote(new String(d.key(), StandardCharsets.UTF_8))).append(" deleted");
      }
      return b.toString();
    }

    private static String quote(String value) {
      return "'" + value.replace("\n", "\\n").replace("'", "''") + "'";
    }

    private static String raw(byte[] payload) {
      StringBuilder b = new StringBuilder("\"");
      for (int i = 0; i < Math.min(payload.length, PREVIEW); i++) {
        int c = payload[i] & 0xFF;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
          b.append((char) c);
        } else {
          b.append(String.format("\\x%02x", c));
        }
      }
      return b.append('"').toString();
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
