package dev.sluice.proxy.lookaside;

import dev.sluice.proxy.command.KeyLoader;
import dev.sluice.proxy.command.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Lets a slow SLUICE command (WARM, INSTALL-TRIGGERS) suspend only its own connection, through the
 * existing loader contract rather than a new connection state: the command parks its work under a
 * random token and asks for the token to be "loaded"; the load finishes when the work does, and the
 * command then runs again and collects the outcome. Tokens are unguessable and match no mapping, so
 * no client key can reach them.
 */
final class ParkedWork {
  private final Map<ByteBuffer, CompletableFuture<?>> byToken = new ConcurrentHashMap<>();
  private final Map<Session, CompletableFuture<?>> bySession = new ConcurrentHashMap<>();

  byte[] park(Session session, CompletableFuture<?> work) {
    byte[] token = ("\0sluice-parked:" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
    byToken.put(ByteBuffer.wrap(token), work);
    bySession.put(session, work);
    return token;
  }

  /** Whether a load asks for parked work rather than keys. */
  boolean owns(List<byte[]> keys) {
    return keys.size() == 1 && byToken.containsKey(ByteBuffer.wrap(keys.get(0)));
  }

  /** Answers the load of a token when its work is done. */
  void await(byte[] token, Consumer<KeyLoader.Result> done) {
    CompletableFuture<?> work = byToken.remove(ByteBuffer.wrap(token));
    work.whenComplete(
        (value, error) -> {
          if (error == null) {
            done.accept(new KeyLoader.Result(List.of(), null));
          } else {
            bySession.values().remove(work);
            done.accept(KeyLoader.Result.failed(message(error)));
          }
        });
  }

  Object collect(Session session) {
    CompletableFuture<?> work = bySession.remove(session);
    return work == null ? null : work.join();
  }

  static String message(Throwable error) {
    while (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    String message = error.getMessage();
    if (message == null) {
      return "ERR " + error;
    }
    return message.startsWith("ERR ") ? message : "ERR " + message;
  }
}
