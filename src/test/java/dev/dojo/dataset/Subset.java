package dev.dojo.dataset;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** The committed MNIST excerpt under src/test/resources/mnist-subset (see its README). */
public final class Subset {

    public static final int TRAIN = 2000;
    public static final int TEST = 1000;

    /** SHA-256 of the subset's uncompressed files. */
    public static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "729d340c0177402770b27c04f817dfb40ed8844459b35a9f11ae21067b05cf19",
            "train-labels-idx1-ubyte", "90795ea2219655a7281c0d6756d0ae8a33bebac7ec84bac89bbdcc5e3baa9f8c",
            "t10k-images-idx3-ubyte", "de7c252b04f05e1f8309634180ccdf286dc6dbac8c579b74e76e02ae0331ca52",
            "t10k-labels-idx1-ubyte", "832c0d20f0dc42e575488c75a83a970787d4c8d4d05831b2ef03701b4a478a90");

    private Subset() {}

    public static Path directory() {
        try {
            return Path.of(Subset.class.getResource("/mnist-subset/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path file(String name) {
        return directory().resolve(name);
    }

    /** An IDX image file read and checked whole, as the service reads one. */
    static IdxReader.Images images(Path file) {
        return IdxReader.images(file.toString(), IdxReader.readBytes(file));
    }

    /** An IDX label file read and checked whole. */
    static IdxReader.Labels labels(Path file) {
        return IdxReader.labels(file.toString(), IdxReader.readBytes(file));
    }
}
