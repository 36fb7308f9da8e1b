package dev.sluice.proxy.types.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A consumer group of a {@link RedisStream} (streamCG): the last delivered ID, the entries-read
 * counter behind XINFO's lag, the pending entries list (PEL) and the consumers.
 *
 * <p>Each pending entry is one {@link PendingEntry} held by the group's PEL and its owner's, both
 * sorted by ID, so that XPENDING, XCLAIM and XAUTOCLAIM walk them in order and a change of owner is
 * two map updates. Consumers are sorted by name bytes, as Redis's rax lists them.
 *
 * <p>A consumer is created and its seen-time set by the caller ({@link #consumer}, {@link
 * #createConsumer}, {@link StreamConsumer#seen}) before reading or claiming, so that the command
 * layer can send the xgroup-createconsumer event as Redis does. All times are passed in. The
 * group's heap estimate is kept here and every change is reported to the stream.
 */
public final class ConsumerGroup {
  /** SCG_INVALID_ENTRIES_READ: the counter is unknown (XINFO shows null). */
  public static final long INVALID_ENTRIES_READ = -1;

  private RedisStream stream;
  private final byte[] name;
  private StreamId lastId;
  private long entriesRead;
  private final TreeMap<StreamId, PendingEntry> pel = new TreeMap<>();
  private final TreeMap<byte[], StreamConsumer> consumers = new TreeMap<>(Arrays::compareUnsigned);
  private long bytes;

  ConsumerGroup(RedisStream stream, byte[] name, StreamId lastId, long entriesRead) {
    this.stream = stream;
    this.name = name;
    this.lastId = lastId;
    this.entriesRead = entriesRead;
    this.bytes = StreamMemory.GROUP + StreamMemory.bytes(name);
  }

  public byte[] name() {
    return name;
  }

  /** last-delivered-id. */
  public StreamId lastDeliveredId() {
    return lastId;
  }

  /** entries-read, or {@link #INVALID_ENTRIES_READ}. */
  public long entriesRead() {
    return entriesRead;
  }

  /**
   * streamReplyWithCGLag (7.4): entries not yet delivered to the group, or null when the stream's
   * deletions make it unknowable.
   */
  public Long lag() {
    long added = stream.entriesAdded();
    if (added == 0) {
      return 0L;
    }
    if (entriesRead != INVALID_ENTRIES_READ && !stream.hasTombstonesFrom(lastId)) {
      return added - entriesRead;
    }
    long estimate = stream.estimateDistanceFromFirstEverEntry(lastId);
    return estimate != INVALID_ENTRIES_READ ? added - estimate : null;
  }

  /** XGROUP SETID: the new last delivered ID ("$" is the stream's last ID) and entries-read. */
  public void setLastDelivered(StreamId id, long newEntriesRead) {
    lastId = id;
    entriesRead = newEntriesRead;
  }

  public int pendingCount() {
    return pel.size();
  }

  /** The group's PEL by ID, read-only (XINFO STREAM FULL). */
  public NavigableMap<StreamId, PendingEntry> pending() {
    return Collections.unmodifiableNavigableMap(pel);
  }

  public int consumerCount() {
    return consumers.size();
  }

  /** The consumers in name order, read-only. */
  public Collection<StreamConsumer> consumers() {
    return Collections.unmodifiableCollection(consumers.values());
  }

  /** The consumer of that name, or null. */
  public StreamConsumer consumer(byte[] consumerName) {
    return consumers.get(consumerName);
  }

  /**
   * XGROUP CREATECONSUMER, and the implicit creation by XREADGROUP / XCLAIM / XAUTOCLAIM: a new
   * consumer seen now and never active, or null if the name is taken.
   */
  public StreamConsumer createConsumer(byte[] consumerName, long nowMillis) {
    if (consumers.containsKey(consumerName)) {
      return null;
    }
    StreamConsumer consumer = new StreamConsumer(consumerName.clone(), nowMillis);
    consumers.put(consumer.name(), consumer);
    grow(StreamMemory.CONSUMER + StreamMemory.bytes(consumer.name()));
    return consumer;
  }

  /**
   * Rebuilding a dumped group (an RDB object, a kv value): a consumer with its seen and active
   * times (-1: never active), before its pending entries; null if the name is taken.
   */
  public StreamConsumer restoreConsumer(byte[] consumerName, long seenTime, long activeTime) {
    StreamConsumer consumer = createConsumer(consumerName, seenTime);
    if (consumer != null) {
      consumer.activeTime = activeTime;
    }
    return consumer;
  }

  /**
   * Rebuilding a dumped group: a pending entry with its last delivery time and count, owned by no
   * consumer until {@link #assignPending} (an RDB object lists the group's entries before its
   * consumers); false if the ID is pending already.
   */
  public boolean restorePending(StreamId id, long deliveryTime, long deliveryCount) {
    if (pel.containsKey(id)) {
      return false;
    }
    pel.put(id, new PendingEntry(null, deliveryTime, deliveryCount));
    grow(StreamMemory.PENDING);
    return true;
  }

  /**
   * Gives a restored pending entry to its consumer; false if the ID is not pending or has an owner
   * already.
   */
  public boolean assignPending(StreamId id, StreamConsumer consumer) {
    PendingEntry nack = pel.get(id);
    if (nack == null || nack.consumer != null) {
      return false;
    }
    nack.consumer = consumer;
    consumer.pel.put(id, nack);
    return true;
  }

  /**
   * XGROUP DELCONSUMER: removes the consumer and its pending entries from the group; returns how
   * many it had pending (0 when there is no such consumer).
   */
  public long deleteConsumer(byte[] consumerName) {
    StreamConsumer consumer = consumers.remove(consumerName);
    if (consumer == null) {
      return 0;
    }
    long pending = consumer.pel.size();
    for (StreamId id : consumer.pel.keySet()) {
      pel.remove(id);
    }
    grow(
        -pending * StreamMemory.PENDING
            - StreamMemory.CONSUMER
            - StreamMemory.bytes(consumer.name()));
    return pending;
  }

  /** Whether XREADGROUP ">" has something to serve now: a live entry above last-delivered-id. */
  public boolean hasNewEntries() {
    StreamId top = stream.lastValidId();
    return top != null && top.compareTo(lastId) > 0;
  }

  /**
   * XREADGROUP ">": delivers up to {@code count} (0: all) live entries after last-delivered-id,
   * advancing it and entries-read as streamReplyWithRange does. Unless {@code noAck}, each becomes
   * pending for {@code consumer} with one delivery now; an entry already pending (after XGROUP
   * SETID moved the group back) moves to this consumer with its count reset to 1.
   */
  public List<StreamEntry> readNew(StreamConsumer consumer, long count, boolean noAck, long now) {
    checkMember(consumer);
    List<StreamEntry> out = new ArrayList<>();
    StreamId start = lastId.next();
    if (start == null) {
      return out;
    }
    stream.walk(
        start,
        StreamId.MAX,
        false,
        true,
        (node, c) -> {
          StreamId id = c.id();
          if (id.compareTo(lastId) > 0) {
            advanceTo(id);
          }
          out.add(new StreamEntry(id, node.fieldsValues(c)));
          if (!noAck) {
            deliver(id, consumer, now);
            consumer.activeTime = now;
          }
          return count == 0 || out.size() < count;
        });
    return out;
  }

  /** The entries-read bookkeeping of streamReplyWithRange (7.4: tombstones checked from id). */
  private void advanceTo(StreamId id) {
    if (entriesRead != INVALID_ENTRIES_READ && !stream.hasTombstonesFrom(id)) {
      entriesRead++;
    } else if (stream.entriesAdded() != 0) {
      entriesRead = stream.estimateDistanceFromFirstEverEntry(id);
    }
    lastId = id;
  }

  private void deliver(StreamId id, StreamConsumer consumer, long now) {
    PendingEntry nack = pel.get(id);
    if (nack == null) {
      nack = new PendingEntry(consumer, now, 1);
      pel.put(id, nack);
      consumer.pel.put(id, nack);
      grow(StreamMemory.PENDING);
      return;
    }
    nack.consumer.pel.remove(id);
    nack.consumer = consumer;
    nack.deliveryTime = now;
    nack.deliveryCount = 1;
    consumer.pel.put(id, nack);
  }

  /**
   * XREADGROUP with an ID: the consumer's own pending entries after {@code after} (the largest ID
   * wraps to 0-0 and so means all, as streamIncrID), at most {@code count} (0: all). Each one still
   * in the stream counts a delivery now; one that is gone comes back with null fields.
   */
  public List<StreamEntry> readHistory(
      StreamConsumer consumer, StreamId after, long count, long now) {
    checkMember(consumer);
    List<StreamEntry> out = new ArrayList<>();
    for (Map.Entry<StreamId, PendingEntry> e :
        consumer.pel.tailMap(after.nextWrapping(), true).entrySet()) {
      if (count != 0 && out.size() >= count) {
        break;
      }
      StreamEntry entry = stream.get(e.getKey());
      if (entry == null) {
        out.add(new StreamEntry(e.getKey(), null));
      } else {
        e.getValue().deliveryTime = now;
        e.getValue().deliveryCount++;
        out.add(entry);
      }
    }
    return out;
  }

  /** XACK: removes the IDs from the PEL; returns how many were pending. */
  public long ack(Collection<StreamId> ids) {
    long acknowledged = 0;
    for (StreamId id : ids) {
      PendingEntry nack = pel.remove(id);
      if (nack != null) {
        nack.consumer.pel.remove(id);
        acknowledged++;
      }
    }
    grow(-acknowledged * StreamMemory.PENDING);
    return acknowledged;
  }

  /** XPENDING key group. */
  public StreamPending.Summary pendingSummary() {
    List<StreamPending.Owner> owners = new ArrayList<>();
    if (pel.isEmpty()) {
      return new StreamPending.Summary(0, null, null, owners);
    }
    for (StreamConsumer consumer : consumers.values()) {
      if (!consumer.pel.isEmpty()) {
        owners.add(new StreamPending.Owner(consumer.name(), consumer.pel.size()));
      }
    }
    return new StreamPending.Summary(pel.size(), pel.firstKey(), pel.lastKey(), owners);
  }

  /**
   * XPENDING key group [IDLE min] start end count [consumer]: pending entries with start <= id <=
   * end, idle at least {@code minIdle} ms (0: any), at most {@code count}, of {@code consumer} only
   * when not null (the caller replies an empty array for an unknown consumer name).
   */
  public List<StreamPending.Line> pending(
      StreamId start, StreamId end, long count, long minIdle, StreamConsumer consumer, long now) {
    TreeMap<StreamId, PendingEntry> source = consumer != null ? consumer.pel : pel;
    List<StreamPending.Line> out = new ArrayList<>();
    for (Map.Entry<StreamId, PendingEntry> e : source.tailMap(start, true).entrySet()) {
      if (out.size() >= count || e.getKey().compareTo(end) > 0) {
        break;
      }
      PendingEntry nack = e.getValue();
      if (minIdle != 0 && now - nack.deliveryTime < minIdle) {
        continue;
      }
      out.add(
          new StreamPending.Line(
              e.getKey(), nack.consumer.name(), nack.idle(now), nack.deliveryCount));
    }
    return out;
  }

  /**
   * XCLAIM: gives {@code consumer} the listed entries that are pending and idle for at least
   * minIdle (or, with FORCE, merely in the stream), in the order given, repeats included. An ID
   * pending but gone from the stream leaves the PEL. LASTID moves last-delivered-id forward first.
   * Returns the claimed entries, with null fields under JUSTID.
   */
  public List<StreamEntry> claim(
      StreamConsumer consumer, List<StreamId> ids, StreamPending.ClaimOptions options, long now) {
    checkMember(consumer);
    if (options.lastId() != null && options.lastId().compareTo(lastId) > 0) {
      lastId = options.lastId();
    }
    long deliveryTime = options.deliveryTime();
    if (deliveryTime < 0 || deliveryTime > now) {
      deliveryTime = now; // none given, or bogus: Redis takes "now" rather than failing
    }
    List<StreamEntry> out = new ArrayList<>();
    for (StreamId id : ids) {
      PendingEntry nack = pel.get(id);
      StreamEntry entry = lookup(id, options.justId());
      if (entry == null) {
        if (nack != null) {
          forget(id, nack);
        }
        continue;
      }
      if (options.force() && nack == null) {
        nack = new PendingEntry(null, now, 1);
        pel.put(id, nack);
        grow(StreamMemory.PENDING);
      }
      if (nack == null) {
        continue;
      }
      if (nack.consumer != null && options.minIdle() != 0) {
        if (now - nack.deliveryTime < options.minIdle()) {
          continue;
        }
      }
      nack.deliveryTime = deliveryTime;
      if (options.retryCount() >= 0) {
        nack.deliveryCount = options.retryCount();
      } else if (!options.justId()) {
        nack.deliveryCount++;
      }
      moveTo(id, nack, consumer);
      out.add(entry);
      consumer.activeTime = now;
    }
    return out;
  }

  /**
   * XAUTOCLAIM: scans the PEL from {@code start}, claiming entries idle at least {@code minIdle}
   * for {@code consumer} and dropping those the stream no longer has, until {@code count} entries
   * were claimed or dropped or {@code count * 10} PEL entries were looked at.
   */
  public StreamPending.AutoClaim autoClaim(
      StreamConsumer consumer, StreamId start, long minIdle, long count, boolean justId, long now) {
    checkMember(consumer);
    List<StreamEntry> claimed = new ArrayList<>();
    List<StreamId> deleted = new ArrayList<>();
    long attempts = count * 10;
    Iterator<Map.Entry<StreamId, PendingEntry>> it = pel.tailMap(start, true).entrySet().iterator();
    while (attempts-- != 0 && count != 0 && it.hasNext()) {
      Map.Entry<StreamId, PendingEntry> e = it.next();
      StreamId id = e.getKey();
      PendingEntry nack = e.getValue();
      StreamEntry entry = lookup(id, justId);
      if (entry == null) {
        it.remove();
        nack.consumer.pel.remove(id);
        grow(-StreamMemory.PENDING);
        deleted.add(id);
        count--;
        continue;
      }
      if (minIdle != 0 && now - nack.deliveryTime < minIdle) {
        continue;
      }
      nack.deliveryTime = now;
      if (!justId) {
        nack.deliveryCount++;
      }
      moveTo(id, nack, consumer);
      claimed.add(entry);
      count--;
      consumer.activeTime = now;
    }
    StreamId next = it.hasNext() ? it.next().getKey() : StreamId.MIN;
    return new StreamPending.AutoClaim(next, claimed, deleted);
  }

  /** The live entry, with fields unless only its ID is wanted; null when the stream lacks it. */
  private StreamEntry lookup(StreamId id, boolean idOnly) {
    if (idOnly) {
      return stream.contains(id) ? new StreamEntry(id, null) : null;
    }
    return stream.get(id);
  }

  private void moveTo(StreamId id, PendingEntry nack, StreamConsumer consumer) {
    if (nack.consumer != consumer) {
      if (nack.consumer != null) {
        nack.consumer.pel.remove(id);
      }
      consumer.pel.put(id, nack);
      nack.consumer = consumer;
    }
  }

  private void forget(StreamId id, PendingEntry nack) {
    pel.remove(id);
    nack.consumer.pel.remove(id);
    grow(-StreamMemory.PENDING);
  }

  private void checkMember(StreamConsumer consumer) {
    if (consumers.get(consumer.name()) != consumer) {
      throw new IllegalArgumentException("not a consumer of this group");
    }
  }

  private void grow(long delta) {
    bytes += delta;
    if (stream != null) {
      stream.groupBytesChanged(delta);
    }
  }

  long bytes() {
    return bytes;
  }

  /** Called once the stream dropped the group: later changes no longer count towards it. */
  void detach() {
    stream = null;
  }

  /** A deep copy belonging to {@code owner}, as streamDup (PEL entries shared the same way). */
  ConsumerGroup copyInto(RedisStream owner) {
    ConsumerGroup copy = new ConsumerGroup(null, name.clone(), lastId, entriesRead);
    for (StreamConsumer consumer : consumers.values()) {
      StreamConsumer consumerCopy = copy.createConsumer(consumer.name(), consumer.seenTime);
      consumerCopy.activeTime = consumer.activeTime;
    }
    for (Map.Entry<StreamId, PendingEntry> e : pel.entrySet()) {
      PendingEntry nack = e.getValue();
      StreamConsumer owner2 = nack.consumer == null ? null : copy.consumer(nack.consumer.name());
      PendingEntry nackCopy = new PendingEntry(owner2, nack.deliveryTime, nack.deliveryCount);
      copy.pel.put(e.getKey(), nackCopy);
      if (owner2 != null) {
        owner2.pel.put(e.getKey(), nackCopy);
      }
      copy.bytes += StreamMemory.PENDING;
    }
    copy.stream = owner;
    return copy;
  }

  long recountBytes() {
    long total = StreamMemory.GROUP + StreamMemory.bytes(name);
    for (StreamConsumer consumer : consumers.values()) {
      total += StreamMemory.CONSUMER + StreamMemory.bytes(consumer.name());
    }
    return total + pel.size() * StreamMemory.PENDING;
  }
}
