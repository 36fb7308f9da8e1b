package dev.sluice.proxy.command;

/** The transport under a session, as commands see it (CLIENT LIST, CLIENT KILL). */
public interface Connection {
  String remoteAddress();

  String localAddress();

  /** Closes the connection once what was already written has been flushed. */
  void close();
}
