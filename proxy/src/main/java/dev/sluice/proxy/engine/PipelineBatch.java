package dev.sluice.proxy.engine;

import dev.sluice.proxy.resp.Reply;
import java.util.concurrent.CompletableFuture;

/**
 * Commands of one pipeline collected for one journal group, their replies held back (XADD to an
 * append mapping: {@code durable.XaddBurst}). The connection's context flushes the batch before
 * anything else replies, so replies stay in request order.
 */
public interface PipelineBatch {
  boolean isEmpty();

  /**
   * Journals what was collected and writes every held reply to {@code reply}, in order.
   *
   * @return the future the replies must wait for, or null when nothing was journaled
   */
  CompletableFuture<?> flush(Reply reply);
}
