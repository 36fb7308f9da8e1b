package dev.sluice.proxy.rdb;

/**
 * LZF as Redis uses it for RDB strings (lzf_c.c and lzf_d.c with Redis's settings: HLOG 16,
 * VERY_FAST), ported so that compressing gives the same bytes as redis-server: DUMP payloads then
 * match Redis's byte for byte. Redis's hash table starts uninitialised (INIT_HTAB 0); this one
 * starts empty, which is what a fresh table gives and what the format does not depend on.
 */
public final class Lzf {
  private static final int HLOG = 16;
  private static final int HSIZE = 1 << HLOG;
  private static final int MAX_LIT = 1 << 5;
  private static final int MAX_OFF = 1 << 13;
  private static final int MAX_REF = (1 << 8) + (1 << 3);

  private Lzf() {}

  private static int idx(int h) {
    return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
  }

  /**
   * Compresses {@code in} into at most {@code outLen} bytes; null when it does not fit (Redis then
   * stores the string as it is).
   */
  public static byte[] compress(byte[] in, int outLen) {
    int inLen = in.length;
    if (inLen == 0 || outLen <= 0) {
      return null;
    }
    byte[] out = new byte[outLen + 1];
    int[] htab = new int[HSIZE];
    java.util.Arrays.fill(htab, -1);
    int ip = 0;
    int op = 0;
    int inEnd = inLen;
    int outEnd = outLen;
    int lit = 0;
    op++;
    int hval = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
    while (ip < inEnd - 2) {
      hval = (hval << 8) | (in[ip + 2] & 0xff);
      int slot = idx(hval);
      int ref = htab[slot];
      htab[slot] = ip;
      int off;
      if (ref >= 0
          && (off = ip - ref - 1) < MAX_OFF
          && ref > 0
          && in[ref + 2] == in[ip + 2]
          && in[ref + 1] == in[ip + 1]
          && in[ref] == in[ip]) {
        int len = 2;
        int maxlen = inEnd - ip - len;
        maxlen = Math.min(maxlen, MAX_REF);
        if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) {
          return null;
        }
        out[op - lit - 1] = (byte) (lit - 1);
        op -= lit == 0 ? 1 : 0;
        // lzf_c.c first compares 16 bytes unrolled, without the maxlen bound, then one by one
        boolean mismatch = false;
        if (maxlen > 16) {
          for (int k = 0; k < 16 && !mismatch; k++) {
            len++;
            mismatch = in[ref + len] != in[ip + len];
          }
        }
        if (!mismatch) {
          do {
            len++;
          } while (len < maxlen && in[ref + len] == in[ip + len]);
        }
        len -= 2;
        ip++;
        if (len < 7) {
          out[op++] = (byte) ((off >>> 8) + (len << 5));
        } else {
          out[op++] = (byte) ((off >>> 8) + (7 << 5));
          out[op++] = (byte) (len - 7);
        }
        out[op++] = (byte) off;
        lit = 0;
        op++;
        ip += len + 1;
        if (ip >= inEnd - 2) {
          break;
        }
        ip -= 2;
        hval = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
        hval = (hval << 8) | (in[ip + 2] & 0xff);
        htab[idx(hval)] = ip;
        ip++;
        hval = (hval << 8) | (in[ip + 2] & 0xff);
        htab[idx(hval)] = ip;
        ip++;
      } else {
        if (op >= outEnd) {
          return null;
        }
        lit++;
        out[op++] = in[ip++];
        if (lit == MAX_LIT) {
          out[op - lit - 1] = (byte) (lit - 1);
          lit = 0;
          op++;
        }
      }
    }
    if (op + 3 > outEnd) {
      return null;
    }
    while (ip < inEnd) {
      lit++;
      out[op++] = in[ip++];
      if (lit == MAX_LIT) {
        out[op - lit - 1] = (byte) (lit - 1);
        lit = 0;
        op++;
      }
    }
    out[op - lit - 1] = (byte) (lit - 1);
    op -= lit == 0 ? 1 : 0;
    return java.util.Arrays.copyOf(out, op);
  }

  /**
   * Decompresses {@code in[from, to)} into exactly {@code outLen} bytes.
   *
   * @throws RdbFormatException when the data is not LZF or does not give {@code outLen} bytes
   */
  public static byte[] decompress(byte[] in, int from, int to, int outLen) {
    byte[] out = new byte[outLen];
    int ip = from;
    int op = 0;
    while (ip < to) {
      int ctrl = in[ip++] & 0xff;
      if (ctrl < (1 << 5)) {
        ctrl++;
        if (op + ctrl > outLen || ip + ctrl > to) {
          throw new RdbFormatException("LZF literal run past the end");
        }
        System.arraycopy(in, ip, out, op, ctrl);
        op += ctrl;
        ip += ctrl;
      } else {
        int len = ctrl >>> 5;
        int ref = op - ((ctrl & 0x1f) << 8) - 1;
        if (len == 7) {
          if (ip >= to) {
            throw new RdbFormatException("LZF back reference past the end");
          }
          len += in[ip++] & 0xff;
        }
        if (ip >= to) {
          throw new RdbFormatException("LZF back reference past the end");
        }
        ref -= in[ip++] & 0xff;
        len += 2;
        if (op + len > outLen || ref < 0) {
          throw new RdbFormatException("LZF back reference out of range");
        }
        for (int i = 0; i < len; i++) {
          out[op++] = out[ref++];
        }
      }
    }
    if (op != outLen) {
      throw new RdbFormatException("LZF data gives " + op + " bytes, expected " + outLen);
    }
    return out;
  }
}
