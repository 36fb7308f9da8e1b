package dev.sluice.proxy.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.KeyTemplate;
import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.postgres.Column;
import dev.sluice.writeback.sink.RowUpsert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks {@link MappedWrites#begin} makes before a write command on a key of a row write-back
 * mapping runs: which columns it writes, whether they exist and whether the values fit them, that
 * key columns keep the key's own values. A write that passes becomes a {@link Planned} record to
 * build once the command ran; one that does not is refused with {@link IllegalArgumentException},
 * before anything is journaled or changed.
 */
final class RowWritePlanner {
  private RowWritePlanner() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_VALUE_IN_MESSAGE = 64;

  private static final int TEXT = 25;
  private static final int BPCHAR = 1042;
  private static final int VARCHAR = 1043;

  /**
   * A write that passed the checks: the key's row, and either the columns to upsert from the hash
   * once the command ran ({@code fields}), the JSON object's row ({@code json}), or neither (a
   * delete).
   */
  record Planned(
      RowTarget target, byte[] key, List<String> keyValues, List<String> fields, RowUpsert json) {}

  static Planned plan(RowTarget row, MappedWrite write, String command, byte[][] args, byte[] key) {
    String name = row.name();
    List<String> keyValues = keyValues(row, key);
    boolean hash = row.mapping().shape() == MappingConfig.Shape.HASH;
    if (write == MappedWrite.CACHE_ONLY) {
      return null;
    }
    if (write == MappedWrite.DELETE) {
      return row.mapping().onDelete() == MappingConfig.OnDelete.DELETE
          ? new Planned(row, key, keyValues, null, null)
          : null; // on-delete: evict drops the cached copy only
    }
    boolean hashWrite =
        write == MappedWrite.HASH_SET
            || write == MappedWrite.HASH_DELETE
            || write == MappedWrite.HASH_INCREMENT;
    if (hash && hashWrite) {
      List<String> fields = new ArrayList<>();
      switch (write) {
        case HASH_SET -> {
          for (int i = 2; i + 1 < args.length; i += 2) {
            String column = checkedColumn(row, args[i], args[i + 1]);
            String problem = keyColumnProblem(row, column, keyValues, args[i + 1]);
            if (problem != null) {
              throw new IllegalArgumentException(problem);
            }
            if (!row.isKeyColumn(column) && !fields.contains(column)) {
              fields.add(column);
            }
          }
        }
        case HASH_DELETE -> {
          for (int i = 2; i < args.length; i++) {
            String column = checkedColumn(row, args[i], null);
            notNullProblem(row, column, "HDEL");
            if (row.isKeyColumn(column)) {
              throw new IllegalArgumentException(
                  "mapping '"
                      + name
                      + "': HDEL would set key column '"
                      + column
                      + "' to NULL; DEL the key instead");
            }
            if (!fields.contains(column)) {
              fields.add(column);
            }
          }
        }
        default -> { // HASH_INCREMENT: hincrby, hincrbyfloat
          String column = checkedColumn(row, args[2], null);
          Column c = row.columns().get(column);
          boolean fits =
              !row.isKeyColumn(column)
                  && (c.isNumeric()
                      || c.typeOid() == TEXT
                      || c.typeOid() == VARCHAR
                      || c.typeOid() == BPCHAR);
          if (!fits) {
            throw new IllegalArgumentException(
                "mapping '"
                    + name
                    + "': "
                    + command.toUpperCase(java.util.Locale.ROOT)
                    + " needs a numeric or text column that is not a key column; column '"
                    + column
                    + "' is "
                    + c.type()
                    + (row.isKeyColumn(column) ? " and part of the key" : ""));
          }
          fields.add(column);
        }
      }
      return new Planned(row, key, keyValues, fields, null);
    }
    if (!hash && write == MappedWrite.JSON_SET) {
      return new Planned(row, key, keyValues, null, jsonRow(row, keyValues, args[2]));
    }
    throw new IllegalArgumentException(
        "mapping '"
            + name
            + "' writes "
            + (hash ? "HSET, HMSET, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT" : "SET of a JSON object")
            + (row.mapping().onDelete() == MappingConfig.OnDelete.DELETE ? ", DEL" : "")
            + " back to "
            + row.table().displayName()
            + " (and EXPIRE, PERSIST, DEL for the cached copy); "
            + command.toUpperCase(java.util.Locale.ROOT)
            + " of key '"
            + shown(key)
            + "' is not supported");
  }

  private static List<String> keyValues(RowTarget row, byte[] key) {
    KeyTemplate.Match match = row.mapping().keys().match(key);
    List<String> values = new ArrayList<>(row.keySlots().length);
    for (int slot : row.keySlots()) {
      try {
        values.add(match.value(slot));
      } catch (KeyTemplate.MalformedKeyException e) {
        throw new IllegalArgumentException(
            "mapping '" + row.name() + "': key '" + shown(key) + "' is not valid UTF-8");
      }
    }
    return values;
  }

  /** The column named {@code field}, after checking it exists and that {@code value} fits it. */
  private static String checkedColumn(RowTarget row, byte[] field, byte[] value) {
    String column = new String(field, StandardCharsets.UTF_8);
    Column c = row.columns().get(column);
    if (c == null) {
      throw new IllegalArgumentException(
          "mapping '"
              + row.name()
              + "': table "
              + row.table().displayName()
              + " has no column '"
              + column
              + "'"
              + (value == null ? "" : " (value '" + shown(value) + "')"));
    }
    String problem = value == null ? null : ColumnValues.check(c, value);
    if (problem != null) {
      throw new IllegalArgumentException(
          "mapping '"
              + row.name()
              + "': value '"
              + shown(value)
              + "' for column '"
              + column
              + "' is "
              + problem);
    }
    return column;
  }

  private static void notNullProblem(RowTarget row, String column, String what) {
    Column c = row.columns().get(column);
    if (!c.nullable() && !row.isKeyColumn(column)) {
      throw new IllegalArgumentException(
          "mapping '"
              + row.name()
              + "': column '"
              + column
              + "' is NOT NULL; "
              + what
              + " would set it to NULL");
    }
  }

  /** Null when {@code column} is not a key column or {@code value} is the key's own value. */
  private static String keyColumnProblem(
      RowTarget row, String column, List<String> keyValues, byte[] value) {
    int k = row.mapping().keyColumns().indexOf(column);
    if (k < 0) {
      return null;
    }
    String text = value == null ? null : new String(value, StandardCharsets.UTF_8);
    if (keyValues.get(k).equals(text)) {
      return null;
    }
    return "mapping '"
        + row.name()
        + "': column '"
        + column
        + "' is part of the key, which gives it '"
        + keyValues.get(k)
        + "'; got '"
        + (text == null ? "null" : shown(value))
        + "'";
  }

  /** The upsert of a JSON object's fields (shape json), checked column by column. */
  private static RowUpsert jsonRow(RowTarget row, List<String> keyValues, byte[] value) {
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "mapping '"
              + row.name()
              + "' (shape json) takes a JSON object of column values; got '"
              + shown(value)
              + "'");
    }
    List<String> columns = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode v = field.getValue();
      byte[] text =
          v.isNull()
              ? null
              : (v.isContainerNode() ? v.toString() : v.asText()).getBytes(StandardCharsets.UTF_8);
      String column = checkedColumn(row, field.getKey().getBytes(StandardCharsets.UTF_8), text);
      String problem = keyColumnProblem(row, column, keyValues, text);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      if (text == null) {
        notNullProblem(row, column, "null");
      }
      if (!row.isKeyColumn(column)) {
        columns.add(column);
        values.add(text);
      }
    }
    return new RowUpsert(row.name(), keyValues, columns, values);
  }

  static String shown(byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8);
    return text.length() > MAX_VALUE_IN_MESSAGE
        ? text.substring(0, MAX_VALUE_IN_MESSAGE) + "…"
        : text;
  }
}
