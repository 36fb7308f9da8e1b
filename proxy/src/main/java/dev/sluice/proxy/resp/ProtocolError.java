package dev.sluice.proxy.resp;

/**
 * A frame that breaks RESP. The decoder emits it in order after the commands before it; the
 * connection answers {@code -ERR Protocol error: <detail>} and closes, as Redis does.
 */
public record ProtocolError(String detail) {
  public String message() {
    return "ERR Protocol error: " + detail;
  }
}
