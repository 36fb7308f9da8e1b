package dev.sluice.proxy.pubsub;

import dev.sluice.proxy.keyspace.BytesKey;
import dev.sluice.proxy.keyspace.KeyspaceEvents;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels and patterns with their subscribers, and delivery of messages, including keyspace
 * notifications ({@code __keyspace@<db>__:<key>} and {@code __keyevent@<db>__:<event>}). All access
 * happens under the keyspace lock, as every command does; delivery only enqueues the message on the
 * subscriber's connection.
 */
public final class PubSub implements KeyspaceEvents {
  private final Map<BytesKey, Set<Subscriber>> channels = new HashMap<>();
  private final Map<BytesKey, Set<Subscriber>> patterns = new HashMap<>();
  private final Map<BytesKey, Set<Subscriber>> shardChannels = new HashMap<>();

  public boolean subscribe(Subscriber session, byte[] channel) {
    BytesKey key = new BytesKey(channel);
    if (!session.subscriptions().channels.add(key)) {
      return false;
    }
    channels.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(session);
    return true;
  }

  public boolean unsubscribe(Subscriber session, byte[] channel) {
    BytesKey key = new BytesKey(channel);
    if (!session.subscriptions().channels.remove(key)) {
      return false;
    }
    removeFrom(channels, key, session);
    return true;
  }

  public boolean psubscribe(Subscriber session, byte[] pattern) {
    BytesKey key = new BytesKey(pattern);
    if (!session.subscriptions().patterns.add(key)) {
      return false;
    }
    patterns.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(session);
    return true;
  }

  public boolean punsubscribe(Subscriber session, byte[] pattern) {
    BytesKey key = new BytesKey(pattern);
    if (!session.subscriptions().patterns.remove(key)) {
      return false;
    }
    removeFrom(patterns, key, session);
    return true;
  }

  /** SSUBSCRIBE: a shard channel, apart from SUBSCRIBE's channels of the same name. */
  public boolean ssubscribe(Subscriber session, byte[] channel) {
    BytesKey key = new BytesKey(channel);
    if (!session.subscriptions().shardChannels.add(key)) {
      return false;
    }
    shardChannels.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(session);
    return true;
  }

  public boolean sunsubscribe(Subscriber session, byte[] channel) {
    BytesKey key = new BytesKey(channel);
    if (!session.subscriptions().shardChannels.remove(key)) {
      return false;
    }
    removeFrom(shardChannels, key, session);
    return true;
  }

  private static void removeFrom(
      Map<BytesKey, Set<Subscriber>> map, BytesKey key, Subscriber session) {
    Set<Subscriber> subscribers = map.get(key);
    if (subscribers != null && subscribers.remove(session) && subscribers.isEmpty()) {
      map.remove(key);
    }
  }

  /** Drops every subscription of a client that went away. */
  public void removeAll(Subscriber session) {
    for (BytesKey channel : List.copyOf(session.subscriptions().channels)) {
      unsubscribe(session, channel.bytes());
    }
    for (BytesKey pattern : List.copyOf(session.subscriptions().patterns)) {
      punsubscribe(session, pattern.bytes());
    }
    for (BytesKey channel : List.copyOf(session.subscriptions().shardChannels)) {
      sunsubscribe(session, channel.bytes());
    }
  }

  /** Sends a message to the channel's subscribers and matching patterns; returns how many. */
  public int publish(byte[] channel, byte[] message) {
    int receivers = 0;
    Set<Subscriber> direct = channels.get(new BytesKey(channel));
    if (direct != null) {
      for (Subscriber s : direct) {
        s.deliver(reply -> writeMessage(reply, channel, message));
        receivers++;
      }
    }
    for (Map.Entry<BytesKey, Set<Subscriber>> p : patterns.entrySet()) {
      byte[] pattern = p.getKey().bytes();
      if (Glob.matches(pattern, channel)) {
        for (Subscriber s : p.getValue()) {
          s.deliver(reply -> writePatternMessage(reply, pattern, channel, message));
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** SPUBLISH: to the shard channel's subscribers only (no patterns); returns how many. */
  public int spublish(byte[] channel, byte[] message) {
    Set<Subscriber> subscribers = shardChannels.get(new BytesKey(channel));
    if (subscribers == null) {
      return 0;
    }
    for (Subscriber s : subscribers) {
      s.deliver(
          reply -> {
            reply.push(3);
            reply.bulk("smessage");
            reply.bulk(channel);
            reply.bulk(message);
          });
    }
    return subscribers.size();
  }

  private static void writeMessage(Reply reply, byte[] channel, byte[] message) {
    reply.push(3);
    reply.bulk("message");
    reply.bulk(channel);
    reply.bulk(message);
  }

  private static void writePatternMessage(
      Reply reply, byte[] pattern, byte[] channel, byte[] message) {
    reply.push(4);
    reply.bulk("pmessage");
    reply.bulk(pattern);
    reply.bulk(channel);
    reply.bulk(message);
  }

  @Override
  public void keyspaceEvent(int type, String event, byte[] key, int db) {
    byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
    // the flags were checked by the keyspace; which channels depends on K and E
    if ((notifyFlags & NotifyFlags.KEYSPACE) != 0) {
      publish(concat("__keyspace@" + db + "__:", key), eventBytes);
    }
    if ((notifyFlags & NotifyFlags.KEYEVENT) != 0) {
      publish(concat("__keyevent@" + db + "__:", eventBytes), key);
    }
  }

  private volatile int notifyFlags;

  public void notifyFlags(int flags) {
    this.notifyFlags = flags;
  }

  private static byte[] concat(String prefix, byte[] suffix) {
    byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + suffix.length);
    System.arraycopy(suffix, 0, all, head.length, suffix.length);
    return all;
  }

  /** Active channels, optionally matching a pattern (PUBSUB CHANNELS). */
  public List<byte[]> channels(byte[] pattern) {
    return matching(channels, pattern);
  }

  /** Active shard channels, optionally matching a pattern (PUBSUB SHARDCHANNELS). */
  public List<byte[]> shardChannels(byte[] pattern) {
    return matching(shardChannels, pattern);
  }

  private static List<byte[]> matching(Map<BytesKey, Set<Subscriber>> map, byte[] pattern) {
    List<byte[]> matching = new ArrayList<>();
    for (BytesKey channel : map.keySet()) {
      if (pattern == null || Glob.matches(pattern, channel.bytes())) {
        matching.add(channel.bytes());
      }
    }
    return matching;
  }

  public int subscriberCount(byte[] channel) {
    Set<Subscriber> subscribers = channels.get(new BytesKey(channel));
    return subscribers == null ? 0 : subscribers.size();
  }

  public int shardSubscriberCount(byte[] channel) {
    Set<Subscriber> subscribers = shardChannels.get(new BytesKey(channel));
    return subscribers == null ? 0 : subscribers.size();
  }

  public int patternCount() {
    return patterns.size();
  }

  /** Clients with at least one subscription, for INFO. */
  public int subscribedClients() {
    Set<Subscriber> all = new java.util.HashSet<>();
    channels.values().forEach(all::addAll);
    patterns.values().forEach(all::addAll);
    shardChannels.values().forEach(all::addAll);
    return all.size();
  }
}
