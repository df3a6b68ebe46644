package dev.virtualqueue.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rooms of src/main/java (docs/architecture.md, "Rooms and the one event path"): no package
 * cycle, and every import runs down the layers below, top to bottom. Issue 12 tolerated three
 * route-to-another-feature's-service imports (QueueRoutes, PublicQueueRoutes and CounterRoutes
 * reading TicketService); none is left, so none is allowed.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.virtualqueue";

  /** Top to bottom; a layer may use the layers below it, never one above. */
  private static final List<Layer> LAYERS = List.of(
      new Layer("server", ROOT, ROOT + ".server..", ROOT + ".dev.."),
      new Layer("housekeeping", ROOT + ".housekeeping.."),
      // waiting rooms (issue 14): admit through the ticket feature's AdmitService
      new Layer("admission", ROOT + ".admission.."),
      // the outbox's channels (issue 13): they will read tickets and queues through their services
      new Layer("webhook", ROOT + ".webhook.."),
      new Layer("notify", ROOT + ".notify.."),
      new Layer("live", ROOT + ".live.."),
      new Layer("ticket", ROOT + ".ticket.."),
      new Layer("counter", ROOT + ".counter.."),
      new Layer("queue", ROOT + ".queue.."),
      new Layer("auth", ROOT + ".auth.."),
      // rate limits (issue 15): the router's limiter and the sockets' gate, on Redis
      new Layer("limit", ROOT + ".limit.."),
      new Layer("audit", ROOT + ".audit.."),
      new Layer("http", ROOT + ".http.."),
      new Layer("line", ROOT + ".line.."),
      new Layer("metrics", ROOT + ".metrics.."),
      new Layer("events", ROOT + ".events.."),
      new Layer("base", ROOT + ".config..", ROOT + ".common..", ROOT + ".db.."));

  private record Layer(String name, String... packages) {
  }

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  @Test
  void noPackageCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void importsRunDownTheLayers() {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (Layer l : LAYERS) {
      layers = layers.layer(l.name()).definedBy(l.packages());
    }
    for (int i = 1; i < LAYERS.size(); i++) {
      String[] above = LAYERS.subList(0, i).stream().map(Layer::name).toArray(String[]::new);
      layers = layers.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above);
    }
    layers = layers.whereLayer(LAYERS.get(0).name()).mayNotBeAccessedByAnyLayer();
    layers.check(main);
  }

  @Test
  void everyPackageIsInALayer() {
    List<String> known = LAYERS.stream().flatMap(l -> Arrays.stream(l.packages())).toList();
    classes().should().resideInAnyPackage(known.toArray(String[]::new))
        .because("a new package must take its place in the layers of this test").check(main);
  }

  @Test
  void repositoriesAreUsedOnlyByTheirOwnFeatureAndTheWiring() {
    classes().that().haveSimpleNameEndingWith("Repository").should(onlyBeUsedInTheirPackageOrBy(ROOT + ".server"))
        .check(main);
  }

  @Test
  void servicesDoNotImportVertxWeb() {
    noClasses().that().haveSimpleNameEndingWith("Service").should().dependOnClassesThat()
        .resideInAPackage("io.vertx.ext.web..").check(main);
  }

  private static ArchCondition<JavaClass> onlyBeUsedInTheirPackageOrBy(String wiring) {
    return new ArchCondition<>("be used only inside their package or by " + wiring) {
      @Override
      public void check(JavaClass repository, ConditionEvents events) {
        for (Dependency d : repository.getDirectDependenciesToSelf()) {
          String from = d.getOriginClass().getPackageName();
          if (!from.equals(repository.getPackageName()) && !from.equals(wiring)) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }
}
