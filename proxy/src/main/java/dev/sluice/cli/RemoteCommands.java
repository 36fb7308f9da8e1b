package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator commands that steer a running Sluice over RESP: {@code status}, {@code invalidate},
 * {@code warm}, {@code pause}, {@code resume}, {@code throttle} and {@code flush}. Each sends one
 * {@code SLUICE ...} command, as redis-cli would, and prints the answer readably.
 */
final class RemoteCommands {
  /** The commands that talk to a running Sluice, with their shared help footer. */
  static java.util.List<picocli.CommandLine> commandLines() {
    java.util.List<picocli.CommandLine> lines = new java.util.ArrayList<>();
    for (Object command :
        new Object[] {
          new Status(),
          new Invalidate(),
          new Warm(),
          new Pause(),
          new Resume(),
          new Throttle(),
          new Flush()
        }) {
      picocli.CommandLine line = new picocli.CommandLine(command);
      line.getCommandSpec().usageMessage().footer(RemoteCommand.FOOTER);
      lines.add(line);
    }
    return lines;
  }

  private RemoteCommands() {}

  /** The figures of SLUICE STATUS by mapping, whatever the protocol's shape of the map. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> status(RespClient client) throws IOException {
    Map<String, Object> top = asMap(client.call("SLUICE", "STATUS"));
    Map<String, Map<String, Object>> status = new LinkedHashMap<>();
    for (Map.Entry<String, Object> mapping : top.entrySet()) {
      status.put(mapping.getKey(), asMap(mapping.getValue()));
    }
    return status;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object reply) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (reply instanceof Map<?, ?> m) {
      m.forEach((k, v) -> map.put(String.valueOf(k), v));
    } else if (reply instanceof List<?> list) {
      for (int i = 0; i + 1 < list.size(); i += 2) {
        map.put(String.valueOf(list.get(i)), list.get(i + 1));
      }
    }
    return map;
  }

  /** A reply as redis-cli prints it, roughly. */
  static String format(Object reply) {
    if (reply == null) {
      return "(nil)";
    }
    if (reply instanceof Long n) {
      return "(integer) " + n;
    }
    if (reply instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      for (Object item : list) {
        items.add(format(item));
      }
      return String.join("\n", items);
    }
    return String.valueOf(reply);
  }

  @Command(
      name = "status",
      description = "Prints SLUICE STATUS of a running Sluice: a table of figures by mapping.")
  static final class Status extends RemoteCommand {
    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Override
    int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException {
      Map<String, Map<String, Object>> status = status(client);
      if (json) {
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(status));
        return 0;
      }
      if (status.isEmpty()) {
        out.println("No mappings.");
        return 0;
      }
      out.print(table(status));
      return 0;
    }

