package dev.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running Sluice over RESP: the address and password come from {@code
 * --host/-h}, {@code --port/-p}, {@code --user}, {@code --password/-a} or the environment
 * (SLUICE_HOST, SLUICE_PORT, SLUICE_USER, SLUICE_PASSWORD), as with redis-cli. {@code -h} is the
 * host, so help is {@code --help} only. A server error or an unreachable server prints a message on
 * stderr and exits 1.
 */
abstract class RemoteCommand implements Callable<Integer> {
  static final String[] FOOTER = {
    "",
    "Environment: SLUICE_HOST, SLUICE_PORT, SLUICE_PASSWORD (the flags win).",
    "Exit codes: 0 success, 1 failure (server error, server unreachable), 2 bad usage."
  };

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--host"},
      paramLabel = "HOST",
      defaultValue = "${env:SLUICE_HOST:-127.0.0.1}",
      description = "Sluice's address. Default: $SLUICE_HOST or 127.0.0.1.")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      defaultValue = "${env:SLUICE_PORT:-6379}",
      description = "Sluice's RESP port. Default: $SLUICE_PORT or 6379.")
  int port;

  @Option(
      names = "--user",
      paramLabel = "USER",
      defaultValue = "${env:SLUICE_USER:-}",
      description =
          "User to log in as (AUTH user password); empty: the default user. Default: $SLUICE_USER.")
  String user;

  @Option(
      names = {"-a", "--password"},
      paramLabel = "PASSWORD",
      defaultValue = "${env:SLUICE_PASSWORD:-}",
      description = "Password (AUTH). Default: $SLUICE_PASSWORD.")
  String password;

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  /** How long to wait for a reply; 0 without limit (for commands that wait on PostgreSQL). */
  int readTimeoutMillis() {
    return 30_000;
  }

  /** Runs the command over {@code client}; returns the exit code. */
  abstract int run(RespClient client, PrintWriter out, PrintWriter err) throws IOException;

  RespClient connect() throws IOException {
    return RespClient.connect(host, port, user, password, 5_000, readTimeoutMillis());
  }

  String address() {
    return host + ":" + port;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (RespClient client = connect()) {
      int code = run(client, out, err);
      out.flush();
      return code;
    } catch (RespClient.ServerError e) {
      err.println("sluice: " + address() + " answered: " + e.getMessage() + hint(e.getMessage()));
      return 1;
    } catch (ConnectException e) {
      err.println(
          "sluice: cannot connect to Sluice at "
              + address()
              + " ("
              + e.getMessage()
              + "); is `sluice serve` running there? Set --host/--port or SLUICE_HOST/SLUICE_PORT.");
      return 1;
    } catch (UnknownHostException e) {
      err.println("sluice: unknown host " + host);
      return 1;
    } catch (SocketTimeoutException e) {
      err.println("sluice: " + address() + " did not answer in time (" + e.getMessage() + ")");
      return 1;
    } catch (IOException e) {
      err.println("sluice: talking to " + address() + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static String hint(String message) {
    if (message.startsWith("ERR unknown subcommand")) {
      return " (this Sluice is older than this CLI and lacks the command)";
    }
    if (message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")) {
      return " (give the password with --password/-a or SLUICE_PASSWORD)";
    }
    return "";
  }

  /** Runs {@code task} on its own thread, calling {@code tick} every {@code periodMillis}. */
  static <T> T waitWithProgress(
      java.util.concurrent.Callable<T> task, long periodMillis, Runnable tick) throws IOException {
    java.util.concurrent.FutureTask<T> future = new java.util.concurrent.FutureTask<>(task);
    Thread thread = new Thread(future, "sluice-cli-call");
    thread.setDaemon(true);
    thread.start();
    while (true) {
      try {
        return future.get(periodMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        tick.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        future.cancel(true);
        throw new IOException("interrupted");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IOException(e.getCause());
      }
    }
  }
}
