package dev.sluice.writeback.sink;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one batch of a kv mapping's {@link KvWrite}s and {@link KvDelete}s into {@code sluice.kv}
 * inside the caller's transaction. Each record holds a key's whole state, so per key only the last
 * record of the batch matters: a hot session written a thousand times costs one row. Deleted keys
 * go in one batched {@code DELETE}, the others in multi-row {@code INSERT … ON CONFLICT (key) DO
 * UPDATE} statements (8,000 rows each).
 */
final class KvWrites {
  private static final int ROWS_PER_STATEMENT = 8_000;
  private static final String UPSERT_HEAD =
      "INSERT INTO sluice.kv (key, type, value, expire_at) VALUES ";
  private static final String UPSERT_TAIL =
      " ON CONFLICT (key) DO UPDATE SET type = EXCLUDED.type, value = EXCLUDED.value,"
          + " expire_at = EXCLUDED.expire_at";

  private KvWrites() {}

  static void write(Connection c, List<PostgresSink.Entry> batch, AtomicLong statements)
      throws SQLException {
    Map<ByteBuffer, WriteRecord> last = new LinkedHashMap<>();
    for (PostgresSink.Entry e : batch) {
      if (e.record() instanceof KvWrite w) {
        last.put(ByteBuffer.wrap(w.key()), w);
      } else if (e.record() instanceof KvDelete d) {
        last.put(ByteBuffer.wrap(d.key()), d);
      } else {
        throw new SQLException(
            "journal holds a "
                + e.record().getClass().getSimpleName()
                + " for kv mapping '"
                + e.record().mapping()
                + "'",
            "22023");
      }
    }
    List<KvWrite> writes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("DELETE FROM sluice.kv WHERE key = ?")) {
      boolean any = false;
      for (WriteRecord r : last.values()) {
        if (r instanceof KvDelete d) {
          s.setBytes(1, d.key());
          s.addBatch();
          any = true;
        } else {
          writes.add((KvWrite) r);
        }
      }
      if (any) {
        s.executeBatch();
        statements.incrementAndGet();
      }
    }
    for (int from = 0; from < writes.size(); from += ROWS_PER_STATEMENT) {
      List<KvWrite> chunk =
          writes.subList(from, Math.min(writes.size(), from + ROWS_PER_STATEMENT));
      StringBuilder sql = new StringBuilder(UPSERT_HEAD);
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
      }
      sql.append(UPSERT_TAIL);
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        int p = 1;
        for (KvWrite w : chunk) {
          s.setBytes(p++, w.key());
          s.setString(p++, w.type());
          s.setBytes(p++, w.value());
          if (w.expireAtMillis() > 0) {
            s.setObject(
                p++,
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(w.expireAtMillis()), ZoneOffset.UTC));
          } else {
            s.setNull(p++, Types.TIMESTAMP_WITH_TIMEZONE);
          }
        }
        s.executeUpdate();
        statements.incrementAndGet();
      }
    }
  }
}
