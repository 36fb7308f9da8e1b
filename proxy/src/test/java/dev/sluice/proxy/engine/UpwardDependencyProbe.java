package dev.sluice.proxy.engine;

/**
 * Test code only: an engine class that uses the runtime layer above it, which the layer rule of
 * {@code PackageRulesTest} must report.
 */
public final class UpwardDependencyProbe {
  public Object reachUp(dev.sluice.proxy.runtime.ServerContext server) {
    return server.engine();
  }
}
