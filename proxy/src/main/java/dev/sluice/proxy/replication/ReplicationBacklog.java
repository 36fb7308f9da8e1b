package dev.sluice.proxy.replication;

/**
 * The last {@code repl-backlog-size} bytes of the replication stream, so that a replica that lost
 * its link can continue from its offset (PSYNC) instead of loading a whole RDB file again: a ring
 * buffer, as Redis's backlog. Offsets are the stream's: the first byte ever written is offset 1.
 */
final class ReplicationBacklog {
  private byte[] ring;
  private int next; // where the next byte goes
  private long histlen; // bytes held, at most ring.length
  private long offset; // offset of the last byte written

  ReplicationBacklog(int size, long offset) {
    this.ring = new byte[size];
    this.offset = offset;
  }

  void append(byte[] bytes) {
    int from = 0;
    int remaining = bytes.length;
    if (remaining > ring.length) { // only the tail fits
      from = remaining - ring.length;
      remaining = ring.length;
    }
    while (remaining > 0) {
      int chunk = Math.min(remaining, ring.length - next);
      System.arraycopy(bytes, from, ring, next, chunk);
      next = (next + chunk) % ring.length;
      from += chunk;
      remaining -= chunk;
    }
    histlen = Math.min(ring.length, histlen + bytes.length);
    offset += bytes.length;
  }

  /** The offset of the last byte written (master_repl_offset). */
  long offset() {
    return offset;
  }

  /** The offset of the first byte held (repl_backlog_first_byte_offset). */
  long firstByteOffset() {
    return offset - histlen + 1;
  }

  long histlen() {
    return histlen;
  }

  int size() {
    return ring.length;
  }

  /**
   * The bytes after {@code replicaOffset} (the last byte a replica has), or null when some of them
   * are no longer held: the replica then needs a full synchronisation.
   */
  byte[] since(long replicaOffset) {
    long wanted = offset - replicaOffset;
    if (wanted < 0 || wanted > histlen) {
      return null;
    }
    byte[] out = new byte[(int) wanted];
    int start = (int) Math.floorMod(next - wanted, (long) ring.length);
    int first = (int) Math.min(wanted, ring.length - start);
    System.arraycopy(ring, start, out, 0, first);
    System.arraycopy(ring, 0, out, first, (int) wanted - first);
    return out;
  }
}
