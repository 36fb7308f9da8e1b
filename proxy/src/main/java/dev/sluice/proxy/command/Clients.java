package dev.sluice.proxy.command;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients by id, in connection order (CLIENT LIST, CLIENT KILL, INFO clients). */
public final class Clients {
  private final AtomicLong nextId = new AtomicLong();
  private final ConcurrentSkipListMap<Long, Session> byId = new ConcurrentSkipListMap<>();

  public long nextId() {
    return nextId.incrementAndGet();
  }

  public void add(Session session) {
    byId.put(session.id(), session);
  }

  public void remove(Session session) {
    byId.remove(session.id());
  }

  public Session get(long id) {
    return byId.get(id);
  }

  public int count() {
    return byId.size();
  }

  public Collection<Session> all() {
    return Collections.unmodifiableCollection(byId.values());
  }
}
