package dev.dojo.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package structure the README and docs/architecture.md describe, held by tests so that it cannot drift. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.dojo");
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching("dev.dojo.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void trainingKnowsNothingOfSpringJpaOrHttp() {
        noClasses().that().resideInAPackage("dev.dojo.training..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..", "jakarta.servlet..",
                        "dev.dojo.job..", "dev.dojo.queue..", "dev.dojo.worker..", "dev.dojo.system..")
                .check(classes);
    }

    /** Each table and the one package whose code may name it in SQL. */
    private static final Map<String, String> OWNERS = Map.of(
            "training_job", "queue",
            "job_attempt", "queue",
            "worker_node", "queue",
            "job_label", "queue",
            "idempotency_key", "job",
            "job_metric", "metric",
            "job_checkpoint", "checkpoint",
            "job_log", "joblog",
            // Its other table, sweep, shares its name with the word in the queue's lease sweep, which this check would flag.
            "sweep_trial", "sweep");

    @Test
    void eachTableIsReadAndWrittenByOnePackage() throws IOException {
        Path main = Path.of("src/main/java/dev/dojo");
        List<String> strays = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = main.relativize(file).getName(0).toString();
                String code = Files.readString(file);
                OWNERS.forEach((table, owner) -> {
                    // A table name inside a string literal: SQL, or a JPA @Table.
                    if (!pkg.equals(owner) && Pattern.compile("\"[^\"]*\\b" + table + "\\b").matcher(code).find()) {
                        strays.add(main.relativize(file) + " names " + table + ", which belongs to package " + owner);
                    }
                });
            }
        }
        assertThat(strays).isEmpty();
    }

    /** Every package says what it holds in a package-info.java and has its row in docs/architecture.md's table. */
    @Test
    void everyPackageIsDescribedAndListed() throws IOException {
        Path main = Path.of("src/main/java/dev/dojo");
        String table = Files.readString(Path.of("docs/architecture.md"));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(main)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String pkg = dir.getFileName().toString();
                if (!Files.exists(dir.resolve("package-info.java"))) {
                    missing.add(pkg + " has no package-info.java");
                }
                if (!table.contains("| `" + pkg + "` |")) {
                    missing.add(pkg + " has no row in docs/architecture.md");
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
