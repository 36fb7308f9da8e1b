package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.PendingEntry;
import dev.sluice.proxy.types.stream.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What replicas run for the commands that change a consumer group's PEL (t_stream.c's
 * streamPropagateXCLAIM, streamPropagateGroupID and streamPropagateConsumerCreation): XREADGROUP,
 * XCLAIM and XAUTOCLAIM are never sent as such, since what they deliver depends on times and on the
 * PEL; each entry they gave a consumer goes as an idempotent XCLAIM … FORCE JUSTID, a NOACK read as
 * XGROUP SETID, a consumer a NOACK read made as XGROUP CREATECONSUMER.
 */
final class StreamEffects {
  private final byte[] group;
  private final List<byte[][]> commands = new ArrayList<>();

  /** {@code group} (and each key below) as the client named it. */
  StreamEffects(byte[] group) {
    this.group = group;
  }

  /**
   * XCLAIM key group consumer 0 id TIME delivery-time RETRYCOUNT delivery-count FORCE JUSTID LASTID
   * group-last-id: the entry {@code id} as {@code nack} now has it.
   */
  void claimed(
      byte[] key,
      byte[] id,
      byte[] consumer,
      long deliveryTime,
      long deliveryCount,
      StreamId last) {
    commands.add(
        new byte[][] {
          ascii("XCLAIM"),
          key,
          group,
          consumer,
          ascii("0"),
          id,
          ascii("TIME"),
          ascii(Long.toString(deliveryTime)),
          ascii("RETRYCOUNT"),
          ascii(Long.toString(deliveryCount)),
          ascii("FORCE"),
          ascii("JUSTID"),
          ascii("LASTID"),
          last.toBytes()
        });
  }

  /** {@link #claimed} with what {@code nack} holds now. */
  void claimed(byte[] key, byte[] id, PendingEntry nack, ConsumerGroup g) {
    claimed(
        key,
        id,
        nack.consumer().name(),
        nack.deliveryTime(),
        nack.deliveryCount(),
        g.lastDeliveredId());
  }

  /** XGROUP SETID key group last-id ENTRIESREAD entries-read. */
  void groupId(byte[] key, ConsumerGroup g) {
    commands.add(
        new byte[][] {
          ascii("XGROUP"),
          ascii("SETID"),
          key,
          group,
          g.lastDeliveredId().toBytes(),
          ascii("ENTRIESREAD"),
          ascii(Long.toString(g.entriesRead()))
        });
  }

  /** XGROUP CREATECONSUMER key group consumer. */
  void consumerCreated(byte[] key, byte[] consumer) {
    commands.add(new byte[][] {ascii("XGROUP"), ascii("CREATECONSUMER"), key, group, consumer});
  }

  boolean isEmpty() {
    return commands.isEmpty();
  }

  /** What replicas run instead of the command: these, possibly none. */
  byte[][][] commands() {
    return commands.toArray(new byte[0][][]);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
