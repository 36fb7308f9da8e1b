package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command table against Redis: every command of the families below answers COMMAND INFO with
 * Redis's arity, flags, key positions and ACL categories, COMMAND DOCS puts it in Redis's group,
 * and COMMAND COUNT / COMMAND LIST / COMMAND hold exactly these commands.
 *
 * <p>The rows are what redis-server 7.x answers (CLIENT SETINFO as of 7.2), one line per command or
 * subcommand: {@code name arity flags first-key last-key step categories}, lists comma-separated,
 * "-" for none. Hashes, sets and sorted sets arrive from other branches: merging one means adding a
 * {@link Family} of its rows and naming it in {@link #FAMILIES}, nothing else.
 */
class CommandCoverageTest {
  /** One command group of COMMAND DOCS and its commands' COMMAND INFO rows. */
  record Family(String group, String rows) {
    List<Row> parse() {
      return rows.lines().filter(l -> !l.isBlank()).map(l -> Row.parse(group, l)).toList();
    }
  }

  record Row(
      String group,
      String name,
      long arity,
      Set<String> flags,
      long firstKey,
      long lastKey,
      long step,
      Set<String> categories) {
    static Row parse(String group, String line) {
      String[] f = line.trim().split("\\s+");
      return new Row(
          group,
          f[0],
          Long.parseLong(f[1]),
          words(f[2]),
          Long.parseLong(f[3]),
          Long.parseLong(f[4]),
          Long.parseLong(f[5]),
          words(f[6]));
    }

    private static Set<String> words(String list) {
      return list.equals("-") ? Set.of() : Set.of(list.split(","));
    }

    boolean isSubcommand() {
      return name.contains("|");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final Family STRINGS =
      new Family(
          "string",
          """
          append      3  denyoom,fast,write 1 1  1 @fast,@string,@write
          decr        2  denyoom,fast,write 1 1  1 @fast,@string,@write
          decrby      3  denyoom,fast,write 1 1  1 @fast,@string,@write
          get         2  fast,readonly      1 1  1 @fast,@read,@string
          getdel      2  fast,write         1 1  1 @fast,@string,@write
          getex       -2 fast,write         1 1  1 @fast,@string,@write
          getrange    4  readonly           1 1  1 @read,@slow,@string
          getset      3  denyoom,fast,write 1 1  1 @fast,@string,@write
          incr        2  denyoom,fast,write 1 1  1 @fast,@string,@write
          incrby      3  denyoom,fast,write 1 1  1 @fast,@string,@write
          incrbyfloat 3  denyoom,fast,write 1 1  1 @fast,@string,@write
          lcs         -3 readonly           1 2  1 @read,@slow,@string
          mget        -2 fast,readonly      1 -1 1 @fast,@read,@string
          mset        -3 denyoom,write      1 -1 2 @slow,@string,@write
          msetnx      -3 denyoom,write      1 -1 2 @slow,@string,@write
          psetex      4  denyoom,write      1 1  1 @slow,@string,@write
          set         -3 denyoom,write      1 1  1 @slow,@string,@write
          setex       4  denyoom,write      1 1  1 @slow,@string,@write
          setnx       3  denyoom,fast,write 1 1  1 @fast,@string,@write
          setrange    4  denyoom,write      1 1  1 @slow,@string,@write
          strlen      2  fast,readonly      1 1  1 @fast,@read,@string
          substr      4  readonly           1 1  1 @read,@slow,@string
          """);

  /** WAIT and WAITAOF (7.2), the replication family's, in Redis's group "generic". */
  private static final Family WAITS =
      new Family(
          "generic",
          """
          wait    3 noscript 0 0 0 @connection,@slow
          waitaof 4 blocking 0 0 0 @blocking,@connection,@slow
          """);

  private static final Family KEYS =
      new Family(
          "generic",
          """
          copy            -3 denyoom,write 1 2  1 @keyspace,@slow,@write
          del             -2 write         1 -1 1 @keyspace,@slow,@write
          dump            2  readonly      1 1  1 @keyspace,@read,@slow
          exists          -2 fast,readonly 1 -1 1 @fast,@keyspace,@read
          expire          -3 fast,write    1 1  1 @fast,@keyspace,@write
          expireat        -3 fast,write    1 1  1 @fast,@keyspace,@write
          expiretime      2  fast,readonly 1 1  1 @fast,@keyspace,@read
          keys            2  readonly      0 0  0 @dangerous,@keyspace,@read,@slow
          migrate         -6 movablekeys,write 3 3 1 @dangerous,@keyspace,@slow,@write
          move            3  fast,write    1 1  1 @fast,@keyspace,@write
          object          -2 -             0 0  0 @slow
          object|encoding 3  readonly      2 2  1 @keyspace,@read,@slow
          object|freq     3  readonly      2 2  1 @keyspace,@read,@slow
          object|help     2  loading,stale 0 0  0 @keyspace,@slow
          object|idletime 3  readonly      2 2  1 @keyspace,@read,@slow
          object|refcount 3  readonly      2 2  1 @keyspace,@read,@slow
          persist         2  fast,write    1 1  1 @fast,@keyspace,@write
          pexpire         -3 fast,write    1 1  1 @fast,@keyspace,@write
          pexpireat       -3 fast,write    1 1  1 @fast,@keyspace,@write
          pexpiretime     2  fast,readonly 1 1  1 @fast,@keyspace,@read
          pttl            2  fast,readonly 1 1  1 @fast,@keyspace,@read
          randomkey       1  readonly      0 0  0 @keyspace,@read,@slow
          rename          3  write         1 2  1 @keyspace,@slow,@write
          renamenx        3  fast,write    1 2  1 @fast,@keyspace,@write
          restore         -4 denyoom,write 1 1  1 @dangerous,@keyspace,@slow,@write
          scan            -2 readonly      0 0  0 @keyspace,@read,@slow
          sort            -2 denyoom,movablekeys,write 1 1 1 @dangerous,@list,@set,@slow,@sortedset,@write
          sort_ro         -2 movablekeys,readonly      1 1 1 @dangerous,@list,@read,@set,@slow,@sortedset
          touch           -2 fast,readonly 1 -1 1 @fast,@keyspace,@read
          ttl             2  fast,readonly 1 1  1 @fast,@keyspace,@read
          type            2  fast,readonly 1 1  1 @fast,@keyspace,@read
          unlink          -2 fast,write    1 -1 1 @fast,@keyspace,@write
          """);

  private static final Family SERVER =
      new Family(
          "server",
          """
          acl              -2 -                            0 0 0 @slow
          acl|cat          -2 loading,noscript,stale       0 0 0 @slow
          acl|deluser      -3 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|dryrun       -4 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|genpass      -2 loading,noscript,stale       0 0 0 @slow
          acl|getuser      3  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|help         2  loading,stale                0 0 0 @slow
          acl|list         2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|load         2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|log          -2 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|save         2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|setuser      -3 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|users        2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          acl|whoami       2  loading,noscript,stale       0 0 0 @slow
          command          -1 loading,stale                0 0 0 @connection,@slow
          command|count    2  loading,stale                0 0 0 @connection,@slow
          command|docs     -2 loading,stale                0 0 0 @connection,@slow
          command|getkeys  -4 loading,stale                0 0 0 @connection,@slow
          command|getkeysandflags -4 loading,stale         0 0 0 @connection,@slow
          command|help     2  loading,stale                0 0 0 @connection,@slow
          command|info     -2 loading,stale                0 0 0 @connection,@slow
          command|list     -2 loading,stale                0 0 0 @connection,@slow
          config           -2 -                            0 0 0 @slow
          config|get       -3 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          config|help      2  loading,stale                0 0 0 @slow
          config|resetstat 2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          config|rewrite   2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          config|set       -4 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          dbsize           1  fast,readonly                0 0 0 @fast,@keyspace,@read
          flushall         -1 write                        0 0 0 @dangerous,@keyspace,@slow,@write
          flushdb          -1 write                        0 0 0 @dangerous,@keyspace,@slow,@write
          info             -1 loading,stale                0 0 0 @dangerous,@slow
          latency          -2 -                            0 0 0 @slow
          latency|doctor   2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          latency|graph    3  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          latency|help     2  loading,stale                0 0 0 @slow
          latency|histogram -2 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          latency|history  3  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          latency|latest   2  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          latency|reset    -2 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          lolwut           -1 fast,readonly                0 0 0 @fast,@read
          sluice           -2 -                            0 0 0 @slow
          sluice|flush     -2 admin,noscript               0 0 0 @admin,@dangerous,@slow
          sluice|help      2  loading,stale                0 0 0 @slow
          sluice|install-triggers 3 admin,noscript         0 0 0 @admin,@dangerous,@slow
          sluice|invalidate 3 admin,noscript               0 0 0 @admin,@dangerous,@slow
          sluice|pause     -2 admin,noscript               0 0 0 @admin,@dangerous,@slow
          sluice|resume    -2 admin,noscript               0 0 0 @admin,@dangerous,@slow
          sluice|status    2  admin,noscript               0 0 0 @admin,@dangerous,@slow
          sluice|throttle  4  admin,noscript               0 0 0 @admin,@dangerous,@slow
          sluice|warm      -3 admin,noscript               0 0 0 @admin,@dangerous,@slow
          memory           -2 -                            0 0 0 @slow
          monitor          1  admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          shutdown         -1 admin,allow_busy,loading,no_multi,noscript,stale 0 0 0 @admin,@dangerous,@slow
          save             1  admin,no_async_loading,no_multi,noscript 0 0 0 @admin,@dangerous,@slow
          bgsave           -1 admin,no_async_loading,noscript 0 0 0 @admin,@dangerous,@slow
          lastsave         1  fast,loading,stale           0 0 0 @admin,@dangerous,@fast
          psync            -3 admin,no_async_loading,no_multi,noscript 0 0 0 @admin,@dangerous,@slow
          sync             1  admin,no_async_loading,no_multi,noscript 0 0 0 @admin,@dangerous,@slow
          replconf         -1 admin,allow_busy,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          sluice.journal   -4 admin,loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          role             1  fast,loading,noscript,stale  0 0 0 @admin,@dangerous,@fast
          replicaof        3  admin,no_async_loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          slaveof          3  admin,no_async_loading,noscript,stale 0 0 0 @admin,@dangerous,@slow
          failover         -1 admin,noscript,stale         0 0 0 @admin,@dangerous,@slow
          memory|doctor    2  -                            0 0 0 @slow
          memory|help      2  loading,stale                0 0 0 @slow
          memory|malloc-stats 2 -                          0 0 0 @slow
          memory|purge     2  -                            0 0 0 @slow
          memory|stats     2  -                            0 0 0 @slow
          memory|usage     -3 readonly                     2 2 1 @read,@slow
          slowlog          -2 -                            0 0 0 @slow
          slowlog|get      -2 admin,loading,stale          0 0 0 @admin,@dangerous,@slow
          slowlog|help     2  loading,stale                0 0 0 @slow
          slowlog|len      2  admin,loading,stale          0 0 0 @admin,@dangerous,@slow
          slowlog|reset    2  admin,loading,stale          0 0 0 @admin,@dangerous,@slow
          swapdb           3  fast,write                   0 0 0 @dangerous,@fast,@keyspace,@write
          time             1  fast,loading,stale           0 0 0 @fast
          """);

  private static final Family CONNECTION =
      new Family(
          "connection",
          """
          auth            -2 allow_busy,fast,loading,no_auth,noscript,stale 0 0 0 @connection,@fast
          client          -2 -                                              0 0 0 @slow
          client|caching  3  loading,noscript,stale                         0 0 0 @connection,@slow
          client|getname  2  loading,noscript,stale                         0 0 0 @connection,@slow
          client|getredir 2  loading,noscript,stale                         0 0 0 @connection,@slow
          client|help     2  loading,stale                                  0 0 0 @connection,@slow
          client|id       2  loading,noscript,stale                         0 0 0 @connection,@slow
          client|info     2  loading,noscript,stale                         0 0 0 @connection,@slow
          client|kill     -3 admin,loading,noscript,stale                   0 0 0 @admin,@connection,@dangerous,@slow
          client|list     -2 admin,loading,noscript,stale                   0 0 0 @admin,@connection,@dangerous,@slow
          client|no-evict 3  admin,loading,noscript,stale                   0 0 0 @admin,@connection,@dangerous,@slow
          client|no-touch 3  loading,noscript,stale                         0 0 0 @connection,@slow
          client|pause    -3 admin,loading,noscript,stale                   0 0 0 @admin,@connection,@dangerous,@slow
          client|reply    3  loading,noscript,stale                         0 0 0 @connection,@slow
          client|setname  3  loading,noscript,stale                         0 0 0 @connection,@slow
          client|setinfo  4  loading,noscript,stale                         0 0 0 @connection,@slow
          client|tracking -3 loading,noscript,stale                         0 0 0 @connection,@slow
          client|trackinginfo 2 loading,noscript,stale                      0 0 0 @connection,@slow
          client|unblock  -3 admin,loading,noscript,stale                   0 0 0 @admin,@connection,@dangerous,@slow
          client|unpause  2  admin,loading,noscript,stale                   0 0 0 @admin,@connection,@dangerous,@slow
          echo            2  fast,loading,stale                             0 0 0 @connection,@fast
          hello           -1 allow_busy,fast,loading,no_auth,noscript,stale 0 0 0 @connection,@fast
          ping            -1 fast                                           0 0 0 @connection,@fast
          quit            -1 allow_busy,fast,loading,no_auth,noscript,stale 0 0 0 @connection,@fast
          reset           1  allow_busy,fast,loading,no_auth,noscript,stale 0 0 0 @connection,@fast
          select          2  fast,loading,stale                             0 0 0 @connection,@fast
          """);

  private static final Family LISTS =
      new Family(
          "list",
          """
          blmove     6  blocking,denyoom,noscript,write 1 2  1 @blocking,@list,@slow,@write
          blmpop     -5 blocking,movablekeys,write      0 0  0 @blocking,@list,@slow,@write
          blpop      -3 blocking,noscript,write         1 -2 1 @blocking,@list,@slow,@write
          brpop      -3 blocking,noscript,write         1 -2 1 @blocking,@list,@slow,@write
          brpoplpush 4  blocking,denyoom,noscript,write 1 2  1 @blocking,@list,@slow,@write
          lindex     3  readonly                        1 1  1 @list,@read,@slow
          linsert    5  denyoom,write                   1 1  1 @list,@slow,@write
          llen       2  fast,readonly                   1 1  1 @fast,@list,@read
          lmove      5  denyoom,write                   1 2  1 @list,@slow,@write
          lmpop      -4 movablekeys,write               0 0  0 @list,@slow,@write
          lpop       -2 fast,write                      1 1  1 @fast,@list,@write
          lpos       -3 readonly                        1 1  1 @list,@read,@slow
          lpush      -3 denyoom,fast,write              1 1  1 @fast,@list,@write
          lpushx     -3 denyoom,fast,write              1 1  1 @fast,@list,@write
          lrange     4  readonly                        1 1  1 @list,@read,@slow
          lrem       4  write                           1 1  1 @list,@slow,@write
          lset       4  denyoom,write                   1 1  1 @list,@slow,@write
          ltrim      4  write                           1 1  1 @list,@slow,@write
          rpop       -2 fast,write                      1 1  1 @fast,@list,@write
          rpoplpush  3  denyoom,write                   1 2  1 @list,@slow,@write
          rpush      -3 denyoom,fast,write              1 1  1 @fast,@list,@write
          rpushx     -3 denyoom,fast,write              1 1  1 @fast,@list,@write
          """);

  private static final Family PUBSUB =
      new Family(
          "pubsub",
          """
          psubscribe      -2 loading,noscript,pubsub,stale 0 0 0 @pubsub,@slow
          publish         3  fast,loading,pubsub,stale     0 0 0 @fast,@pubsub
          pubsub          -2 -                             0 0 0 @slow
          pubsub|channels -2 loading,pubsub,stale          0 0 0 @pubsub,@slow
          pubsub|help     2  loading,stale                 0 0 0 @slow
          pubsub|numpat   2  loading,pubsub,stale          0 0 0 @pubsub,@slow
          pubsub|numsub   -2 loading,pubsub,stale          0 0 0 @pubsub,@slow
          pubsub|shardchannels -2 loading,pubsub,stale     0 0 0 @pubsub,@slow
          pubsub|shardnumsub -2 loading,pubsub,stale       0 0 0 @pubsub,@slow
          punsubscribe    -1 loading,noscript,pubsub,stale 0 0 0 @pubsub,@slow
          spublish        3  fast,loading,pubsub,stale     1 1 1 @fast,@pubsub
          ssubscribe      -2 loading,noscript,pubsub,stale 1 -1 1 @pubsub,@slow
          subscribe       -2 loading,noscript,pubsub,stale 0 0 0 @pubsub,@slow
          sunsubscribe    -1 loading,noscript,pubsub,stale 1 -1 1 @pubsub,@slow
          unsubscribe     -1 loading,noscript,pubsub,stale 0 0 0 @pubsub,@slow
          """);

  private static final Family TRANSACTIONS =
      new Family(
          "transactions",
          """
          discard 1  allow_busy,fast,loading,noscript,stale 0 0  0 @fast,@transaction
          exec    1  loading,noscript,skip_slowlog,stale    0 0  0 @slow,@transaction
          multi   1  allow_busy,fast,loading,noscript,stale 0 0  0 @fast,@transaction
          unwatch 1  allow_busy,fast,loading,noscript,stale 0 0  0 @fast,@transaction
          watch   -2 allow_busy,fast,loading,noscript,stale 1 -1 1 @fast,@transaction
          """);

  private static final Family HYPERLOGLOG =
      new Family(
          "hyperloglog",
          """
          pfadd   -2 denyoom,fast,write 1 1  1 @fast,@hyperloglog,@write
          pfcount -2 readonly           1 -1 1 @hyperloglog,@read,@slow
          pfdebug 3  admin,denyoom,write 2 2 1 @admin,@dangerous,@hyperloglog,@slow,@write
          pfmerge -2 denyoom,write      1 -1 1 @hyperloglog,@slow,@write
          pfselftest 1 admin            0 0 0 @admin,@dangerous,@hyperloglog,@slow
          """);

  private static final Family BITMAPS =
      new Family(
          "bitmap",
          """
          bitcount    -2 readonly      1 1  1 @bitmap,@read,@slow
          bitfield    -2 denyoom,write 1 1  1 @bitmap,@slow,@write
          bitfield_ro -2 fast,readonly 1 1  1 @bitmap,@fast,@read
          bitop       -4 denyoom,write 2 -1 1 @bitmap,@slow,@write
          bitpos      -3 readonly      1 1  1 @bitmap,@read,@slow
          getbit      3  fast,readonly 1 1  1 @bitmap,@fast,@read
          setbit      4  denyoom,write 1 1  1 @bitmap,@slow,@write
          """);

  private static final Family HASHES =
      new Family(
          "hash",
          """
          hdel         -3 fast,write         1 1 1 @fast,@hash,@write
          hexists      3  fast,readonly      1 1 1 @fast,@hash,@read
          hget         3  fast,readonly      1 1 1 @fast,@hash,@read
          hgetall      2  readonly           1 1 1 @hash,@read,@slow
          hincrby      4  denyoom,fast,write 1 1 1 @fast,@hash,@write
          hincrbyfloat 4  denyoom,fast,write 1 1 1 @fast,@hash,@write
          hkeys        2  readonly           1 1 1 @hash,@read,@slow
          hlen         2  fast,readonly      1 1 1 @fast,@hash,@read
          hmget        -3 fast,readonly      1 1 1 @fast,@hash,@read
          hmset        -4 denyoom,fast,write 1 1 1 @fast,@hash,@write
          hrandfield   -2 readonly           1 1 1 @hash,@read,@slow
          hscan        -3 readonly           1 1 1 @hash,@read,@slow
          hset         -4 denyoom,fast,write 1 1 1 @fast,@hash,@write
          hsetnx       4  denyoom,fast,write 1 1 1 @fast,@hash,@write
          hstrlen      3  fast,readonly      1 1 1 @fast,@hash,@read
          hvals        2  readonly           1 1 1 @hash,@read,@slow
          """);

  private static final Family SETS =
      new Family(
          "set",
          """
          sadd        -3 denyoom,fast,write   1 1  1 @fast,@set,@write
          scard       2  fast,readonly        1 1  1 @fast,@read,@set
          sdiff       -2 readonly             1 -1 1 @read,@set,@slow
          sdiffstore  -3 denyoom,write        1 -1 1 @set,@slow,@write
          sinter      -2 readonly             1 -1 1 @read,@set,@slow
          sintercard  -3 movablekeys,readonly 0 0  0 @read,@set,@slow
          sinterstore -3 denyoom,write        1 -1 1 @set,@slow,@write
          sismember   3  fast,readonly        1 1  1 @fast,@read,@set
          smembers    2  readonly             1 1  1 @read,@set,@slow
          smismember  -3 fast,readonly        1 1  1 @fast,@read,@set
          smove       4  fast,write           1 2  1 @fast,@set,@write
          spop        -2 fast,write           1 1  1 @fast,@set,@write
          srandmember -2 readonly             1 1  1 @read,@set,@slow
          srem        -3 fast,write           1 1  1 @fast,@set,@write
          sscan       -3 readonly             1 1  1 @read,@set,@slow
          sunion      -2 readonly             1 -1 1 @read,@set,@slow
          sunionstore -3 denyoom,write        1 -1 1 @set,@slow,@write
          """);

  /** Redis 7.4's rows (ZRANK/ZREVRANK take WITHSCORE since 7.2, hence arity -3). */
  private static final Family SORTED_SETS =
      new Family(
          "sorted-set",
          """
          bzmpop           -5 blocking,movablekeys,write   0 0  0 @blocking,@slow,@sortedset,@write
          bzpopmax         -3 blocking,fast,noscript,write 1 -2 1 @blocking,@fast,@sortedset,@write
          bzpopmin         -3 blocking,fast,noscript,write 1 -2 1 @blocking,@fast,@sortedset,@write
          zadd             -4 denyoom,fast,write           1 1  1 @fast,@sortedset,@write
          zcard            2  fast,readonly                1 1  1 @fast,@read,@sortedset
          zcount           4  fast,readonly                1 1  1 @fast,@read,@sortedset
          zdiff            -3 movablekeys,readonly         0 0  0 @read,@slow,@sortedset
          zdiffstore       -4 denyoom,movablekeys,write    1 1  1 @slow,@sortedset,@write
          zincrby          4  denyoom,fast,write           1 1  1 @fast,@sortedset,@write
          zinter           -3 movablekeys,readonly         0 0  0 @read,@slow,@sortedset
          zintercard       -3 movablekeys,readonly         0 0  0 @read,@slow,@sortedset
          zinterstore      -4 denyoom,movablekeys,write    1 1  1 @slow,@sortedset,@write
          zlexcount        4  fast,readonly                1 1  1 @fast,@read,@sortedset
          zmpop            -4 movablekeys,write            0 0  0 @slow,@sortedset,@write
          zmscore          -3 fast,readonly                1 1  1 @fast,@read,@sortedset
          zpopmax          -2 fast,write                   1 1  1 @fast,@sortedset,@write
          zpopmin          -2 fast,write                   1 1  1 @fast,@sortedset,@write
          zrandmember      -2 readonly                     1 1  1 @read,@slow,@sortedset
          zrange           -4 readonly                     1 1  1 @read,@slow,@sortedset
          zrangebylex      -4 readonly                     1 1  1 @read,@slow,@sortedset
          zrangebyscore    -4 readonly                     1 1  1 @read,@slow,@sortedset
          zrangestore      -5 denyoom,write                1 2  1 @slow,@sortedset,@write
          zrank            -3 fast,readonly                1 1  1 @fast,@read,@sortedset
          zrem             -3 fast,write                   1 1  1 @fast,@sortedset,@write
          zremrangebylex   4  write                        1 1  1 @slow,@sortedset,@write
          zremrangebyrank  4  write                        1 1  1 @slow,@sortedset,@write
          zremrangebyscore 4  write                        1 1  1 @slow,@sortedset,@write
          zrevrange        -4 readonly                     1 1  1 @read,@slow,@sortedset
          zrevrangebylex   -4 readonly                     1 1  1 @read,@slow,@sortedset
          zrevrangebyscore -4 readonly                     1 1  1 @read,@slow,@sortedset
          zrevrank         -3 fast,readonly                1 1  1 @fast,@read,@sortedset
          zscan            -3 readonly                     1 1  1 @read,@slow,@sortedset
          zscore           3  fast,readonly                1 1  1 @fast,@read,@sortedset
          zunion           -3 movablekeys,readonly         0 0  0 @read,@slow,@sortedset
          zunionstore      -4 denyoom,movablekeys,write    1 1  1 @slow,@sortedset,@write
          """);

  /** The geo commands: sorted sets whose scores are geohashes. */
  private static final Family GEO =
      new Family(
          "geo",
          """
          geoadd               -5 denyoom,write             1 1 1 @geo,@slow,@write
          geodist              -4 readonly                  1 1 1 @geo,@read,@slow
          geohash              -2 readonly                  1 1 1 @geo,@read,@slow
          geopos               -2 readonly                  1 1 1 @geo,@read,@slow
          georadius            -6 denyoom,movablekeys,write 1 1 1 @geo,@slow,@write
          georadius_ro         -6 readonly                  1 1 1 @geo,@read,@slow
          georadiusbymember    -5 denyoom,movablekeys,write 1 1 1 @geo,@slow,@write
          georadiusbymember_ro -5 readonly                  1 1 1 @geo,@read,@slow
          geosearch            -7 readonly                  1 1 1 @geo,@read,@slow
          geosearchstore       -8 denyoom,write             1 2 1 @geo,@slow,@write
          """);

  private static final Family SCRIPTING =
      new Family(
          "scripting",
          """
          eval          -3 movablekeys,no_mandatory_keys,noscript,skip_monitor,stale          0 0 0 @scripting,@slow
          eval_ro       -3 movablekeys,no_mandatory_keys,noscript,readonly,skip_monitor,stale 0 0 0 @scripting,@slow
          evalsha       -3 movablekeys,no_mandatory_keys,noscript,skip_monitor,stale          0 0 0 @scripting,@slow
          evalsha_ro    -3 movablekeys,no_mandatory_keys,noscript,readonly,skip_monitor,stale 0 0 0 @scripting,@slow
          fcall         -3 movablekeys,no_mandatory_keys,noscript,skip_monitor,stale          0 0 0 @scripting,@slow
          fcall_ro      -3 movablekeys,no_mandatory_keys,noscript,readonly,skip_monitor,stale 0 0 0 @scripting,@slow
          function      -2 -                                                                  0 0 0 @slow
          function|delete  3 noscript,write                                                   0 0 0 @scripting,@slow,@write
          function|dump    2 noscript                                                         0 0 0 @scripting,@slow
          function|flush  -2 noscript,write                                                   0 0 0 @scripting,@slow,@write
          function|help    2 loading,stale                                                    0 0 0 @scripting,@slow
          function|kill    2 allow_busy,noscript                                              0 0 0 @scripting,@slow
          function|list   -2 noscript                                                         0 0 0 @scripting,@slow
          function|load   -3 denyoom,noscript,write                                           0 0 0 @scripting,@slow,@write
          function|restore -3 denyoom,noscript,write                                          0 0 0 @scripting,@slow,@write
          function|stats   2 allow_busy,noscript                                              0 0 0 @scripting,@slow
          script        -2 -                                                                  0 0 0 @slow
          script|exists -3 noscript                                                           0 0 0 @scripting,@slow
          script|debug  3  noscript                                                           0 0 0 @scripting,@slow
          script|flush  -2 noscript                                                           0 0 0 @scripting,@slow
          script|help   2  loading,stale                                                      0 0 0 @scripting,@slow
          script|kill   2  allow_busy,noscript                                                0 0 0 @scripting,@slow
          script|load   3  noscript,stale                                                     0 0 0 @scripting,@slow
          """);

  /** The stream commands (XADD on append mappings goes to write-back). */
  private static final Family STREAMS =
      new Family(
          "stream",
          """
          xack                  -4 fast,write                    1 1 1 @fast,@stream,@write
          xadd                  -5 denyoom,fast,write            1 1 1 @fast,@stream,@write
          xautoclaim            -6 fast,write                    1 1 1 @fast,@stream,@write
          xclaim                -6 fast,write                    1 1 1 @fast,@stream,@write
          xdel                  -3 fast,write                    1 1 1 @fast,@stream,@write
          xgroup                -2 -                             0 0 0 @slow
          xgroup|create         -5 denyoom,write                 2 2 1 @slow,@stream,@write
          xgroup|createconsumer 5  denyoom,write                 2 2 1 @slow,@stream,@write
          xgroup|delconsumer    5  write                         2 2 1 @slow,@stream,@write
          xgroup|destroy        4  write                         2 2 1 @slow,@stream,@write
          xgroup|help           2  loading,stale                 0 0 0 @slow,@stream
          xgroup|setid          -5 write                         2 2 1 @slow,@stream,@write
          xinfo                 -2 -                             0 0 0 @slow
          xinfo|consumers       4  readonly                      2 2 1 @read,@slow,@stream
          xinfo|groups          3  readonly                      2 2 1 @read,@slow,@stream
          xinfo|help            2  loading,stale                 0 0 0 @slow,@stream
          xinfo|stream          -3 readonly                      2 2 1 @read,@slow,@stream
          xlen                  2  fast,readonly                 1 1 1 @fast,@read,@stream
          xpending              -3 readonly                      1 1 1 @read,@slow,@stream
          xrange                -4 readonly                      1 1 1 @read,@slow,@stream
          xread                 -4 blocking,movablekeys,readonly 0 0 0 @blocking,@read,@slow,@stream
          xreadgroup            -7 blocking,movablekeys,write    0 0 0 @blocking,@slow,@stream,@write
          xrevrange             -4 readonly                      1 1 1 @read,@slow,@stream
          xsetid                -3 denyoom,fast,write            1 1 1 @fast,@stream,@write
          xtrim                 -4 write                         1 1 1 @slow,@stream,@write
          """);

  /** Every family this branch has; merged branches add theirs here. */
  private static final List<Family> FAMILIES =
      List.of(
          STRINGS,
          KEYS,
          WAITS,
          SERVER,
          CONNECTION,
          LISTS,
          PUBSUB,
          TRANSACTIONS,
          HYPERLOGLOG,
          BITMAPS,
          HASHES,
          SETS,
          SORTED_SETS,
          GEO,
          SCRIPTING,
          STREAMS);

  private static TestServer server;
  private static RespSocket resp2;
  private static RespSocket resp3;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    resp2 = RespSocket.connect(server.port());
    resp3 = RespSocket.connect(server.port());
    resp3.call("HELLO", "3");
  }

  @AfterAll
  static void stopServer() {
    resp2.close();
    resp3.close();
    server.close();
  }

  static Stream<Row> rows() {
    return FAMILIES.stream().flatMap(f -> f.parse().stream());
  }

  private static List<Row> topLevel() {
    return rows().filter(r -> !r.isSubcommand()).toList();
  }

  private static Set<String> strings(Object list) {
    Collection<?> values = (Collection<?>) list;
    Set<String> names = new HashSet<>();
    for (Object v : values) {
      names.add(v instanceof Simple s ? s.text() : (String) v);
    }
    return names;
  }

  private static List<?> info(String name) {
    List<?> reply = (List<?>) resp2.call("COMMAND", "INFO", name);
    assertEquals(1, reply.size());
    assertInstanceOf(List.class, reply.get(0), "COMMAND INFO " + name + " is not null");
    return (List<?>) reply.get(0);
  }

  // ---- COMMAND INFO ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void commandInfo_everyCommand_redisArityFlagsKeysAndCategories(Row row) {
    List<?> info = info(row.name());
    assertEquals(10, info.size(), "COMMAND INFO has Redis 7's ten fields");
    assertEquals(row.name(), info.get(0));
    assertEquals(row.arity(), info.get(1), "arity");
    assertEquals(new TreeSet<>(row.flags()), new TreeSet<>(strings(info.get(2))), "flags");
    assertEquals(
        List.of(row.firstKey(), row.lastKey(), row.step()), info.subList(3, 6), "key positions");
    assertEquals(
        new TreeSet<>(row.categories()), new TreeSet<>(strings(info.get(6))), "ACL categories");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void commandDocs_everyCommand_inRedisGroup(Row row) {
    Map<?, ?> docs = (Map<?, ?>) resp3.call("COMMAND", "DOCS", row.name());
    Map<?, ?> doc = (Map<?, ?>) docs.get(row.name());
    assertNotNull(doc, "COMMAND DOCS " + row.name());
    assertEquals(row.group(), doc.get("group"));
    assertTrue(!((String) doc.get("summary")).isEmpty(), "a summary");
  }

  @Test
  void commandInfo_containers_listExactlyTheListedSubcommands() {
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    rows()
        .filter(Row::isSubcommand)
        .forEach(
            r ->
                expected
                    .computeIfAbsent(r.name().split("\\|")[0], k -> new TreeSet<>())
                    .add(r.name()));
    for (Map.Entry<String, Set<String>> container : expected.entrySet()) {
      Set<String> reported = new TreeSet<>();
      for (Object sub : (List<?>) info(container.getKey()).get(9)) {
        reported.add((String) ((List<?>) sub).get(0));
      }
      assertEquals(container.getValue(), reported, container.getKey() + " subcommands");
    }
  }

  @Test
  void commandInfo_resp3_flagsAndCategoriesAreSets() {
    List<?> reply = (List<?>) resp3.call("COMMAND", "INFO", "get");
    List<?> get = (List<?>) reply.get(0);
    assertEquals(Set.of(new Simple("readonly"), new Simple("fast")), get.get(2));
    assertEquals(
        Set.of(new Simple("@read"), new Simple("@string"), new Simple("@fast")), get.get(6));
  }

  @Test
  void commandInfo_unknownCommand_null() {
    assertEquals(List.of(Nil.BULK), resp2.call("COMMAND", "INFO", "nosuchcommand"));
    assertEquals(List.of(Nil.NULL), resp3.call("COMMAND", "INFO", "nosuchcommand"));
  }

  // ---- COMMAND COUNT, LIST, and COMMAND itself ----

  @Test
  void commandCount_equalsListedCommands() {
    assertEquals((long) topLevel().size(), resp2.call("COMMAND", "COUNT"));
  }

  @Test
  void commandList_namesExactlyTheListedCommandsAndSubcommands() {
    Set<String> listed = rows().map(Row::name).collect(Collectors.toSet());
    List<?> names = (List<?>) resp2.call("COMMAND", "LIST");
    assertEquals(names.size(), new HashSet<>(names).size(), "no name twice");
    Set<String> missing = new TreeSet<>(listed);
    missing.removeAll(strings(names));
    Set<String> unlisted = new TreeSet<>(strings(names));
    unlisted.removeAll(listed);
    assertEquals(Set.of(), missing, "listed here but not served");
    assertEquals(Set.of(), unlisted, "served but not listed here: add its row");
  }

  @Test
  void command_withoutArguments_describesEveryCommandOnce() {
    List<?> all = (List<?>) resp2.call("COMMAND");
    assertEquals(topLevel().size(), all.size());
    Set<String> names = new TreeSet<>();
    for (Object entry : all) {
      names.add((String) ((List<?>) entry).get(0));
    }
    assertEquals(
        topLevel().stream().map(Row::name).collect(Collectors.toCollection(TreeSet::new)), names);
  }

  @Test
  void families_rowsHaveNoDuplicates() {
    List<String> names = rows().map(Row::name).toList();
    assertEquals(names.size(), new HashSet<>(names).size());
    assertTrue(
        names.containsAll(List.of("get", "del", "lpush", "publish", "multi", "pfadd", "setbit")));
    assertEquals(
        server.context().commands().all().stream()
            .map(CommandSpec::group)
            .collect(Collectors.toSet()),
        FAMILIES.stream().map(Family::group).collect(Collectors.toSet()));
  }
}
