package dev.sluice.proxy.lookaside;

import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * SLUICE WARM: streams a row mapping's rows (a server-side cursor, {@link #BATCH} rows per fetch)
 * and stores them as keys in batches, taking the keyspace lock once per batch, so other clients
 * keep going. Keys already in memory keep their value. No statement timeout applies (a warm-up may
 * read a big table).
 */
final class Warmer {
  static final int BATCH = 500;

  private final DataSource dataSource;
  private final Keyspace keyspace;

  Warmer(DataSource dataSource, Keyspace keyspace) {
    this.dataSource = dataSource;
    this.keyspace = keyspace;
  }

  /** Loads up to {@code limit} rows (0: all); returns how many keys were stored. */
  long warm(MappingPlan plan, long limit) throws SQLException {
    long stored = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      try {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SET LOCAL statement_timeout = 0");
        }
        String sql = plan.selectAll() + (limit > 0 ? " LIMIT ?" : "");
        try (PreparedStatement select = connection.prepareStatement(sql)) {
          if (limit > 0) {
            select.setLong(1, limit);
          }
          select.setFetchSize(BATCH);
          try (ResultSet rs = select.executeQuery()) {
            List<byte[]> keys = new ArrayList<>(BATCH);
            List<LoadedValue> values = new ArrayList<>(BATCH);
            while (rs.next()) {
              byte[] key = plan.keyOf(rs);
              if (key != null) {
                keys.add(key);
                values.add(plan.shapeCurrentRow(rs));
              }
              if (keys.size() == BATCH) {
                stored += store(plan, keys, values);
              }
            }
            stored += store(plan, keys, values);
          }
        }
        connection.commit();
      } finally {
        if (!connection.getAutoCommit()) {
          connection.rollback();
          connection.setAutoCommit(true);
        }
        connection.setReadOnly(false);
      }
    }
    return stored;
  }

  private long store(MappingPlan plan, List<byte[]> keys, List<LoadedValue> values) {
    long stored = 0;
    long ttl = plan.ttlMillis();
    keyspace.lock().lock();
    try {
      Database db = keyspace.db(0);
      for (int i = 0; i < keys.size(); i++) {
        if (db.get(keys.get(i)) == null) {
          Entry entry = db.insert(keys.get(i), values.get(i).materialize());
          if (ttl > 0) {
            db.expireAt(entry, keyspace.now() + ttl);
          }
          stored++;
        }
      }
    } finally {
      keyspace.lock().unlock();
    }
    keys.clear();
    values.clear();
    return stored;
  }
}
