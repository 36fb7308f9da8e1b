package dev.sluice.proxy.tracking;

import dev.sluice.proxy.resp.Reply;
import java.util.function.Consumer;

/** A client as client-side caching sees it: the engine's session implements it. */
public interface TrackingClient {
  long id();

  int protocol();

  TrackingState tracking();

  /**
   * Whether it has subscriptions (Redis's CLIENT_PUBSUB): a RESP2 client gets the invalidations it
   * is the redirect target of as messages of {@code __redis__:invalidate} only then.
   */
  boolean inPubSubMode();

  /** Sends an out-of-band message, from any thread, in the client's protocol. */
  void deliver(Consumer<Reply> message);
}
