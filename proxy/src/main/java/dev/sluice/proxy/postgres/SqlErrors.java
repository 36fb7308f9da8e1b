package dev.sluice.proxy.postgres;

import java.sql.SQLException;

/** Short, readable reasons for SQL failures, for error replies and logs. */
public final class SqlErrors {
  private SqlErrors() {}

  /** Whether the SQLState says the value did not fit its type (22P02, 22003, 22007, 22008...). */
  public static boolean isDataError(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("22");
  }

  public static String reason(SQLException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.toString();
    }
    int newline = message.indexOf('\n');
    if (newline > 0) {
      message = message.substring(0, newline);
    }
    if (message.startsWith("ERROR: ")) {
      message = message.substring("ERROR: ".length());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += " (" + cause.getMessage() + ")";
    }
    return message;
  }
}
