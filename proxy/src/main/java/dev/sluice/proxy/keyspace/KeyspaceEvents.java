package dev.sluice.proxy.keyspace;

/**
 * Receives keyspace notifications that passed {@code notify-keyspace-events}; pub/sub sends them.
 */
public interface KeyspaceEvents {
  void keyspaceEvent(int type, String event, byte[] key, int db);

  KeyspaceEvents NONE = (type, event, key, db) -> {};
}
