package dev.sluice.proxy.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The function libraries in {@code sluice.function_libraries} (migration V5): read all at start-up,
 * changed in one transaction per FUNCTION command so that a library acknowledged is in PostgreSQL
 * and a refused change leaves the table as it was.
 */
public final class FunctionLibraryStore {
  private final DataSource dataSource;

  public FunctionLibraryStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The libraries' codes, in name order. */
  public List<byte[]> loadAll() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT code FROM sluice.function_libraries ORDER BY name")) {
      List<byte[]> codes = new ArrayList<>();
      while (rs.next()) {
        codes.add(rs.getBytes(1));
      }
      return codes;
    } catch (SQLException e) {
      throw new PostgresException(
          "cannot read the function libraries (sluice.function_libraries): " + e.getMessage(), e);
    }
  }

  /**
   * Forgets every library if {@code clear}, then {@code deleted}, then writes {@code saved} (name
   * to engine and code), all in one transaction.
   */
  public void write(
      boolean clear, Collection<String> deleted, Map<String, Map.Entry<String, byte[]>> saved) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (clear) {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM sluice.function_libraries");
          }
        }
        if (!deleted.isEmpty()) {
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM sluice.function_libraries WHERE name = ?")) {
            for (String name : deleted) {
              p.setString(1, name);
              p.addBatch();
            }
            p.executeBatch();
          }
        }
        if (!saved.isEmpty()) {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO sluice.function_libraries (name, engine, code) VALUES (?, ?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET engine = excluded.engine,"
                      + " code = excluded.code, updated_at = now()")) {
            for (Map.Entry<String, Map.Entry<String, byte[]>> library : saved.entrySet()) {
              p.setString(1, library.getKey());
              p.setString(2, library.getValue().getKey());
              p.setBytes(3, library.getValue().getValue());
              p.addBatch();
            }
            p.executeBatch();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PostgresException(
          "cannot save the function libraries (sluice.function_libraries): " + e.getMessage(), e);
    }
  }
}
