package dev.sluice.proxy.types.stream;

/**
 * A stream operation refused, carrying Redis's full error line without the leading '-' (e.g. "ERR
 * Invalid stream ID specified as stream command argument"), for the command layer to reply as is.
 * The texts are redis-server 7.4's t_stream.c, word for word.
 */
public final class StreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String INVALID_ID =
      "ERR Invalid stream ID specified as stream command argument";
  public static final String INVALID_START = "ERR invalid start ID for the interval";
  public static final String INVALID_END = "ERR invalid end ID for the interval";
  public static final String XADD_ID_TOO_SMALL =
      "ERR The ID specified in XADD is equal or smaller than the target stream top item";
  public static final String XADD_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0";
  public static final String EXHAUSTED =
      "ERR The stream has exhausted the last possible ID, unable to add more items";
  public static final String TOO_LARGE = "ERR Elements are too large to be stored";
  public static final String XSETID_BELOW_MAX_DELETED =
      "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id";
  public static final String XSETID_BELOW_GIVEN_MAX_DELETED =
      "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
  public static final String XSETID_BELOW_TOP =
      "ERR The ID specified in XSETID is smaller than the target stream top item";
  public static final String XSETID_ENTRIES_ADDED_BELOW_LENGTH =
      "ERR The entries_added specified in XSETID is smaller than the target stream length";
  public static final String BUSYGROUP = "BUSYGROUP Consumer Group name already exists";

  public StreamException(String redisError) {
    super(redisError, null, false, false);
  }

  /** The error as Redis sends it, without the leading '-'. */
  public String redisError() {
    return getMessage();
  }
}
