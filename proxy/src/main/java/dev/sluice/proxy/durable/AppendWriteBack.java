package dev.sluice.proxy.durable;

import dev.sluice.config.MappingConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.WriteBackSettings;
import dev.sluice.proxy.postgres.Column;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.postgres.PostgresException;
import dev.sluice.proxy.postgres.TableSchema;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.batch.RecordShipper;
import dev.sluice.writeback.batch.WriteAcknowledgement;
import dev.sluice.writeback.journal.JournalOptions;
import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.AppendRow;
import dev.sluice.writeback.sink.PostgresSink;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-back: the journal, the flusher, each append mapping's key and table columns for validating
 * XADD before it is acknowledged, and {@link MappedWrites} for row mappings with {@code write:
 * back} and {@code store: kv} mappings. Started by the server after the {@link PostgresConnector}
 * when the configuration has any of those mappings; closed before it. (The name is older than row
 * and kv write-back.)
 */
public final class AppendWriteBack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AppendWriteBack.class);
  private static final int MAX_VALUE_IN_MESSAGE = 64;

  /** A value (or a column name) an append mapping's table does not accept. */
  public static final class BadValueException extends IllegalArgumentException {
    private final String column;
    private final String value;

    BadValueException(String message, String column, String value) {
      super(message);
      this.column = column;
      this.value = value;
    }

    /** The column as the client named it. */
    public String column() {
      return column;
    }

    /** The value, cut to 64 characters; null for SQL NULL. */
    public String value() {
      return value;
    }
  }

  /**
   * An append mapping with its table's columns by name, and what {@link #row} needs to check a row
   * without allocating per column: the column names as bytes, and the column list of the last row
   * (rows from one client name the same columns, so they share one list).
   */
  public static final class Target {
    private final MappingConfig mapping;
    private final byte[] key;
    private final TableSchema table;
    private final Map<String, Column> columns;
    private final Column[] byIndex;
    private final byte[][] names;
    private volatile Shape lastShape = new Shape(new int[0], List.of());

    /** The columns of a row: their indexes in {@link #byIndex}, and their names as a list. */
    record Shape(int[] indexes, List<String> columns) {}

    Target(MappingConfig mapping, TableSchema table, Map<String, Column> columns) {
      this.mapping = mapping;
      this.key = mapping.keys().text().getBytes(StandardCharsets.UTF_8);
      this.table = table;
      this.columns = columns;
      this.byIndex = columns.values().toArray(new Column[0]);
      this.names = new byte[byIndex.length][];
      for (int i = 0; i < byIndex.length; i++) {
        names[i] = byIndex[i].name().getBytes(StandardCharsets.UTF_8);
      }
    }

    public MappingConfig mapping() {
      return mapping;
    }

    public TableSchema table() {
      return table;
    }

    /** The table's columns by name. */
    public Map<String, Column> columns() {
      return columns;
    }

    /**
     * The index in {@link #byIndex} of the column called {@code name} (UTF-8), or -1; {@code
     * expected} (the index the last row had at this position) is tried first.
     */
    private int indexOf(byte[] name, int expected) {
      if (expected >= 0 && Arrays.equals(names[expected], name)) {
        return expected;
      }
      for (int i = 0; i < names.length; i++) {
        if (Arrays.equals(names[i], name)) {
          return i;
        }
      }
      return -1;
    }

    /** {@code indexes} as a column list, the last row's list when they are the same columns. */
    private List<String> columnList(int[] indexes) {
      Shape last = lastShape;
      if (Arrays.equals(last.indexes(), indexes)) {
        return last.columns();
      }
      String[] columns = new String[indexes.length];
      for (int i = 0; i < indexes.length; i++) {
        columns[i] = byIndex[indexes[i]].name();
      }
      Shape shape = new Shape(indexes, List.of(columns));
      lastShape = shape;
      return shape.columns();
    }
  }

  private final Map<String, Target> byKey;
  private final Target[] targets;
  private final JournalWriter journal;
  private final Flusher flusher;
  private final WriteBackControl control;
  private final MappedWrites mappedWrites;

  private AppendWriteBack(
      Map<String, Target> byKey,
      JournalWriter journal,
      Flusher flusher,
      WriteBackControl control,
      MappedWrites mappedWrites) {
    this.byKey = byKey;
    this.targets = byKey.values().toArray(new Target[0]);
    this.journal = journal;
    this.flusher = flusher;
    this.control = control;
    this.mappedWrites = mappedWrites;
  }

  /**
   * Opens the journal, replays what PostgreSQL has not applied and starts flushing; null when the
   * configuration has no append, row write-back or kv mapping.
   *
   * @param route a key's mapping index in {@code config.mappings()} (first match), or -1
   */
  public static AppendWriteBack start(
      SluiceConfig config, PostgresConnector postgres, ToIntFunction<byte[]> route) {
    return start(config, postgres, route, null, null);
  }

  /**
   * As {@link #start(SluiceConfig, PostgresConnector, ToIntFunction)}, with replication: {@code
   * shipper} hears of every record journaled (also those replayed at start, for a replica's full
   * resync) and {@code acknowledgement} decides what a write's reply waits for (null: the journal's
   * fsync only).
   */
  public static AppendWriteBack start(
      SluiceConfig config,
      PostgresConnector postgres,
      ToIntFunction<byte[]> route,
      RecordShipper shipper,
      WriteAcknowledgement acknowledgement) {
    Map<String, Target> byKey = new HashMap<>();
    Map<String, String> tables = new LinkedHashMap<>();
    Map<String, PostgresSink.RowTable> rowTables = new LinkedHashMap<>();
    Set<String> kvMappings = new java.util.LinkedHashSet<>();
    List<MappingConfig> all = config.mappings();
    Object[] targets = new Object[all.size()];
    for (int index = 0; index < all.size(); index++) {
      MappingConfig mapping = all.get(index);
      if (mapping.kind() == MappingConfig.Kind.KV) {
        kvMappings.add(mapping.name());
        targets[index] = mapping.name();
        continue;
      }
      boolean rowBack =
          mapping.kind() == MappingConfig.Kind.ROW && mapping.write() == MappingConfig.Write.BACK;
      if (mapping.kind() != MappingConfig.Kind.APPEND && !rowBack) {
        continue;
      }
      TableSchema table =
          postgres
              .catalog()
              .table(mapping)
              .orElseThrow(
                  () ->
                      new PostgresException(
                          mapping.describe() + ": table " + mapping.table() + " not in the catalog",
                          null));
      Map<String, Column> columns = new LinkedHashMap<>();
      for (Column c : table.columns()) {
        columns.put(c.name(), c);
      }
      if (rowBack) {
        int[] slots = new int[mapping.keyColumns().size()];
        for (int k = 0; k < slots.length; k++) {
          slots[k] = mapping.keys().placeholders().indexOf(mapping.keyColumns().get(k));
        }
        Map<String, String> types = new LinkedHashMap<>();
        columns.forEach((name, column) -> types.put(name, column.type()));
        targets[index] = new RowTarget(mapping, table, columns, slots);
        rowTables.put(
            mapping.name(),
            new PostgresSink.RowTable(table.qualifiedName(), mapping.keyColumns(), types));
        continue;
      }
      byKey.put(mapping.keys().text(), new Target(mapping, table, columns));
      tables.put(mapping.name(), table.qualifiedName());
    }
    if (byKey.isEmpty() && rowTables.isEmpty() && kvMappings.isEmpty()) {
      return null;
    }
    JournalOptions options = JournalOptions.from(config);
    JournalWriter journal = JournalWriter.open(options);
    Flusher flusher =
        new Flusher(
            journal,
            options.dir(),
            new PostgresSink(
                postgres.dataSource(),
                config.get(WriteBackSettings.WRITEBACK_NODE),
                tables,
                rowTables,
                kvMappings),
            config.get(WriteBackSettings.WRITEBACK_MAX_BATCH_ROWS),
            config.get(WriteBackSettings.WRITEBACK_MAX_BATCH_DELAY),
            config.get(WriteBackSettings.WRITEBACK_MAX_BACKOFF));
    Set<String> names = new java.util.LinkedHashSet<>(tables.keySet());
    names.addAll(rowTables.keySet());
    names.addAll(kvMappings);
    WriteBackControl control =
        new WriteBackControl(
            names,
            flusher,
            postgres.dataSource(),
            postgres.unpooledDataSource(),
            config.get(WriteBackSettings.WRITEBACK_NODE));
    MappedWrites mapped =
        rowTables.isEmpty() && kvMappings.isEmpty()
            ? null
            : new MappedWrites(targets, route, flusher, journal);
    if (mapped != null) {
      flusher.onReplay(mapped::replayed);
    }
    if (shipper != null) {
      flusher.shipper(shipper);
    }
    if (acknowledgement != null) {
      flusher.acknowledgement(acknowledgement);
    }
    try {
      // before the flusher starts: a mapping paused in sluice.control stays paused
      control.loadInitial();
      Flusher.Replay replay = flusher.start();
      log.info(
          "Write-back journal in {}: node '{}', lineage '{}' term {}{}, applied up to LSN {},"
              + " journal ends at LSN {}; replaying {} records from LSN {} (batches of up to {}"
              + " rows or {} ms)",
          options.dir(),
          config.get(WriteBackSettings.WRITEBACK_NODE),
          flusher.lineage().id(),
          flusher.lineage().term(),
          flusher.following() ? " (not its owner: flushing nothing)" : "",
          replay.appliedLsn(),
          replay.lastLsn(),
          replay.records(),
          replay.appliedLsn() + 1,
          config.get(WriteBackSettings.WRITEBACK_MAX_BATCH_ROWS),
          config.get(WriteBackSettings.WRITEBACK_MAX_BATCH_DELAY).toMillis());
      control.start();
    } catch (SQLException | RuntimeException e) {
      control.close();
      flusher.close();
      journal.close();
      throw new PostgresException("cannot start write-back: " + e.getMessage(), e);
    }
    return new AppendWriteBack(byKey, journal, flusher, control, mapped);
  }

  /** Write-back of row (write: back) and kv mappings; null when there are none. */
  public MappedWrites mappedWrites() {
    return mappedWrites;
  }

  /** The append mapping called {@code name}, or null. */
  public Target targetNamed(String name) {
    for (Target t : byKey.values()) {
      if (t.mapping().name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** The names of the append mappings, sorted. */
  public List<String> mappingNames() {
    return byKey.values().stream().map(t -> t.mapping().name()).sorted().toList();
  }

  /** The append mapping whose key is {@code key}, or null. */
  public Target target(byte[] key) {
    for (Target t : targets) {
      // a few append mappings at most: comparing bytes beats decoding the key for a map lookup
      if (Arrays.equals(t.key, key)) {
        return t;
      }
    }
    return null;
  }

  public JournalWriter journal() {
    return journal;
  }

  public Flusher flusher() {
    return flusher;
  }

  /** Pause, throttle, flush and figures, in agreement with sluice.control. */
  public WriteBackControl control() {
    return control;
  }

  /** {@link #row(Target, byte[][], int)} of a list of field/value pairs. */
  public static AppendRow row(Target target, List<byte[]> fieldsAndValues) {
    return row(target, fieldsAndValues.toArray(new byte[0][]), 0);
  }

  /**
   * Builds the row of the field/value pairs in {@code args} from index {@code from} on (XADD's
   * arguments from 3), checking every column against the table.
   *
   * @throws IllegalArgumentException with a message naming the mapping, the column and the value
   */
  public static AppendRow row(Target target, byte[][] args, int from) {
    String name = target.mapping().name();
    int count = (args.length - from) / 2;
    byte[][] values = new byte[count][];
    Target.Shape last = target.lastShape;
    int[] expected = last.indexes();
    // the last row's column indexes while this row's agree (rows from one client name the same
    // columns), a copy from the first that differs; a bit per column seen, up to 64 columns
    int[] indexes = expected.length == count ? expected : new int[count];
    long seenBits = 0;
    boolean[] seen = target.byIndex.length > 64 ? new boolean[target.byIndex.length] : null;
    for (int i = 0; i < count; i++) {
      byte[] field = args[from + 2 * i];
      byte[] value = args[from + 2 * i + 1];
      int index = target.indexOf(field, i < expected.length ? expected[i] : -1);
      if (index < 0) {
        String column = new String(field, StandardCharsets.UTF_8);
        throw new BadValueException(
            "mapping '"
                + name
                + "': table "
                + target.table().displayName()
                + " has no column '"
                + column
                + "' (value '"
                + shown(value)
                + "')",
            column,
            shown(value));
      }
      Column c = target.byIndex[index];
      if (seen != null ? seen[index] : (seenBits & (1L << index)) != 0) {
        throw new BadValueException(
            "mapping '" + name + "': column '" + c.name() + "' given twice",
            c.name(),
            shown(value));
      }
      if (seen != null) {
        seen[index] = true;
      } else {
        seenBits |= 1L << index;
      }
      // null is SQL NULL (HTTP ingest: JSON null, an unquoted empty CSV field)
      String problem = value == null ? null : ColumnValues.check(c, value);
      if (problem != null) {
        throw new BadValueException(
            "mapping '"
                + name
                + "': value '"
                + shown(value)
                + "' for column '"
                + c.name()
                + "' is "
                + problem,
            c.name(),
            shown(value));
      }
      if (indexes == expected && index != expected[i]) {
        indexes = Arrays.copyOf(expected, count);
      }
      if (indexes != expected) {
        indexes[i] = index;
      }
      values[i] = value;
    }
    List<String> columns = indexes == expected ? last.columns() : target.columnList(indexes);
    return AppendRow.owning(name, columns, values);
  }

  private static String shown(byte[] value) {
    if (value == null) {
      return null;
    }
    String text = new String(value, StandardCharsets.UTF_8);
    return text.length() > MAX_VALUE_IN_MESSAGE
        ? text.substring(0, MAX_VALUE_IN_MESSAGE) + "…"
        : text;
  }

  /** Stops flushing (queued rows stay journaled for the next start), then closes the journal. */
  @Override
  public void close() {
    control.close();
    flusher.close();
    journal.close();
  }
}
