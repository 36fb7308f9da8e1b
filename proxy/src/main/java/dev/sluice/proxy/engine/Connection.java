package dev.sluice.proxy.engine;

/** The transport under a session, as commands see it (CLIENT LIST, CLIENT KILL). */
public interface Connection {
  String remoteAddress();

  String localAddress();

  /** Closes the connection once what was already written has been flushed. */
  void close();

  /**
   * Sends an out-of-band message (pub/sub) from any thread, in the given protocol. A subscriber
   * whose unsent output passes the pubsub client-output-buffer-limit is disconnected instead.
   */
  void push(int protocol, java.util.function.Consumer<dev.sluice.proxy.resp.Reply> message);

  /**
   * Sends bytes as they are, from any thread, after what was written before (a replica's stream);
   * past the replica client-output-buffer-limit the connection is closed instead.
   */
  void pushBytes(byte[] bytes);
}
