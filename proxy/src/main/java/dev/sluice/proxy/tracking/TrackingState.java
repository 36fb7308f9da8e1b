package dev.sluice.proxy.tracking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * One client's CLIENT TRACKING mode (Redis's CLIENT_TRACKING_* flags, its redirection and its BCAST
 * prefixes). Read and changed under the keyspace lock only: by the client's own commands, and by
 * {@link TrackingTable} when a redirection turns out to be broken.
 */
public final class TrackingState {
  boolean on;
  boolean bcast;
  boolean optin;
  boolean optout;
  boolean noloop;

  /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) was given for the next command or transaction. */
  boolean caching;

  boolean brokenRedirect;
  long redirect;

  /** The client's bit in the tracking table's records while it is connected, or -1 (ids). */
  int slot = -1;

  /** BCAST prefixes, in Redis's (rax) order: bytes compared unsigned. */
  final TreeSet<byte[]> prefixes = new TreeSet<>(Arrays::compareUnsigned);

  /**
   * Invalidations of keys this client changed itself while its command ran, sent after the
   * command's reply as Redis sends them (null: a flush).
   */
  final List<byte[]> afterReply = new ArrayList<>(0);

  public boolean on() {
    return on;
  }

  public boolean bcast() {
    return bcast;
  }

  public boolean optin() {
    return optin;
  }

  public boolean optout() {
    return optout;
  }

  public boolean noloop() {
    return noloop;
  }

  public boolean caching() {
    return caching;
  }

  public boolean brokenRedirect() {
    return brokenRedirect;
  }

  /** The client the invalidations go to: 0 for itself. */
  public long redirect() {
    return redirect;
  }

  public List<byte[]> prefixes() {
    return Collections.unmodifiableList(new ArrayList<>(prefixes));
  }

  /**
   * CLIENT CACHING YES|NO: whether the answer is accepted for this mode (YES needs OPTIN, NO needs
   * OPTOUT); if so it holds for the next command, or the next transaction.
   */
  public boolean cachingRequested(boolean yes) {
    if (yes ? !optin : !optout) {
      return false;
    }
    caching = true;
    return true;
  }

  /** After a command that was neither a CLIENT subcommand nor queued in MULTI, as Redis does. */
  public void commandDone() {
    caching = false;
  }

  /** Whether the keys the current read command fetches are to be remembered for this client. */
  public boolean remembersReads() {
    return on && !bcast && (optin ? caching : !(optout && caching));
  }
}
