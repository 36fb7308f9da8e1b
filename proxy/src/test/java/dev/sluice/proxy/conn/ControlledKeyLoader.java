package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.KeyLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A test double of the PostgreSQL loader, for the state machine's unit tests only: keys starting
 * with {@code pg:} are mapped, their rows are {@link #rows}, and a load completes when the test
 * says — at once on the caller's thread, or later, on the test's thread or another one. A key
 * loaded once is not asked for again (as the negative cache does for rows that do not exist).
 */
final class ControlledKeyLoader implements KeyLoader {
  final Map<String, String> rows = new ConcurrentHashMap<>();
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final List<Runnable> waiting = new ArrayList<>();
  volatile boolean atOnce;

  @Override
  public boolean needsLoad(int db, byte[] key) {
    String name = new String(key, StandardCharsets.UTF_8);
    return name.startsWith("pg:") && !known.contains(name);
  }

  @Override
  public void load(int db, List<byte[]> keys, Consumer<Result> done) {
    List<Loaded> values = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (byte[] key : keys) {
      String name = new String(key, StandardCharsets.UTF_8);
      names.add(name);
      String row = rows.get(name);
      values.add(new Loaded(key, row == null ? null : row.getBytes(StandardCharsets.UTF_8), 0));
    }
    Runnable complete =
        () -> {
          known.addAll(names);
          done.accept(new Result(values, null));
        };
    if (atOnce) {
      complete.run();
    } else {
      synchronized (waiting) {
        waiting.add(complete);
      }
    }
  }

  /** How many loads wait for the test. */
  int waiting() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  /** Completes the waiting loads on this thread. */
  void completeHere() {
    List<Runnable> loads;
    synchronized (waiting) {
      loads = List.copyOf(waiting);
      waiting.clear();
    }
    loads.forEach(Runnable::run);
  }

  /** Completes the waiting loads on a thread of their own, and waits for it. */
  void completeOnAnotherThread() throws InterruptedException {
    Thread loader = new Thread(this::completeHere, "test-loader");
    loader.start();
    loader.join();
  }
}
