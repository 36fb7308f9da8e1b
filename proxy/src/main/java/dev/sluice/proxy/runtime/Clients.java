package dev.sluice.proxy.runtime;

import dev.sluice.proxy.engine.Session;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients by id, in connection order (CLIENT LIST, CLIENT KILL, INFO clients). */
public final class Clients {
  private final AtomicLong nextId = new AtomicLong();
  private final ConcurrentSkipListMap<Long, Session> byId = new ConcurrentSkipListMap<>();
  private final AtomicInteger count = new AtomicInteger();

  public long nextId() {
    return nextId.incrementAndGet();
  }

  public void add(Session session) {
    if (byId.put(session.id(), session) == null) {
      count.incrementAndGet();
    }
  }

  public void remove(Session session) {
    if (byId.remove(session.id()) != null) {
      count.decrementAndGet();
    }
  }

  public Session get(long id) {
    return byId.get(id);
  }

  public int count() {
    return count.get();
  }

  public Collection<Session> all() {
    return Collections.unmodifiableCollection(byId.values());
  }
}
