package dev.sluice.proxy.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.keyspace.RedisValue;
import dev.sluice.proxy.types.RedisHash;
import dev.sluice.proxy.types.RedisList;
import dev.sluice.proxy.types.RedisSet;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamAddId;
import dev.sluice.proxy.types.stream.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Payloads damaged at random (seeded), their checksum then made right again so that the object
 * itself is read: every one either reads as some value or is refused with {@link
 * RdbFormatException}, which RESTORE turns into "ERR Bad data format" — never another exception,
 * never a huge allocation for a length read from the payload.
 */
class DumpPayloadCorruptionTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static List<Object> values() {
    List<Object> values = new ArrayList<>();
    values.add(b("hello"));
    values.add(b("12345"));
    values.add(b("abc".repeat(40)));
    RedisList list = new RedisList();
    RedisList bigList = new RedisList();
    RedisSet ints = new RedisSet();
    RedisSet members = new RedisSet();
    RedisSet bigSet = new RedisSet();
    RedisHash hash = new RedisHash();
    RedisHash bigHash = new RedisHash();
    RedisZSet zset = new RedisZSet();
    RedisZSet bigZset = RedisZSet.withHint(200, 8);
    for (int i = 0; i < 200; i++) {
      if (i < 10) {
        list.addLast(b(i % 2 == 0 ? "e" + i : String.valueOf(i * 100_003L)));
        ints.add(b(String.valueOf(i * 70_001L)));
        members.add(b("m" + i));
        hash.put(b("f" + i), b(String.valueOf(i)));
        zset.add(b("z" + i), i * 0.5);
      }
      bigList.addLast(b("element-" + i));
      bigSet.add(b("member-" + i));
      bigHash.put(b("field-" + i), b("value-" + i));
      bigZset.add(b("member-" + i), i * 1.25);
    }
    RedisStream stream = new RedisStream();
    for (int i = 1; i <= 150; i++) {
      byte[][] fv = {b(i % 7 == 0 ? "other" : "f"), b("v" + i)};
      stream.add(new StreamAddId(false, i / 3, i % 3, true), fv, 0);
    }
    ConsumerGroup group = stream.createGroup(b("grp"), StreamId.MIN, 0);
    group.readNew(group.createConsumer(b("alice"), 5), 3, false, 7);
    group.readNew(group.createConsumer(b("bob"), 6), 2, false, 8);
    values.addAll(
        List.of(list, bigList, ints, members, bigSet, hash, bigHash, zset, bigZset, stream));
    return values;
  }

  private static byte[] withChecksum(byte[] payload) {
    long crc = Crc64.update(0, payload, 0, payload.length - 8);
    for (int i = 0; i < 8; i++) {
      payload[payload.length - 8 + i] = (byte) (crc >>> (8 * i));
    }
    return payload;
  }

  @Test
  void value_randomlyDamagedPayloads_readOrFormatErrorOnly() {
    Random random = new Random(20261207);
    int refused = 0;
    int read = 0;
    for (Object value : values()) {
      byte[] good = DumpPayload.create(value);
      for (int round = 0; round < 2000; round++) {
        byte[] bad = damage(good, random);
        assertTrue(DumpPayload.verified(bad));
        try {
          DumpPayload.value(bad);
          read++;
        } catch (RdbFormatException e) {
          refused++;
        }
      }
    }
    assertTrue(refused > 1000, "refused " + refused);
    assertTrue(read > 100, "read " + read);
  }

  /** A copy with random bytes changed, or cut short, or with bytes inserted, and a valid footer. */
  private static byte[] damage(byte[] good, Random random) {
    int body = good.length - 10;
    byte[] bad;
    switch (random.nextInt(3)) {
      case 0 -> {
        bad = good.clone();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
          bad[random.nextInt(body)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> {
        int keep = random.nextInt(body);
        bad = new byte[keep + 10];
        System.arraycopy(good, 0, bad, 0, keep);
        System.arraycopy(good, body, bad, keep, 10);
      }
      default -> {
        int at = random.nextInt(body);
        byte[] extra = new byte[1 + random.nextInt(8)];
        random.nextBytes(extra);
        bad = new byte[good.length + extra.length];
        System.arraycopy(good, 0, bad, 0, at);
        System.arraycopy(extra, 0, bad, at, extra.length);
        System.arraycopy(good, at, bad, at + extra.length, good.length - at);
      }
    }
    return withChecksum(bad);
  }

  private static String sortedBytes(byte[] payload) {
    byte[] body = Arrays.copyOf(payload, payload.length - 8);
    Arrays.sort(body);
    return HexFormat.of().formatHex(body);
  }

  @Test
  void value_hugeDeclaredLengths_refusedWithoutAllocating() {
    for (String object :
        new String[] {
          "01c0ffffffff", // LIST of 2^32 - 1 elements
          "0281ffffffffffffffff", // SET of 2^64 - 1 members
          "0380ffffffff", // ZSET of 2^32 - 1 members
          "0480ffffffff", // HASH of 2^32 - 1 pairs
          "00c30280ffffffff0102", // LZF string claiming 4 GB from 2 bytes
          "0e80ffffffff", // QUICKLIST of 2^32 - 1 nodes
          "100f0f0000000100f0ffffffff000000ff", // listpack string of 2^32 - 1 bytes in 15
        }) {
      byte[] obj = HexFormat.of().parseHex(object);
      byte[] payload = withChecksum(Arrays.copyOf(obj, obj.length + 10));
      payload[obj.length] = 10;
      withChecksum(payload);
      assertThrows(RdbFormatException.class, () -> DumpPayload.value(payload), object);
    }
  }

  @Test
  void verified_versionAboveRedis74_isRefused() {
    byte[] payload = DumpPayload.create(b("v"));
    assertTrue(DumpPayload.verified(payload));
    payload[payload.length - 10] = 13;
    assertFalse(DumpPayload.verified(withChecksum(payload)));
    payload[payload.length - 10] = 12;
    assertTrue(DumpPayload.verified(withChecksum(payload)));
  }

  @Test
  void value_eachType_roundTripsThroughItsPayload() {
    for (Object value : values()) {
      byte[] payload = DumpPayload.create(value);
      Object back = DumpPayload.value(payload);
      // a rebuilt hash table may order its members otherwise: the same bytes in another order
      boolean ordered =
          value instanceof byte[] || !((RedisValue) value).encoding().equals("hashtable");
      byte[] again = DumpPayload.create(back);
      if (ordered) {
        assertEquals(HexFormat.of().formatHex(payload), HexFormat.of().formatHex(again));
      } else {
        assertEquals(sortedBytes(payload), sortedBytes(again));
      }
    }
  }
}
