package dev.sluice.proxy.resp;

import java.nio.charset.StandardCharsets;

/**
 * Where a command writes its answer. Aggregates are announced with their length and followed by
 * exactly that many elements (twice that for maps). The writer maps RESP3-only types onto RESP2 for
 * clients that did not say {@code HELLO 3}, so commands describe their reply once.
 */
public interface Reply {
  /** 2 or 3: the protocol the client chose with HELLO. */
  int protocol();

  /** Switches the protocol for this and later replies (HELLO, RESET). */
  void useProtocol(int protocol);

  void simple(String text);

  /** An error reply; {@code message} starts with its prefix, e.g. "ERR syntax error". */
  void error(String message);

  void integer(long value);

  void bulk(byte[] value);

  default void bulk(String value) {
    bulk(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A stream entry ID {@code <millis>-<sequence>} as a bulk string (both not negative): XADD's
   * reply, written without building a string, since a pipeline of XADDs writes a million a second.
   */
  default void streamId(long millis, long sequence) {
    bulk(millis + "-" + sequence);
  }

  /** A missing value: {@code $-1} in RESP2, {@code _} in RESP3. */
  void nil();

  /** A missing aggregate: {@code *-1} in RESP2, {@code _} in RESP3. */
  void nilArray();

  void array(int length);

  /** A map of {@code pairs} key/value pairs; a flat array of twice the length in RESP2. */
  void map(int pairs);

  /** An out-of-band push (pub/sub messages); an array in RESP2. */
  void push(int length);

  /** A set; an array in RESP2. */
  void set(int length);

  /** A double; a bulk string in RESP2. */
  void doubleValue(double value);

  /**
   * A double written with the digits the command formatted ({@code text}, e.g. geo's 17 decimals of
   * addReplyHumanLongDouble); a bulk string of them in RESP2.
   */
  void doubleValue(double value, String text);

  /** A boolean; the integer 1 or 0 in RESP2. */
  void bool(boolean value);

  /** Text meant for humans (INFO); a verbatim string "txt:" in RESP3, a bulk string in RESP2. */
  void verbatim(String text);
}
