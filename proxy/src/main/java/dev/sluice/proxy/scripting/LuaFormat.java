package dev.sluice.proxy.scripting;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua 5.1's {@code string.format} and its text of numbers, which are C's printf: {@code %.14g} for
 * {@code tostring}, the exact binary value rounded half-even for {@code %e %f %g} (Java's Formatter
 * rounds the shortest decimal instead, and LuaJ ignores most widths and precisions).
 */
final class LuaFormat {
  private LuaFormat() {}

  /** A number as Lua 5.1's tostring, concatenation and the cjson library write it. */
  static String number(double d) {
    return g(d, 14, false);
  }

  /**
   * Where C's strtod would stop reading a number at {@code start} of {@code s}: an optional sign,
   * then inf, infinity or nan (any case), a hexadecimal number (0x, digits, a binary exponent) or a
   * decimal one; {@code start} when there is none.
   */
  static int strtodEnd(String s, int start) {
    int i = start;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    if (s.regionMatches(true, i, "infinity", 0, 8)) {
      return i + 8;
    }
    if (s.regionMatches(true, i, "inf", 0, 3) || s.regionMatches(true, i, "nan", 0, 3)) {
      return i + 3;
    }
    boolean hex =
        s.regionMatches(true, i, "0x", 0, 2)
            && i + 2 < s.length()
            && (hexDigit(s.charAt(i + 2))
                || (s.charAt(i + 2) == '.' && i + 3 < s.length() && hexDigit(s.charAt(i + 3))));
    if (hex) {
      i += 2;
    }
    int digits = 0;
    while (i < s.length() && (hex ? hexDigit(s.charAt(i)) : Character.isDigit(s.charAt(i)))) {
      i++;
      digits++;
    }
    if (i < s.length() && s.charAt(i) == '.') {
      int dot = i++;
      while (i < s.length() && (hex ? hexDigit(s.charAt(i)) : Character.isDigit(s.charAt(i)))) {
        i++;
        digits++;
      }
      if (digits == 0) {
        i = dot;
      }
    }
    if (digits == 0) {
      return start;
    }
    char e = hex ? 'p' : 'e';
    if (i < s.length() && Character.toLowerCase(s.charAt(i)) == e) {
      int j = i + 1;
      if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
        j++;
      }
      if (j < s.length() && Character.isDigit(s.charAt(j))) {
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        i = j;
      }
    }
    return i;
  }

  /** The value of a number {@link #strtodEnd} delimited. */
  static double strtod(String number) {
    String n = number.toLowerCase(java.util.Locale.ROOT);
    boolean negative = n.startsWith("-");
    String body = n.startsWith("-") || n.startsWith("+") ? n.substring(1) : n;
    double v;
    if (body.startsWith("inf")) {
      v = Double.POSITIVE_INFINITY;
    } else if (body.startsWith("nan")) {
      // glibc's nan is positive, -nan has the sign bit set; the payload tells it from 0/0's
      long nan = DEFAULT_NAN | 1;
      return Double.longBitsToDouble(negative ? nan | Long.MIN_VALUE : nan);
    } else if (body.startsWith("0x")) {
      v = Double.parseDouble(body.indexOf('p') < 0 ? body + "p0" : body);
    } else {
      v = Double.parseDouble(body);
    }
    return negative ? -v : v;
  }

  private static boolean hexDigit(char c) {
    return Character.digit(c, 16) >= 0;
  }

  /** string.format(fmt, ...): Lua 5.1's str_format. */
  static LuaString format(Varargs args) {
    byte[] fmt = LuaValues.bytes(args.checkstring(1));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int arg = 1;
    for (int i = 0; i < fmt.length; i++) {
      int c = fmt[i] & 0xff;
      if (c != '%') {
        out.write(c);
        continue;
      }
      if (++i < fmt.length && fmt[i] == '%') {
        out.write('%');
        continue;
      }
      Spec spec = new Spec();
      i = spec.parse(fmt, i);
      arg++;
      String text =
          switch (spec.conversion) {
            case 'c' -> {
              spec.precision = -1;
              yield spec.pad(String.valueOf((char) ((int) (long) number(args, arg) & 0xff)), "");
            }
            case 'd', 'i' -> spec.integer(truncate(number(args, arg)), false, 10);
            case 'u' -> spec.integer(truncate(number(args, arg)), true, 10);
            case 'o' -> spec.integer(truncate(number(args, arg)), true, 8);
            case 'x', 'X' -> spec.integer(truncate(number(args, arg)), true, 16);
            case 'e', 'E', 'f', 'g', 'G' -> spec.floating(number(args, arg));
            case 'q' -> quoted(string(args, arg));
            case 's' -> {
              String s = string(args, arg);
              // Lua adds a long string whole when no precision is given
              yield spec.precision < 0 && s.length() >= 100 ? s : spec.string(s);
            }
            default ->
                throw new LuaError("invalid option '%" + (char) spec.conversion + "' to 'format'");
          };
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      out.write(bytes, 0, bytes.length);
    }
    return LuaString.valueOf(out.toByteArray());
  }

  /** A C cast of a double to a 64-bit integer, as x86-64 does it. */
  private static long truncate(double d) {
    if (d >= 0x1p63) {
      return d < 0x1p64 ? (long) (d - 0x1p64) : Long.MIN_VALUE;
    }
    return (long) d;
  }

  private static double number(Varargs args, int i) {
    LuaValue v = args.arg(i);
    LuaValue n = v.tonumber();
    if (n.isnil()) {
      throw LuaLibraries.badArgument(i, "format", "number", args);
    }
    return n.todouble();
  }

  private static String string(Varargs args, int i) {
    LuaValue v = args.arg(i);
    if (v.type() == LuaValue.TNUMBER) {
      return number(v.todouble());
    }
    if (v.type() != LuaValue.TSTRING) {
      throw LuaLibraries.badArgument(i, "format", "string", args);
    }
    return new String(LuaValues.bytes(v.checkstring()), StandardCharsets.ISO_8859_1);
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"', '\\', '\n' -> b.append('\\').append(c);
        case '\r' -> b.append("\\r");
        case '\0' -> b.append("\\000");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** C's %.{precision}g of {@code d}, without the sign handling of a full conversion. */
  static String g(double d, int precision, boolean alternate) {
    String special = special(d);
    if (special != null) {
      return special;
    }
    String sign = negative(d) ? "-" : "";
    return sign + gMagnitude(Math.abs(d), precision, alternate, false);
  }

  /** The quiet NaN without payload that arithmetic gives (0/0), either sign. */
  private static final long DEFAULT_NAN = 0x7ff8000000000000L;

  /**
   * The sign glibc prints for {@code d}. x86's arithmetic NaN (0/0 in Redis's Lua) has its sign bit
   * set and prints "-nan"; LuaJ's 0/0 is Java's NaN, whose bit is clear, so a NaN without payload
   * counts as arithmetic's, and only a NaN read by {@link #strtod} (which carries a payload) keeps
   * its own sign.
   */
  private static boolean negative(double d) {
    long bits = Double.doubleToRawLongBits(d);
    return Double.isNaN(d) && (bits & Long.MAX_VALUE) == DEFAULT_NAN || bits < 0;
  }

  /** inf and nan as glibc writes them, or null. */
  private static String special(double d) {
    String text;
    if (Double.isNaN(d)) {
      text = negative(d) ? "-nan" : "nan";
    } else if (Double.isInfinite(d)) {
      text = d < 0 ? "-inf" : "inf";
    } else {
      return null;
    }
    return text;
  }

  private static String gMagnitude(double m, int precision, boolean alternate, boolean upper) {
    int p = precision == 0 ? 1 : precision;
    int exponent =
        m == 0
            ? 0
            : exponentOf(new BigDecimal(m).round(new MathContext(p, RoundingMode.HALF_EVEN)));
    String text;
    if (p > exponent && exponent >= -4) {
      text = fixed(m, p - 1 - exponent, alternate);
    } else {
      text = scientific(m, p - 1, alternate, upper);
    }
    if (alternate) {
      return text;
    }
    int e = text.indexOf(upper ? 'E' : 'e');
    String mantissa = e < 0 ? text : text.substring(0, e);
    String rest = e < 0 ? "" : text.substring(e);
    if (mantissa.indexOf('.') >= 0) {
      mantissa = mantissa.replaceAll("0+$", "");
      if (mantissa.endsWith(".")) {
        mantissa = mantissa.substring(0, mantissa.length() - 1);
      }
    }
    return mantissa + rest;
  }

  private static int exponentOf(BigDecimal v) {
    return v.precision() - v.scale() - 1;
  }

  private static String fixed(double m, int precision, boolean alternate) {
    String text = new BigDecimal(m).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    return alternate && precision == 0 ? text + "." : text;
  }

  private static String scientific(double m, int precision, boolean alternate, boolean upper) {
    BigDecimal rounded;
    int exponent;
    if (m == 0) {
      rounded = BigDecimal.ZERO;
      exponent = 0;
    } else {
      rounded = new BigDecimal(m).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
      exponent = exponentOf(rounded);
    }
    String digits = rounded.unscaledValue().abs().toString();
    StringBuilder b = new StringBuilder(digits.substring(0, 1));
    if (precision > 0 || alternate) {
      b.append('.');
    }
    for (int i = 1; i <= precision; i++) {
      b.append(i < digits.length() ? digits.charAt(i) : '0');
    }
    b.append(upper ? 'E' : 'e').append(exponent < 0 ? '-' : '+');
    int abs = Math.abs(exponent);
    if (abs < 10) {
      b.append('0');
    }
    return b.append(abs).toString();
  }

  /** One conversion: %[flags][width][.precision]conversion, with Lua 5.1's limits. */
  private static final class Spec {
    boolean left;
    boolean plus;
    boolean space;
    boolean alternate;
    boolean zero;
    int width;
    int precision = -1;
    int conversion;

    int parse(byte[] f, int i) {
      int start = i;
      while (i < f.length && "-+ #0".indexOf(f[i]) >= 0) {
        switch (f[i]) {
          case '-' -> left = true;
          case '+' -> plus = true;
          case ' ' -> space = true;
          case '#' -> alternate = true;
          default -> zero = true;
        }
        i++;
      }
      if (i - start > 5) {
        throw new LuaError("invalid format (repeated flags)");
      }
      while (i < f.length && Character.isDigit(f[i])) {
        width = width * 10 + (f[i++] - '0');
      }
      if (i < f.length && f[i] == '.') {
        i++;
        precision = 0;
        while (i < f.length && Character.isDigit(f[i])) {
          precision = precision * 10 + (f[i++] - '0');
        }
      }
      if (width > 99 || precision > 99) {
        throw new LuaError("invalid format (width or precision too long)");
      }
      conversion = i < f.length ? f[i] & 0xff : 0;
      return i;
    }

    String string(String s) {
      return pad(precision >= 0 && precision < s.length() ? s.substring(0, precision) : s, "");
    }

    String integer(long v, boolean unsigned, int radix) {
      boolean negative = !unsigned && v < 0;
      String digits =
          switch (radix) {
            case 8 -> Long.toOctalString(v);
            case 16 -> Long.toHexString(v);
            default -> unsigned ? Long.toUnsignedString(v) : Long.toString(Math.abs(v));
          };
      if (negative && v == Long.MIN_VALUE) {
        digits = digits.substring(1);
      }
      if (conversion == 'X') {
        digits = digits.toUpperCase(java.util.Locale.ROOT);
      }
      if (precision >= 0) {
        if (precision == 0 && v == 0) {
          digits = "";
        }
        digits = "0".repeat(Math.max(0, precision - digits.length())) + digits;
      }
      String prefix = "";
      if (alternate && radix == 16 && v != 0) {
        prefix = conversion == 'X' ? "0X" : "0x";
      } else if (alternate && radix == 8 && !digits.startsWith("0")) {
        digits = "0" + digits;
      }
      return pad(digits, sign(negative) + prefix);
    }

    String floating(double d) {
      boolean upper = conversion == 'E' || conversion == 'G';
      boolean negative = negative(d);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        zero = false;
        String word = Double.isNaN(d) ? "nan" : "inf";
        return pad(upper ? word.toUpperCase(java.util.Locale.ROOT) : word, sign(negative));
      }
      double m = Math.abs(d);
      int p = precision < 0 ? 6 : precision;
      String body =
          switch (conversion) {
            case 'f' -> fixed(m, p, alternate);
            case 'e', 'E' -> scientific(m, p, alternate, upper);
            default -> gMagnitude(m, p, alternate, upper);
          };
      return pad(body, sign(negative));
    }

    private String sign(boolean negative) {
      return negative ? "-" : plus ? "+" : space ? " " : "";
    }

    /** Pads to the width: spaces left or right, or zeros after the sign. */
    String pad(String body, String prefix) {
      int fill = width - body.length() - prefix.length();
      if (fill <= 0) {
        return prefix + body;
      }
      if (left) {
        return prefix + body + " ".repeat(fill);
      }
      boolean zeros = zero && (precision < 0 || "eEfgG".indexOf(conversion) >= 0);
      if (zeros && "sc".indexOf(conversion) < 0) {
        return prefix + "0".repeat(fill) + body;
      }
      return " ".repeat(fill) + prefix + body;
    }
  }
}
