package dev.sluice.proxy.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the SLUICE command family and INFO's {@code # Sluice} section ask of the look-aside loader
 * (implemented by {@code dev.sluice.proxy.lookaside.PostgresKeyLoader}). Methods marked "under the
 * lock" are called by command handlers holding the keyspace lock and must be quick; the others
 * start work elsewhere and return at once.
 */
public interface MappingAdmin {
  /** Under the lock: per mapping (file order), its figures by name (numbers or text). */
  Map<String, Map<String, Object>> status();

  /**
   * Under the lock: evicts every cached key of the mapping called {@code target} or, if no mapping
   * has that name, every mapped key matching the glob {@code target}; forgets them in the negative
   * cache too.
   *
   * @return how many keys were evicted
   * @throws RedisError when {@code target} is neither a mapping nor matches a mapped key's pattern
   */
  long invalidate(String target);

  /** Streams the rows of a row mapping into memory; completes with how many keys were stored. */
  CompletableFuture<Long> warm(String mapping, long limit);

  /** Installs the invalidation triggers of a mapping; completes with a description. */
  CompletableFuture<String> installTriggers(String mapping);

  /** The figures of {@link #status()} as INFO lines ({@code name:value}). */
  List<String> infoLines();
}
