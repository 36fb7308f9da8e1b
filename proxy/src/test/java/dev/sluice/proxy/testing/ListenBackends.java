package dev.sluice.proxy.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The LISTEN connections of a PostgreSQL server, as a test that breaks them sees them. */
public final class ListenBackends {
  private ListenBackends() {}

  /** Terminates every backend whose last query was a LISTEN (not {@code c}'s own); how many. */
  public static int terminate(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
