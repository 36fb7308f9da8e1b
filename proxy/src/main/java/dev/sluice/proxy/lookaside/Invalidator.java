package dev.sluice.proxy.lookaside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.util.Glob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns "this changed" into evictions: NOTIFY payloads from {@code sluice.notify_invalidate()}, the
 * loss of the LISTEN connection, and SLUICE INVALIDATE. Every eviction also forgets the key in the
 * negative cache and makes running loads read again ({@link PostgresKeyLoader#forget}).
 */
final class Invalidator {
  private static final Logger log = LoggerFactory.getLogger(Invalidator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PostgresKeyLoader loader;
  private final KeyEvictor evictor;
  private final MappingRouter router;
  private final String node;

  /**
   * @param node this Sluice's {@code writeback.node}: changes its own write-back made (payloads
   *     whose {@code origin} is this node) are already in its cache and evict nothing
   */
  Invalidator(PostgresKeyLoader loader, KeyEvictor evictor, String node) {
    this.loader = loader;
    this.evictor = evictor;
    this.router = loader.router();
    this.node = node;
  }

  /**
   * A payload {@code {"mapping": "users", "keys": [{"id": "1"}]}} evicts those keys; without {@code
   * keys} (statement triggers, TRUNCATE, oversized payloads) every key of the mapping goes.
   */
  void onNotify(String payload) throws IOException {
    JsonNode root = JSON.readTree(payload);
    int index = loader.indexOf(root.path("mapping").asText(""));
    if (index < 0) {
      log.debug("Invalidation for an unknown mapping: {}", payload);
      return;
    }
    MappingConfig mapping = router.mapping(index);
    if (mapping.write() == MappingConfig.Write.BACK
        && mapping.kind() == MappingConfig.Kind.ROW
        && node.equals(root.path("origin").asText(null))) {
      return; // this node's own write-back of this mapping: the cache holds what was written
    }
    JsonNode keys = root.get("keys");
    if (keys == null || !keys.isArray() || mapping.kind() != MappingConfig.Kind.ROW) {
      dropMapping(index);
      return;
    }
    for (JsonNode row : keys) {
      byte[] key = keyOf(mapping, row);
      if (key == null) {
        dropMapping(index); // cannot name the key: be safe
        return;
      }
      evictKey(key);
    }
  }

  private static byte[] keyOf(MappingConfig mapping, JsonNode row) {
    List<String> values = new ArrayList<>();
    for (String placeholder : mapping.keys().placeholders()) {
      JsonNode value = row.get(placeholder);
      if (value == null) {
        for (Map.Entry<String, JsonNode> field : row.properties()) {
          if (field.getKey().equalsIgnoreCase(placeholder)) {
            value = field.getValue();
          }
        }
      }
      if (value == null || value.isNull()) {
        return null;
      }
      values.add(value.asText());
    }
    try {
      return mapping.keys().expand(values).getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  void evictKey(byte[] key) {
    loader.forget(key);
    evictor.evict(key);
  }

  /** Evicts every cached key of mapping {@code index}; returns how many. */
  long dropMapping(int index) {
    loader.forgetMapping(index);
    return evictor.evictAll(key -> router.indexOf(key) == index);
  }

  /** After the LISTEN connection came back: drops every key of every notify mapping. */
  void dropNotifyMappings() {
    List<MappingConfig> mappings = router.mappings();
    for (int i = 0; i < mappings.size(); i++) {
      if (LookAside.notified(mappings.get(i)) && loader.plan(i) != null) {
        long dropped = dropMapping(i);
        log.info("Dropped {} cached keys of mapping {}", dropped, mappings.get(i).name());
      }
    }
  }

  /**
   * SLUICE INVALIDATE: a mapping's name drops its keys; anything else is a glob (as for KEYS) and
   * drops the cached keys of read-through mappings it matches. Returns how many keys went.
   */
  long invalidate(String target) {
    int index = loader.indexOf(target);
    if (index >= 0) {
      return dropMapping(index);
    }
    byte[] pattern = target.getBytes(StandardCharsets.UTF_8);
    loader.forgetMatching(key -> Glob.matches(pattern, key));
    return evictor.evictAll(
        key -> {
          int i = router.indexOf(key);
          return i >= 0 && loader.plan(i) != null && Glob.matches(pattern, key);
        });
  }
}
