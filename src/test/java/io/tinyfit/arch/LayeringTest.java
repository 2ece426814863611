package io.tinyfit.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Packages import only downward (DESIGN.md, "Layers"): model → kernels → tflite → arena → targets (the board
 * catalogue and the fit verdict, data over the arena figures) → plan → exec → verify →
 * the technique packages, which never import each other → api → report → cli; layout stands alone at the bottom.
 * No exceptions list: a violation is fixed where it is, not recorded here.
 */
class LayeringTest {
    private static final String ROOT = "io.tinyfit.";
    /** Bottom to top; the technique packages share one layer. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("layout"), List.of("model"), List.of("kernels"), List.of("tflite"), List.of("arena"), List.of("targets"), List.of("plan"),
            List.of("exec"), List.of("verify"), List.of("schedule", "place", "dmo", "tiling", "partial", "spill", "codegen"),
            List.of("api"), List.of("report"), List.of("fuzz"), List.of("cli"));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tinyfit");
    }

    @Test
    void everyPackageImportsOnlyBelowItself() {
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> above = new ArrayList<>();
            for (int j = i + 1; j < LAYERS.size(); j++) for (String p : LAYERS.get(j)) above.add(ROOT + p + "..");
            for (String p : LAYERS.get(i)) {
                noClasses().that().resideInAPackage(ROOT + p + "..").should().dependOnClassesThat().resideInAnyPackage(above.toArray(String[]::new))
                        .allowEmptyShould(true).because(p + " sits below " + String.join(", ", above)).check(classes);
            }
        }
    }

    @Test
    void layoutStandsAlone() {
        String[] rest = LAYERS.stream().flatMap(List::stream).filter(p -> !p.equals("layout")).map(p -> ROOT + p + "..").toArray(String[]::new);
        noClasses().that().resideInAPackage(ROOT + "layout..").should().dependOnClassesThat().resideInAnyPackage(rest).check(classes);
    }

    @Test
    void techniquePackagesNeverImportEachOther() {
        List<String> techniques = LAYERS.stream().filter(l -> l.contains("schedule")).findFirst().orElseThrow();
        for (String p : techniques) {
            String[] others = techniques.stream().filter(q -> !q.equals(p)).map(q -> ROOT + q + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + p + "..").should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true).check(classes);
        }
    }

    @Test
    void everyPackageHasALayer() {
        List<String> known = LAYERS.stream().flatMap(List::stream).toList();
        noClasses().should().resideOutsideOfPackages(known.stream().map(p -> ROOT + p + "..").toArray(String[]::new)).check(classes);
    }
}
