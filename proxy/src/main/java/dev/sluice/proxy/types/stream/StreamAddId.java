package dev.sluice.proxy.types.stream;

/**
 * The ID argument of XADD: "*" (fully generated), "ms-*" (sequence generated, {@code seqGiven}
 * false) or an explicit "ms-seq" / "ms" (sequence 0).
 */
public record StreamAddId(boolean auto, long ms, long seq, boolean seqGiven) {
  public static final StreamAddId AUTO = new StreamAddId(true, 0, 0, false);

  /**
   * Parses as xaddCommand does: "*" (read as a C string) is the fast path, anything else goes
   * through the strict parser with "ms-*" allowed. Throws "ERR Invalid stream ID specified as
   * stream command argument".
   */
  public static StreamAddId parse(byte[] arg) {
    if (arg.length >= 1 && arg[0] == '*' && (arg.length == 1 || arg[1] == 0)) {
      return AUTO;
    }
    StreamId.AddForm form = StreamId.parseForm(arg, 0, true, true);
    return new StreamAddId(false, form.ms(), form.seq(), form.seqGiven());
  }

  /** Whether this is the explicit 0-0 that XADD refuses before even looking the key up. */
  public boolean isExplicitZero() {
    return !auto && seqGiven && ms == 0 && seq == 0;
  }

  @Override
  public String toString() {
    if (auto) {
      return "*";
    }
    return Long.toUnsignedString(ms) + "-" + (seqGiven ? Long.toUnsignedString(seq) : "*");
  }
}
