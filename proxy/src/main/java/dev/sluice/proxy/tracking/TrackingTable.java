package dev.sluice.proxy.tracking;

import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Client-side caching (CLIENT TRACKING): which clients may hold which keys, and the invalidation
 * messages that tell them a key changed. Redis's tracking.c, under the keyspace lock.
 *
 * <p>Design notes:
 *
 * <ul>
 *   <li><b>Default mode.</b> A read-only command of a tracking client remembers its keys here, by
 *       name only, whatever the database (as Redis). The first change of a key sends one
 *       invalidation to every client that remembered it and forgets them all: the next read
 *       remembers again. A client that went away or stopped tracking is skipped then, not searched
 *       for when it leaves.
 *   <li><b>BCAST.</b> Clients subscribe to prefixes instead; a changed key is noted under every
 *       prefix it starts with, with the client that changed it (for NOLOOP), and each prefix's keys
 *       go out as one message when the command that changed them ends — Redis sends them once per
 *       event-loop turn, Sluice once per command, or at once for changes outside a command (active
 *       expiry, a row changed in PostgreSQL).
 *   <li><b>Order.</b> A client's invalidation of a key it changed itself goes after that command's
 *       reply (Redis's tracking_pending_keys), so the executor brackets each top-level command with
 *       {@link #enter} and {@link #exit}. Messages to other clients go at once, out of band.
 *   <li><b>Redirection.</b> Invalidations go to the REDIRECT client instead: as RESP3 pushes, or to
 *       a RESP2 client with subscriptions as messages of {@code __redis__:invalidate}. A redirect
 *       client that is gone marks the redirection broken, and a RESP3 client is told.
 *   <li><b>Bounds.</b> {@code tracking-table-max-keys} caps the remembered keys: past it, keys are
 *       invalidated before the next command until the table is under the cap again.
 * </ul>
 */
public final class TrackingTable implements Keyspace.Invalidations {
  private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);

  /** A BCAST prefix: its subscribers, and the keys changed since they were last told. */
  private static final class Prefix {
    final LinkedHashSet<TrackingClient> clients = new LinkedHashSet<>();
    // key -> id of the client that changed it last (0: none), keys in Redis's (rax) order
    final TreeMap<byte[], Long> changed = new TreeMap<>(Arrays::compareUnsigned);
  }

  // each tracked key maps to itself: ClientIds is both the key and its clients
  private final Map<ClientIds, ClientIds> keys = new java.util.HashMap<>();
  private long items;
  private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
  private final Map<Long, TrackingClient> tracking = new LinkedHashMap<>();
  private LongFunction<TrackingClient> clients = id -> null;
  private TrackingClient current;
  private boolean broadcastPending;
  private int limitEffort;
  private volatile long maxKeys = 1_000_000;

  /** How redirect targets are found: every connected client by id. Installed before serving. */
  public void clients(LongFunction<TrackingClient> clients) {
    this.clients = clients;
  }

  /** tracking-table-max-keys: 0 for no limit. */
  public void maxKeys(long maxKeys) {
    this.maxKeys = maxKeys;
  }

  public boolean clientExists(long id) {
    return clients.apply(id) != null;
  }

  // ---- CLIENT TRACKING ON|OFF ----

  /**
   * Redis's checkPrefixCollisionsOrReply: the error text if a new prefix overlaps one the client
   * has or another new one, else null.
   */
  public String prefixOverlap(TrackingClient client, List<byte[]> added) {
    for (int i = 0; i < added.size(); i++) {
      byte[] prefix = added.get(i);
      for (byte[] existing : client.tracking().prefixes) {
        if (overlap(existing, prefix)) {
          return overlapError(prefix, "an existing prefix", existing);
        }
      }
      for (int j = i + 1; j < added.size(); j++) {
        if (overlap(prefix, added.get(j))) {
          // Redis 7 replies this error and then +OK too when i > 0; Sluice replies once
          return overlapError(prefix, "another provided prefix", added.get(j));
        }
      }
    }
    return null;
  }

  private static boolean overlap(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    return Arrays.equals(a, 0, n, b, 0, n);
  }

  private static String overlapError(byte[] prefix, String what, byte[] other) {
    return "ERR Prefix '"
        + new String(prefix, StandardCharsets.UTF_8)
        + "' overlaps with "
        + what
        + " '"
        + new String(other, StandardCharsets.UTF_8)
        + "'. Prefixes for a single client must not overlap.";
  }

  /** Redis's enableTracking: the options replace the previous ones; BCAST prefixes add up. */
  public void enable(
      TrackingClient client,
      long redirect,
      boolean bcast,
      boolean optin,
      boolean optout,
      boolean noloop,
      List<byte[]> bcastPrefixes) {
    TrackingState state = client.tracking();
    if (!state.on) {
      tracking.put(client.id(), client);
    }
    state.on = true;
    state.brokenRedirect = false;
    state.redirect = redirect;
    state.bcast = bcast;
    if (bcast) {
      if (bcastPrefixes.isEmpty()) {
        subscribe(client, new byte[0]);
      }
      bcastPrefixes.forEach(prefix -> subscribe(client, prefix));
    }
    state.optin = optin;
    state.optout = optout;
    state.noloop = noloop;
  }

  private void subscribe(TrackingClient client, byte[] prefix) {
    Prefix subscribers = prefixes.computeIfAbsent(prefix, p -> new Prefix());
    if (subscribers.clients.add(client)) {
      client.tracking().prefixes.add(prefix);
    }
  }

  /** CLIENT TRACKING OFF, RESET, or the client went away. */
  public void disable(TrackingClient client) {
    TrackingState state = client.tracking();
    for (byte[] prefix : state.prefixes) {
      Prefix subscribers = prefixes.get(prefix);
      subscribers.clients.remove(client);
      if (subscribers.clients.isEmpty()) {
        prefixes.remove(prefix);
      }
    }
    state.prefixes.clear();
    if (state.on) {
      tracking.remove(client.id());
      state.on = false;
      state.brokenRedirect = false;
      state.bcast = false;
      state.optin = false;
      state.optout = false;
      state.caching = false;
      state.noloop = false;
    }
  }

  // ---- reads and the command around them ----

  /** A read-only command of {@code client} fetched {@code key}: it may cache it now. */
  public void remember(TrackingClient client, byte[] key) {
    ClientIds probe = new ClientIds(key);
    ClientIds ids = keys.putIfAbsent(probe, probe);
    if (ids == null) {
      ids = probe;
      ids.epoch = epoch; // a new record has no bit of a freed slot
    }
    int slot = client.tracking().slot;
    if (slot < 0 && freeSlots != 0) {
      slot = takeSlot(client);
    }
    if (slot >= 0) {
      clean(ids);
      long bit = 1L << slot;
      if ((ids.slots & bit) == 0) {
        ids.slots |= bit;
        items++;
      }
    } else if (ids.add(client.id(), notTracking, droppedItem)) {
      items++;
    }
  }

  // ---- slots: see ClientIds ----

  private final TrackingClient[] slotOwners = new TrackingClient[Long.SIZE];
  private final long[] slotFreedAt = new long[Long.SIZE]; // the epoch each slot was freed in
  private long freeSlots = -1L;
  private long epoch;

  private int takeSlot(TrackingClient client) {
    int slot = Long.numberOfTrailingZeros(freeSlots);
    freeSlots &= ~(1L << slot);
    slotOwners[slot] = client;
    client.tracking().slot = slot;
    return slot;
  }

  /** Drops a record's bits of slots freed since it was last cleaned. */
  void clean(ClientIds ids) {
    if (ids.epoch == epoch) {
      return;
    }
    for (long bits = ids.slots; bits != 0; bits &= bits - 1) {
      int slot = Long.numberOfTrailingZeros(bits);
      if (slotFreedAt[slot] > ids.epoch) {
        ids.slots &= ~(1L << slot);
        items--;
      }
    }
    ids.epoch = epoch;
  }

  /** The client went away: tracking ends, and its slot may serve another client. */
  public void disconnected(TrackingClient client) {
    disable(client);
    int slot = client.tracking().slot;
    if (slot >= 0) {
      epoch++;
      slotFreedAt[slot] = epoch;
      slotOwners[slot] = null;
      freeSlots |= 1L << slot;
      client.tracking().slot = -1;
    }
  }

  private final java.util.function.LongPredicate notTracking = id -> !tracking.containsKey(id);
  private final Runnable droppedItem = () -> items--;

  /**
   * Before a top-level command of {@code client}: keeps the table under its cap, and makes it the
   * client whose own invalidations wait for its reply. Returns the client it replaces (a command
   * that serves a blocked client runs inside another's).
   */
  public TrackingClient enter(TrackingClient client) {
    if (!tracking.isEmpty() && maxKeys > 0 && keys.size() > maxKeys) {
      limit();
    }
    TrackingClient previous = current;
    current = client;
    return previous;
  }

  /** Whether {@code client}'s command left invalidations to send after its reply. */
  public boolean hasAfterReply(TrackingClient client) {
    return !client.tracking().afterReply.isEmpty();
  }

  /** Sends them, a RESP3 client's own into {@code reply}, behind the command's reply. */
  public void writeAfterReply(TrackingClient client, Reply reply) {
    TrackingState state = client.tracking();
    List<byte[]> pending = new ArrayList<>(state.afterReply);
    state.afterReply.clear();
    for (byte[] key : pending) {
      List<byte[]> keyList = key == null ? null : List.of(key);
      if (state.redirect == 0 && client.protocol() >= 3) {
        write(reply, false, keyList, false);
      } else {
        send(client, keyList);
      }
    }
  }

  /** After a top-level command: sends BCAST's invalidations and restores the previous client. */
  public void exit(TrackingClient previous) {
    current = previous;
    if (broadcastPending) {
      broadcast();
    }
  }

  // ---- Keyspace.Invalidations ----

  @Override
  public void keyChanged(byte[] key) {
    if (!prefixes.isEmpty()) {
      noteForBroadcast(key);
    }
    if (!keys.isEmpty()) {
      invalidate(key);
    }
  }

  /** Redis's trackingInvalidateKeysOnFlush: a null invalidation to every tracking client. */
  @Override
  public void allChanged() {
    for (TrackingClient client : tracking.values()) {
      if (client == current) {
        client.tracking().afterReply.add(null);
      } else {
        send(client, null);
      }
    }
    keys.clear();
    items = 0;
  }

  private void invalidate(byte[] key) {
    ClientIds ids = keys.remove(new ClientIds(key));
    if (ids == null) {
      return;
    }
    clean(ids);
    items -= ids.size();
    List<byte[]> keyList = List.of(key);
    for (long bits = ids.slots; bits != 0; bits &= bits - 1) {
      TrackingClient target = slotOwners[Long.numberOfTrailingZeros(bits)];
      tell(target.tracking().on ? target : null, key, keyList);
    }
    ids.forEach(id -> tell(tracking.get(id), key, keyList));
  }

  /** Tells a client that may cache {@code key} (null: it stopped tracking) that it changed. */
  private void tell(TrackingClient target, byte[] key, List<byte[]> keyList) {
    if (target == null || target.tracking().bcast) {
      return;
    }
    if (target == current) {
      if (!target.tracking().noloop) {
        target.tracking().afterReply.add(key);
      }
    } else {
      send(target, keyList);
    }
  }

  private void noteForBroadcast(byte[] key) {
    Long changedBy = current == null ? 0L : current.id();
    for (Map.Entry<byte[], Prefix> entry : prefixes.entrySet()) {
      byte[] prefix = entry.getKey();
      if (prefix.length <= key.length
          && Arrays.equals(prefix, 0, prefix.length, key, 0, prefix.length)) {
        entry.getValue().changed.put(key, changedBy);
        broadcastPending = true;
      }
    }
    if (broadcastPending && current == null) {
      broadcast();
    }
  }

  /** Redis's trackingBroadcastInvalidationMessages. */
  private void broadcast() {
    broadcastPending = false;
    for (Prefix prefix : prefixes.values()) {
      if (prefix.changed.isEmpty()) {
        continue;
      }
      List<byte[]> all = new ArrayList<>(prefix.changed.keySet());
      for (TrackingClient client : prefix.clients) {
        if (!client.tracking().noloop) {
          send(client, all);
          continue;
        }
        List<byte[]> others = new ArrayList<>();
        prefix.changed.forEach(
            (key, changedBy) -> {
              if (changedBy != client.id()) {
                others.add(key);
              }
            });
        if (!others.isEmpty()) {
          send(client, others);
        }
      }
      prefix.changed.clear();
    }
  }

  /** Redis's trackingLimitUsedSlots: invalidates keys until the table is under its cap. */
  private void limit() {
    int effort = 100 * (limitEffort + 1);
    List<byte[]> victims = new ArrayList<>();
    Iterator<ClientIds> names = keys.keySet().iterator();
    long excess = keys.size() - maxKeys;
    while (names.hasNext() && victims.size() < Math.min(effort, excess)) {
      victims.add(names.next().key);
    }
    victims.forEach(this::invalidate);
    limitEffort = keys.size() > maxKeys ? limitEffort + 1 : 0;
  }

  // ---- messages ----

  /** Redis's sendTrackingMessage; {@code keys} null for a flush. */
  private void send(TrackingClient client, List<byte[]> keys) {
    TrackingState state = client.tracking();
    TrackingClient target = client;
    if (state.redirect != 0) {
      target = clients.apply(state.redirect);
      if (target == null) {
        state.brokenRedirect = true;
        if (client.protocol() >= 3) {
          long redirect = state.redirect;
          client.deliver(
              reply -> {
                reply.push(2);
                reply.bulk("tracking-redir-broken");
                reply.integer(redirect);
              });
        }
        return;
      }
    }
    // Redis writes a flush's null in the tracking client's protocol, whoever receives it; a RESP3
    // null would break a RESP2 receiver, so Sluice writes RESP2's whenever either side is RESP2
    if (target.protocol() >= 3) {
      boolean resp2Null = client.protocol() < 3;
      target.deliver(reply -> write(reply, false, keys, resp2Null));
    } else if (target != client && target.inPubSubMode()) {
      target.deliver(reply -> write(reply, true, keys, false));
    }
    // a RESP2 client without redirection cannot be told: RESP2 has no pushes
  }

  /**
   * An invalidation message; {@code resp2Null}: a flush's null written as RESP2's to a RESP3
   * receiver.
   */
  private static void write(Reply reply, boolean asMessage, List<byte[]> keys, boolean resp2Null) {
    if (asMessage) {
      reply.push(3);
      reply.bulk(MESSAGE);
      reply.bulk(CHANNEL);
    } else {
      reply.push(2);
      reply.bulk(INVALIDATE);
    }
    if (keys == null) {
      if (resp2Null) {
        reply.useProtocol(2);
        reply.nil();
        reply.useProtocol(3);
      } else {
        reply.nil();
      }
      return;
    }
    reply.array(keys.size());
    for (byte[] key : keys) {
      reply.bulk(key);
    }
  }

  // ---- INFO ----

  /** tracking_clients */
  public int trackingClients() {
    return tracking.size();
  }

  /** tracking_total_keys */
  public int keyCount() {
    return keys.size();
  }

  /** tracking_total_items */
  public long items() {
    return items;
  }

  /** tracking_total_prefixes */
  public int prefixCount() {
    return prefixes.size();
  }
}
