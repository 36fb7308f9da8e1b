package dev.sluice.proxy.engine;

/**
 * One key spec of a command, in Redis 7's form (COMMAND INFO's key specifications): where the
 * search for keys begins (an argument index, or just after a keyword), how keys are found from
 * there (a range, or a count given by an argument), and what the command does with them ({@link
 * KeyFlag}s). {@link CommandSpec#keys} runs them as Redis's getKeysUsingKeySpecs does.
 *
 * @param notes Redis's note on the spec, or null
 * @param flags the spec's {@link KeyFlag} bits
 */
public record KeySpec(String notes, int flags, BeginSearch begin, FindKeys find) {

  /** Where the search starts. */
  public sealed interface BeginSearch permits Index, Keyword, UnknownBegin {}

  /** At argument {@code index} (the command's name is 0, a subcommand's name 1). */
  public record Index(int index) implements BeginSearch {}

  /**
   * Just after the first argument equal to {@code keyword} (in any case), looking from {@code
   * startFrom} forwards, or when it is negative from that far from the end backwards.
   */
  public record Keyword(String keyword, int startFrom) implements BeginSearch {}

  /** Cannot be told from the arguments: the command's key procedure finds them. */
  public record UnknownBegin() implements BeginSearch {}

  /** How keys are found from where the search began. */
  public sealed interface FindKeys permits Range, KeyNum, UnknownFind {}

  /**
   * Keys up to {@code lastKey} arguments after the first (negative: counted from the end), every
   * {@code keyStep} arguments; with a {@code limit} (and lastKey -1), 1/limit of what remains.
   */
  public record Range(int lastKey, int keyStep, int limit) implements FindKeys {}

  /**
   * The argument {@code keyNumIdx} after the begin gives the number of keys, which start {@code
   * firstKey} after the begin, every {@code keyStep} arguments.
   */
  public record KeyNum(int keyNumIdx, int firstKey, int keyStep) implements FindKeys {}

  /** Cannot be told from the arguments. */
  public record UnknownFind() implements FindKeys {}

  /** The one key at {@code index}: index, then range 0 (the common case). */
  public static KeySpec key(int index, String flags) {
    return range(index, 0, 1, flags);
  }

  /** Keys from {@code index} to {@code lastKey} (relative to index; negative from the end). */
  public static KeySpec range(int index, int lastKey, int keyStep, String flags) {
    return new KeySpec(
        null, KeyFlag.parse(flags), new Index(index), new Range(lastKey, keyStep, 0));
  }

  /** Keys counted by the argument at {@code index + keyNumIdx} (ZUNION, EVAL, LMPOP …). */
  public static KeySpec keyNum(int index, int keyNumIdx, int firstKey, int keyStep, String flags) {
    return new KeySpec(
        null, KeyFlag.parse(flags), new Index(index), new KeyNum(keyNumIdx, firstKey, keyStep));
  }

  /** Keys in a range that begins after {@code keyword} (XREAD … STREAMS, MIGRATE … KEYS). */
  public static KeySpec keyword(
      String keyword, int startFrom, int lastKey, int keyStep, int limit, String flags) {
    return new KeySpec(
        null,
        KeyFlag.parse(flags),
        new Keyword(keyword, startFrom),
        new Range(lastKey, keyStep, limit));
  }

  /** Keys the arguments alone cannot locate (SORT's BY and GET patterns). */
  public static KeySpec unknown(String flags) {
    return new KeySpec(null, KeyFlag.parse(flags), new UnknownBegin(), new UnknownFind());
  }

  /** This spec with Redis's note on it. */
  public KeySpec notes(String text) {
    return new KeySpec(text, flags, begin, find);
  }

  /** An index-and-range spec: what COMMAND's legacy first/last/step can describe. */
  boolean isIndexRange() {
    return begin instanceof Index && find instanceof Range;
  }

  boolean has(KeyFlag flag) {
    return flag.in(flags);
  }
}
