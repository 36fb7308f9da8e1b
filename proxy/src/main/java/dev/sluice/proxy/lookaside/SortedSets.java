package dev.sluice.proxy.lookaside;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Builds sorted-set values for {@code shape: zset} query mappings.
 *
 * <p>The sorted-set type ({@code dev.sluice.proxy.types.RedisZSet}) comes with the sorted-set
 * branch; until it is merged this class finds it at run time, so the read path compiles without it.
 * Once both are merged, replace the method handles with {@code new RedisZSet()} and {@code
 * add(member, score)}. Without the type, a zset mapping's load fails with an error saying so.
 */
final class SortedSets {
  private static final MethodHandle CREATE;
  private static final MethodHandle ADD;

  static {
    MethodHandle create = null;
    MethodHandle add = null;
    try {
      Class<?> type = Class.forName("dev.sluice.proxy.types.RedisZSet");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      create = lookup.findConstructor(type, MethodType.methodType(void.class));
      add =
          lookup.findVirtual(
              type,
              "add",
              MethodType.methodType(
                  type.getMethod("add", byte[].class, double.class).getReturnType(),
                  byte[].class,
                  double.class));
    } catch (ReflectiveOperationException | LinkageError e) {
      create = null;
      add = null;
    }
    CREATE = create;
    ADD = add;
  }

  private SortedSets() {}

  /** Whether this build has sorted sets. */
  static boolean available() {
    return CREATE != null;
  }

  static Object create(List<byte[]> members, double[] scores) {
    if (!available()) {
      throw new IllegalStateException("this build of Sluice has no sorted sets");
    }
    try {
      Object zset = CREATE.invoke();
      for (int i = 0; i < members.size(); i++) {
        ADD.invoke(zset, members.get(i), scores[i]);
      }
      return zset;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot build a sorted set: " + e, e);
    }
  }
}
