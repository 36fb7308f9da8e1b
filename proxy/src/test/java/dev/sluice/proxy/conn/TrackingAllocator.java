package dev.sluice.proxy.conn;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands out unpooled buffers and remembers each, so that a test can see every one was released (the
 * script thread allocates too, hence a thread-safe list).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> handedOut = new CopyOnWriteArrayList<>();

  TrackingAllocator() {
    super(false);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return track(Unpooled.buffer(initialCapacity, maxCapacity));
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return track(Unpooled.directBuffer(initialCapacity, maxCapacity));
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private ByteBuf track(ByteBuf buffer) {
    handedOut.add(buffer);
    return buffer;
  }

  /** How many buffers handed out are still referenced. */
  long unreleased() {
    return handedOut.stream().filter(buffer -> buffer.refCnt() > 0).count();
  }
}
