package dev.dojo.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsGzippedImagesAndPlainLabelsWithTheirHeaderDimensions() {
        IdxReader.Images train = Subset.images(Subset.file("train-images-idx3-ubyte.gz"));
        IdxReader.Labels trainLabels = Subset.labels(Subset.file("train-labels-idx1-ubyte"));
        IdxReader.Images test = Subset.images(Subset.file("t10k-images-idx3-ubyte.gz"));
        IdxReader.Labels testLabels = Subset.labels(Subset.file("t10k-labels-idx1-ubyte"));

        assertThat(train.count()).isEqualTo(2000);
        assertThat(train.rows()).isEqualTo(28);
        assertThat(train.cols()).isEqualTo(28);
        assertThat(train.data()).hasSize(16 + 2000 * 784);
        assertThat(trainLabels.count()).isEqualTo(2000);
        assertThat(test.count()).isEqualTo(1000);
        assertThat(testLabels.count()).isEqualTo(1000);

        // MNIST's well-known first labels: training 5 0 4 1 9, test 7 2 1 0 4.
        assertThat(Arrays.copyOfRange(trainLabels.data(), 8, 13)).containsExactly(5, 0, 4, 1, 9);
        assertThat(Arrays.copyOfRange(testLabels.data(), 8, 13)).containsExactly(7, 2, 1, 0, 4);
    }

    @Test
    void imageSetScalesPixelsToTheUnitInterval() {
        ImageSet set = new ImageSet("subset", Subset.images(Subset.file("t10k-images-idx3-ubyte.gz")),
                Subset.labels(Subset.file("t10k-labels-idx1-ubyte")), 10);
        float[] image = new float[784];
        set.copyScaled(0, image, 0);
        double max = 0;
        int ink = 0;
        for (int p = 0; p < 784; p++) {
            assertThat(image[p]).isBetween(0f, 1f);
            assertThat(image[p]).isEqualTo(set.pixel(0, p / 28, p % 28) / 255f);
            max = Math.max(max, image[p]);
            ink += image[p] > 0 ? 1 : 0;
        }
        assertThat(max).isEqualTo(1.0);
        assertThat(ink).as("pixels with ink in a handwritten 7").isBetween(50, 300);
        assertThat(set.pixel(0, 0, 0)).as("the corner is background").isZero();
    }

    @Test
    void refusesAWrongMagicNumber() {
        assertThatThrownBy(() -> Subset.images(Subset.file("t10k-labels-idx1-ubyte")))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("magic number 0x00000801, expected 0x00000803");
        assertThatThrownBy(() -> Subset.labels(Subset.file("t10k-images-idx3-ubyte.gz")))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("expected 0x00000801");
    }

    @Test
    void refusesATruncatedFileRatherThanReadingPartOfIt() throws IOException {
        byte[] whole = IdxReader.readBytes(Subset.file("t10k-images-idx3-ubyte.gz"));
        Path cut = tmp.resolve("t10k-images-idx3-ubyte");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 100));

        assertThatThrownBy(() -> Subset.images(cut))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("1000 images of 28×28 (784016 bytes)")
                .hasMessageContaining("783916 bytes");

        Path shortHeader = tmp.resolve("header");
        Files.write(shortHeader, Arrays.copyOf(whole, 10));
        assertThatThrownBy(() -> Subset.images(shortHeader)).hasMessageContaining("shorter than the 16-byte");
    }

    @Test
    void refusesACutGzipStreamAndTrailingBytes() throws IOException {
        byte[] gz = Files.readAllBytes(Subset.file("t10k-images-idx3-ubyte.gz"));
        Path cut = tmp.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> Subset.images(cut))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("gzip stream is truncated or corrupt");

        byte[] labels = Files.readAllBytes(Subset.file("t10k-labels-idx1-ubyte"));
        Path longer = tmp.resolve("longer");
        Files.write(longer, Arrays.copyOf(labels, labels.length + 3));
        assertThatThrownBy(() -> Subset.labels(longer))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("has 3 bytes after the 1000 labels");
    }

    @Test
    void refusesLabelsOutsideTheClassesAndMismatchedCounts() {
        IdxReader.Images images = Subset.images(Subset.file("t10k-images-idx3-ubyte.gz"));
        IdxReader.Labels labels = Subset.labels(Subset.file("t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> new ImageSet("digits as 5 classes", images, labels, 5))
                .hasMessageContaining("label 7 of item 0 is not one of the 5 classes");
        IdxReader.Labels fewer = new IdxReader.Labels(labels.data(), labels.offset(), 999);
        assertThatThrownBy(() -> new ImageSet("uneven", images, fewer, 10))
                .hasMessageContaining("1000 images but 999 labels");
    }

    @Test
    void sha256IsTheOneOfTheUncompressedBytes() {
        assertThat(org.apache.commons.codec.digest.DigestUtils.sha256Hex(IdxReader.readBytes(Subset.file("train-images-idx3-ubyte.gz"))))
                .isEqualTo(Subset.SHA256.get("train-images-idx3-ubyte"));
    }
}
