package dev.sluice.writeback.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of journaled records to PostgreSQL, exactly once: append rows by COPY, row
 * write-back by {@link RowWrites}, kv keys by {@link KvWrites}.
 *
 * <p>One batch (one mapping's records) is one transaction: for an append mapping, for each column
 * list a {@code COPY table (cols) FROM STDIN} in text format ({@link CopyText}); for a row mapping
 * the coalesced deletes and upserts of {@link RowWrites}; for a kv mapping those of {@link
 * KvWrites}; then {@code INSERT INTO sluice.applied (lineage, lsn) … ON CONFLICT (lineage) DO
 * UPDATE SET lsn = GREATEST(…)} with the batch's watermark (see {@link #write(List, long)}) and the
 * same for the mapping's own LSN in {@code sluice.applied_mapping}, then commit. The rows and the
 * LSNs that cover them are therefore committed together or not at all; a record of mapping m at or
 * below the higher of {@link #readApplied() the node's applied LSN} and m's is in the table, one
 * above both is not. (Per-mapping LSNs let one mapping's rows flow while another's are paused.)
 *
 * <p>When PostgreSQL refuses the batch for a row-level reason ({@link #rowLevel}: SQLSTATE classes
 * 22 and 23, and P0001 raised by a trigger) the batch is rolled back and split in halves, each
 * written the same way, until the offending rows stand alone; each of those goes to {@code
 * sluice.dead_letter} (mapping, LSN, the row as a JSON object, the error) in a transaction that
 * also advances {@code sluice.applied}. Any other failure (connection lost, timeout, server
 * shutting down) is thrown to the caller, which retries; a retry must start by re-reading the
 * applied LSN, since a commit whose answer was lost may have succeeded.
 *
 * <p>The applied LSNs are a replication lineage's, not a node's: a primary and its replicas share
 * one journal numbering (replicas append the primary's records with its LSNs), so a promoted
 * replica continues from what PostgreSQL says its lineage applied. Only the lineage's owner
 * flushes: each transaction first reads its term in {@code sluice.lineage_owner} FOR SHARE and
 * throws {@link FencedException} when it is not this node's ({@link #claim} takes a lineage over).
 *
 * <p>Every flush transaction sets {@code sluice.origin = 'writeback'} and {@code sluice.node} to
 * this node's name (local to the transaction) so that triggers can tell Sluice's own writes apart:
 * {@code sluice.notify_invalidate()} (migration V4) marks their NOTIFY payloads with the node, and
 * that node's listener does not evict what it has just written.
 */
public final class PostgresSink {
  private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);

  /** A journaled record and its LSN. */
  public record Entry(long lsn, WriteRecord record) {}

  /**
   * A row mapping with {@code write: back}: its table as quoted SQL, its key columns (names, in the
   * order of {@link RowUpsert#keyValues()}) and every column's type as PostgreSQL's {@code
   * format_type} writes it (from the catalog, never from configuration), for casts.
   */
  public record RowTable(String table, List<String> keyColumns, Map<String, String> types) {
    public RowTable {
      keyColumns = List.copyOf(keyColumns);
      types = Map.copyOf(types);
    }
  }

  /** What one {@link #write} did. */
  public record Result(int rows, int deadLetters, int transactions) {}

  /**
   * A flush found that its lineage has another owner now ({@code sluice.lineage_owner}'s term is
   * not this node's): this node was demoted, and must never flush that lineage again.
   */
  public static final class FencedException extends RuntimeException {
    public FencedException(String message) {
      super(message);
    }
  }

  private final DataSource dataSource;
  private final String node;
  // the replication lineage whose LSNs sluice.applied keeps, and this node's term as its owner
  // (-1: not checked, for a sink used on its own; 0: a follower's, which owns nothing)
  private volatile String lineage;
  private volatile long term = -1;
  private final Map<String, String> tables;
  private final Map<String, RowTable> rowTables;
  private final java.util.Set<String> kvMappings;
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong statements = new AtomicLong();

  /**
   * @param node this Sluice's name in {@code sluice.applied}
   * @param tables per append mapping's name, its table as quoted SQL ({@code "public"."views"})
   */
  public PostgresSink(DataSource dataSource, String node, Map<String, String> tables) {
    this(dataSource, node, tables, Map.of(), java.util.Set.of());
  }

  /**
   * @param node this Sluice's name in {@code sluice.applied}
   * @param tables per append mapping's name, its table as quoted SQL ({@code "public"."views"})
   * @param rowTables per row mapping with {@code write: back}, its table and key columns
   * @param kvMappings the names of the {@code store: kv} mappings (all kept in {@code sluice.kv})
   */
  public PostgresSink(
      DataSource dataSource,
      String node,
      Map<String, String> tables,
      Map<String, RowTable> rowTables,
      java.util.Set<String> kvMappings) {
    this.dataSource = dataSource;
    this.node = node;
    this.lineage = node;
    this.tables = Map.copyOf(tables);
    this.rowTables = Map.copyOf(rowTables);
    this.kvMappings = java.util.Set.copyOf(kvMappings);
  }

  public String node() {
    return node;
  }

  /** The lineage the applied LSNs are kept under (the node's name until {@link #owner} says). */
  public String lineage() {
    return lineage;
  }

  /**
   * From now on the applied LSNs are {@code lineage}'s, and every flush transaction first checks
   * that {@code sluice.lineage_owner} still gives this lineage the term {@code term} ({@link
   * FencedException} otherwise); a term of 0 (a follower's) never passes.
   */
  public void owner(String lineage, long term) {
    this.lineage = lineage;
    this.term = term;
  }

  public long term() {
    return term;
  }

  /**
   * Takes {@code lineage} over for this node: its term goes one up (1 for a lineage not yet owned),
   * so that a flush of the previous owner, which checks its own term, fails from now on. A flush
   * that runs meanwhile holds the row (FOR SHARE) and commits before this does.
   *
   * @return the new term
   */
  public long claim(String lineage) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO sluice.lineage_owner (lineage, term, node) VALUES (?, 1, ?)"
                    + " ON CONFLICT (lineage) DO UPDATE SET term = sluice.lineage_owner.term + 1,"
                    + " node = EXCLUDED.node, since = now() RETURNING term")) {
      s.setString(1, lineage);
      s.setString(2, node);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The mappings this sink writes: append, row write-back and kv. */
  public java.util.Set<String> mappings() {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(tables.keySet());
    all.addAll(rowTables.keySet());
    all.addAll(kvMappings);
    return all;
  }

  /**
   * SQL statements that wrote rows so far (COPY, multi-row INSERT … ON CONFLICT, batched DELETE),
   * not counting the applied-LSN bookkeeping: how many round trips coalescing saved.
   */
  public long statements() {
    return statements.get();
  }

  /** Flush transactions committed so far (rows and dead letters). */
  public long transactions() {
    return transactions.get();
  }

  /** The term of {@code lineage}'s owner in {@code sluice.lineage_owner}, 0 when it has none. */
  public long ownerTerm(String lineage) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT term FROM sluice.lineage_owner WHERE lineage = ?")) {
      s.setString(1, lineage);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The highest LSN committed for this lineage, 0 when none. */
  public long readApplied() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT lsn FROM sluice.applied WHERE lineage = ?")) {
      s.setString(1, lineage);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * Per mapping, the highest LSN of its rows committed for this node ({@code
   * sluice.applied_mapping}); a row of mapping m at LSN l is in its table when l is at most the
   * higher of this and {@link #readApplied}.
   */
  public Map<String, Long> readAppliedByMapping() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT mapping, lsn FROM sluice.applied_mapping WHERE lineage = ?")) {
      s.setString(1, lineage);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /** Whether PostgreSQL refused rows of the statement rather than the statement's circumstances. */
  public static boolean rowLevel(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("22")
            || state.startsWith("23")
            || state.equals("P0001")
            // ON CONFLICT met one row twice: two keys of the batch name the same row (user:01
            // and user:1 of an integer key); written apart once the batch is split
            || state.equals("21000"));
  }

  /**
   * Writes {@code batch} (LSN order), splitting around rows PostgreSQL refuses.
   *
   * @throws SQLException for a failure that is not about particular rows; sub-batches committed
   *     before it stay committed
   */
  public Result write(List<Entry> batch) throws SQLException {
    return write(batch, batch.isEmpty() ? 0 : batch.get(batch.size() - 1).lsn());
  }

  /**
   * Writes {@code batch} (one mapping's rows, LSN order), splitting around rows PostgreSQL refuses.
   * Each transaction also raises the mapping's applied LSN ({@code sluice.applied_mapping}) to its
   * last row, and the node's ({@code sluice.applied}) to {@code watermark} when it completes the
   * batch, or to the lower of its last row and {@code watermark} before that: {@code watermark} is
   * an LSN below which every row of every mapping is committed once this batch is.
   *
   * @throws SQLException for a failure that is not about particular rows; sub-batches committed
   *     before it stay committed
   */
  public Result write(List<Entry> batch, long watermark) throws SQLException {
    if (batch.isEmpty()) {
      return new Result(0, 0, 0);
    }
    int[] counts = new int[3];
    writeOrSplit(batch, counts, watermark, batch.get(batch.size() - 1).lsn());
    return new Result(counts[0], counts[1], counts[2]);
  }

  private void writeOrSplit(List<Entry> batch, int[] counts, long watermark, long batchLast)
      throws SQLException {
    try {
      commitRows(batch, watermark, batchLast);
      counts[0] += batch.size();
      counts[2]++;
    } catch (SQLException e) {
      if (!rowLevel(e)) {
        throw e;
      }
      if (batch.size() == 1) {
        deadLetter(batch.get(0), e, watermark, batchLast);
        counts[1]++;
        counts[2]++;
        return;
      }
      int half = batch.size() / 2;
      writeOrSplit(batch.subList(0, half), counts, watermark, batchLast);
      writeOrSplit(batch.subList(half, batch.size()), counts, watermark, batchLast);
    }
  }

  private void commitRows(List<Entry> batch, long watermark, long batchLast) throws SQLException {
    String mapping = batch.get(0).record().mapping();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        begin(c);
        if (rowTables.containsKey(mapping)) {
          RowWrites.write(c, rowTables.get(mapping), batch, statements);
        } else if (kvMappings.contains(mapping)) {
          KvWrites.write(c, batch, statements);
        } else {
          AppendWrites.write(c, tables, batch, statements);
        }
        Entry last = batch.get(batch.size() - 1);
        applied(c, last.record().mapping(), last.lsn(), watermark, batchLast);
        c.commit();
        transactions.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    }
  }

  private void deadLetter(Entry entry, SQLException error, long watermark, long batchLast)
      throws SQLException {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    log.warn(
        "write-back: row LSN {} of mapping '{}' refused by PostgreSQL, kept in"
            + " sluice.dead_letter: {}",
        entry.lsn(),
        entry.record().mapping(),
        message);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        begin(c);
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO sluice.dead_letter (mapping, lsn, payload, error)"
                    + " VALUES (?, ?, ?::jsonb, ?)")) {
          s.setString(1, entry.record().mapping());
          s.setLong(2, entry.lsn());
          s.setString(3, DeadLetterJson.of(entry.record()));
          s.setString(4, message.replace('\0', '\uFFFD'));
          s.executeUpdate();
        }
        applied(c, entry.record().mapping(), entry.lsn(), watermark, batchLast);
        c.commit();
        transactions.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    }
  }

  private void begin(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT set_config('sluice.origin', 'writeback', true),"
                + " set_config('sluice.node', ?, true),"
                + " set_config('statement_timeout', '60s', true)")) {
      s.setString(1, node);
      s.execute();
    }
    long mine = term;
    if (mine < 0) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT term, node FROM sluice.lineage_owner WHERE lineage = ? FOR SHARE")) {
      s.setString(1, lineage);
      try (ResultSet rs = s.executeQuery()) {
        boolean owned = rs.next();
        long current = owned ? rs.getLong(1) : 0;
        if (current != mine) {
          throw new FencedException(
              "lineage '"
                  + lineage
                  + "' has term "
                  + current
                  + (owned ? " (node '" + rs.getString(2) + "')" : " (no owner)")
                  + ", this node '"
                  + node
                  + "' holds term "
                  + mine
                  + ": another node took it over, this one no longer flushes it");
        }
      }
    }
  }

  /**
   * Records, in the batch's transaction, the mapping's highest LSN and the node's watermark, both
   * only ever raised: one statement (two upserts in a CTE), so a batch costs one round trip less.
   */
  private void applied(Connection c, String mapping, long last, long watermark, long batchLast)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "WITH by_mapping AS (INSERT INTO sluice.applied_mapping (lineage, mapping, lsn)"
                + " VALUES (?, ?, ?) ON CONFLICT (lineage, mapping) DO UPDATE"
                + " SET lsn = GREATEST(sluice.applied_mapping.lsn, EXCLUDED.lsn))"
                + " INSERT INTO sluice.applied (lineage, lsn) VALUES (?, ?) ON CONFLICT (lineage)"
                + " DO UPDATE SET lsn = GREATEST(sluice.applied.lsn, EXCLUDED.lsn)")) {
      s.setString(1, lineage);
      s.setString(2, mapping);
      s.setLong(3, last);
      s.setString(4, lineage);
      s.setLong(5, last == batchLast ? watermark : Math.min(watermark, last));
      s.executeUpdate();
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
