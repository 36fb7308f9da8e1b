package dev.sluice.proxy.keyspace;

/** A client's WATCH on keys; told, under the keyspace lock, when one of them changes. */
public interface KeyWatcher {
  void keyModified();
}