    /** Fields down, mappings across: a figure missing for a mapping shows as "-". */
    static String table(Map<String, Map<String, Object>> status) {
      Set<String> fields = new LinkedHashSet<>();
      status.values().forEach(f -> fields.addAll(f.keySet()));
      List<String> mappings = new ArrayList<>(status.keySet());
      List<List<String>> rows = new ArrayList<>();
      List<String> head = new ArrayList<>();
      head.add("");
      head.addAll(mappings);
      rows.add(head);
      for (String field : fields) {
        List<String> row = new ArrayList<>();
        row.add(field);
        for (String mapping : mappings) {
          Object value = status.get(mapping).get(field);
          row.add(value == null ? "-" : String.valueOf(value));
        }
        rows.add(row);
      }
      int[] widths = new int[head.size()];
      for (List<String> row : rows) {
        for (int i = 0; i < row.size(); i++) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      StringBuilder text = new StringBuilder();
      for (List<String> row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          String cell = row.get(i);
          if (i == 0) {
            line.append(cell).append(" ".repeat(widths[i] - cell.length()));
          } else {
            line.append("  ").append(" ".repeat(widths[i] - cell.length())).append(cell);
          }
        }
        text.append(line.toString().stripTrailing()).append('\n');
      }
      return text.toString();
    }
  }

  @Command(
      name = "invalidate",
      description = {
        "Evicts the cached keys of a mapping, or the mapped keys matching a glob pattern",
        "(SLUICE INVALIDATE); prints how many."
      })
  static final class Invalidate extends RemoteCommand {
    @Parameters(paramLabel = "MAPPING|PATTERN", description = "A mapping's name or a key glob.")
    String target;

    @Override
    int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException {
      Object evicted = client.call("SLUICE", "INVALIDATE", target);
      out.println("Invalidated " + evicted + " keys (" + target + ").");
      return 0;
    }
  }

  @Command(
      name = "warm",
      description = {
        "Loads the rows of a row mapping into memory (SLUICE WARM), showing the keys cached",
        "so far on stderr while it runs; prints how many keys it stored."
      })
  static final class Warm extends RemoteCommand {
    @Parameters(paramLabel = "MAPPING", description = "A row mapping's name.")
    String mapping;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "Load at most N rows.",
        defaultValue = "0")
    long limit;

    @Override
    int readTimeoutMillis() {
      return 0;
    }

    @Override
    int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException {
      if (limit < 0) {
        err.println("sluice: --limit must be a positive number of rows");
        return 2;
      }
      long start = System.nanoTime();
      String[] command =
          limit > 0
              ? new String[] {"SLUICE", "WARM", mapping, "LIMIT", Long.toString(limit)}
              : new String[] {"SLUICE", "WARM", mapping};
      Progress progress = new Progress(err, "warming " + mapping);
      try (RespClient watcher = connect()) {
        Object stored =
            waitWithProgress(
                () -> client.call(command),
                250,
                () -> {
                  Object keys = null;
                  try {
                    keys = status(watcher).getOrDefault(mapping, Map.of()).get("keys");
                  } catch (IOException | RuntimeException e) {
                    // the figure is only decoration; the elapsed time still shows
                  }
                  progress.show(keys == null ? "" : keys + " keys cached");
                });
        progress.done();
        out.printf(
            Locale.ROOT,
            "Warmed %s: stored %s keys in %.1f s.%n",
            mapping,
            stored,
            (System.nanoTime() - start) / 1e9);
      } finally {
        progress.done();
      }
      return 0;
    }
  }

  /** A one-line progress display on stderr, rewritten in place. */
  static final class Progress {
    private final PrintWriter err;
    private final String label;
    private final long start = System.nanoTime();
    private boolean shown;

    Progress(PrintWriter err, String label) {
      this.err = err;
      this.label = label;
    }

    void show(String detail) {
      double seconds = (System.nanoTime() - start) / 1e9;
      err.printf(
          Locale.ROOT, "\r%s: %s%s%.1f s   ", label, detail, detail.isEmpty() ? "" : ", ", seconds);
      err.flush();
      shown = true;
    }

    void done() {
      if (shown) {
        err.println();
        err.flush();
        shown = false;
      }
    }
  }

  @Command(
      name = "pause",
      description = {
        "Stops flushing an append mapping's rows to PostgreSQL (all mappings when none is",
        "named) with SLUICE PAUSE; writes keep being journaled."
      })
  static final class Pause extends RemoteCommand {
    @Parameters(arity = "0..1", paramLabel = "MAPPING", description = "An append mapping.")
    String mapping;

    @Override
    int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException {
      out.println(format(client.call(args("PAUSE", mapping))));
      return 0;
    }
  }

  @Command(
      name = "resume",
      description = "Resumes flushing an append mapping (all when none is named): SLUICE RESUME.")
  static final class Resume extends RemoteCommand {
    @Parameters(arity = "0..1", paramLabel = "MAPPING", description = "An append mapping.")
    String mapping;

    @Override
    int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException {
      out.println(format(client.call(args("RESUME", mapping))));
      return 0;
    }
  }

  @Command(
      name = "throttle",
      description = {
        "Limits the rows per second flushed for an append mapping, or lifts the limit with",
        "off: SLUICE THROTTLE."
      })
  static final class Throttle extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "MAPPING", description = "An append mapping.")
    String mapping;

    @Parameters(index = "1", paramLabel = "ROWS_PER_S|off", description = "A rate, or off.")
    String rate;

    @Override
    int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException {
      if (!rate.equalsIgnoreCase("off") && !rate.matches("[1-9][0-9]*")) {
        err.println(
            "sluice: the rate must be a positive number of rows per second or off, got " + rate);
        return 2;
      }
      out.println(
          format(client.call("SLUICE", "THROTTLE", mapping, rate.toUpperCase(Locale.ROOT))));
      return 0;
    }
  }

  @Command(
      name = "flush",
      description = {
        "Writes an append mapping's journaled rows (all mappings when none is named) to",
        "PostgreSQL now, paused or not (SLUICE FLUSH), and waits; prints the rows written."
      })
  static final class Flush extends RemoteCommand {
    @Parameters(arity = "0..1", paramLabel = "MAPPING", description = "An append mapping.")
    String mapping;

    @Option(
        names = "--timeout",
        paramLabel = "MS",
        description = "How long the server may take, in milliseconds (its default otherwise).")
    Long timeout;

    @Override
    int readTimeoutMillis() {
      return 0;
    }

    @Override
    int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException {
      if (timeout != null && timeout <= 0) {
        err.println("sluice: --timeout must be a positive number of milliseconds");
        return 2;
      }
      List<String> command = new ArrayList<>(List.of(args("FLUSH", mapping)));
      if (timeout != null) {
        command.add("TIMEOUT");
        command.add(Long.toString(timeout));
      }
      Progress progress =
          new Progress(err, "flushing " + (mapping == null ? "all mappings" : mapping));
      try {
        Object reply =
            waitWithProgress(
                () -> client.call(command.toArray(String[]::new)), 250, () -> progress.show(""));
        progress.done();
        out.println(reply instanceof Long rows ? "Flushed " + rows + " rows." : format(reply));
      } finally {
        progress.done();
      }
      return 0;
    }
  }

  private static String[] args(String sub, String mapping) {
    return mapping == null ? new String[] {"SLUICE", sub} : new String[] {"SLUICE", sub, mapping};
  }
}
