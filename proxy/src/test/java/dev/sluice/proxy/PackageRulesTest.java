package dev.sluice.proxy;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/ARCHITECTURE.md ("Packages and layers"): no cycle between packages, and
 * every dependency points down the layers in the documented order. Main code only.
 */
class PackageRulesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice");
  }

  /** The layers, lowest first; a layer may use the layers before it and none after it. */
  static LayeredArchitecture layers() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("base")
        .definedBy("dev.sluice.proxy.resp..", "dev.sluice.proxy.util..")
        .layer("keyspace")
        .definedBy("dev.sluice.proxy.keyspace..")
        .layer("types")
        .definedBy("dev.sluice.proxy.types..")
        .layer("rdb")
        .definedBy("dev.sluice.proxy.rdb..")
        .layer("postgres")
        .definedBy("dev.sluice.proxy.postgres..")
        .layer("mechanisms")
        .definedBy(
            "dev.sluice.proxy.tx..", "dev.sluice.proxy.pubsub..", "dev.sluice.proxy.tracking..")
        .layer("engine")
        .definedBy("dev.sluice.proxy.engine..")
        .layer("features")
        .definedBy(
            "dev.sluice.proxy.acl..",
            "dev.sluice.proxy.scripting..",
            "dev.sluice.proxy.durable..",
            "dev.sluice.proxy.lookaside..",
            "dev.sluice.proxy.replication..")
        .layer("runtime")
        .definedBy("dev.sluice.proxy.runtime..")
        .layer("commands")
        .definedBy("dev.sluice.proxy.commands..")
        .layer("conn")
        .definedBy("dev.sluice.proxy.conn..")
        .layer("net")
        .definedBy("dev.sluice.proxy.net..")
        .layer("root")
        .definedBy("dev.sluice.proxy")
        .layer("cli")
        .definedBy("dev.sluice.cli..")
        .whereLayer("base")
        .mayOnlyBeAccessedByLayers(
            "keyspace",
            "types",
            "rdb",
            "postgres",
            "mechanisms",
            "engine",
            "features",
            "runtime",
            "commands",
            "conn",
            "net",
            "root",
            "cli")
        .whereLayer("keyspace")
        .mayOnlyBeAccessedByLayers(
            "types",
            "rdb",
            "postgres",
            "mechanisms",
            "engine",
            "features",
            "runtime",
            "commands",
            "conn",
            "net",
            "root",
            "cli")
        .whereLayer("types")
        .mayOnlyBeAccessedByLayers(
            "rdb",
            "postgres",
            "mechanisms",
            "engine",
            "features",
            "runtime",
            "commands",
            "conn",
            "net",
            "root",
            "cli")
        .whereLayer("rdb")
        .mayOnlyBeAccessedByLayers(
            "postgres",
            "mechanisms",
            "engine",
            "features",
            "runtime",
            "commands",
            "conn",
            "net",
            "root",
            "cli")
        .whereLayer("postgres")
        .mayOnlyBeAccessedByLayers(
            "mechanisms", "engine", "features", "runtime", "commands", "conn", "net", "root", "cli")
        .whereLayer("mechanisms")
        .mayOnlyBeAccessedByLayers(
            "engine", "features", "runtime", "commands", "conn", "net", "root", "cli")
        .whereLayer("engine")
        .mayOnlyBeAccessedByLayers("features", "runtime", "commands", "conn", "net", "root", "cli")
        .whereLayer("features")
        .mayOnlyBeAccessedByLayers("runtime", "commands", "conn", "net", "root", "cli")
        .whereLayer("runtime")
        .mayOnlyBeAccessedByLayers("commands", "conn", "net", "root", "cli")
        .whereLayer("commands")
        .mayOnlyBeAccessedByLayers("root", "cli")
        .whereLayer("conn")
        .mayOnlyBeAccessedByLayers("net", "root", "cli")
        .whereLayer("net")
        .mayOnlyBeAccessedByLayers("root", "cli")
        .whereLayer("root")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer();
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("dev.sluice.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void layers_dependOnlyDownwards() {
    layers().check(classes);
  }

  @Test
  void commandFamilies_dependNotOnEachOther() {
    slices()
        .matching("dev.sluice.proxy.commands.(*)..")
        .should()
        .notDependOnEachOther()
        .check(classes);
  }

  /** The rule can fail: an engine class that reaches up into the runtime is reported. */
  @Test
  void layers_reportAnUpwardDependency() {
    JavaClasses withUpward =
        new ClassFileImporter()
            .importClasses(
                dev.sluice.proxy.engine.UpwardDependencyProbe.class,
                dev.sluice.proxy.runtime.ServerContext.class);
    EvaluationResult result = layers().evaluate(withUpward);
    assertTrue(
        result.getFailureReport().toString().contains("UpwardDependencyProbe"),
        result.getFailureReport().toString());
  }
}
