package dev.sluice.proxy.keyspace;

/** A value type that keeps its own estimate of the heap bytes it holds, updated as it changes. */
public interface SizedValue {
  long estimatedBytes();
}
