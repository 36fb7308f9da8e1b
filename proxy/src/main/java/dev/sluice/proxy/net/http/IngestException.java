package dev.sluice.proxy.net.http;

import java.util.Map;

/** Why an ingest request is refused: an HTTP status and the JSON object to answer with. */
final class IngestException extends RuntimeException {
  final int status;
  final Map<String, Object> body;

  IngestException(int status, Map<String, Object> body) {
    super(String.valueOf(body.get("error")), null, false, false);
    this.status = status;
    this.body = body;
  }

  /** A 400 about the row that starts on {@code line}. */
  static IngestException badRow(long line, String column, String value, String message) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("error", "line " + line + ": " + message);
    body.put("line", line);
    if (column != null) {
      body.put("column", column);
      body.put("value", value);
    }
    body.put("accepted", 0);
    return new IngestException(400, body);
  }
}
