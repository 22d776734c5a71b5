package dev.dojo.prediction;

import dev.dojo.system.DomainProblem;
import dev.dojo.system.Echo;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Turns request instances into model inputs, naming the index of any instance it cannot use. */
final class InstanceDecoder {

    private static final int PIXELS = DigitImages.SIDE * DigitImages.SIDE;
    private static final int MAX_BASE64 = 16 * 1024 * 1024;

    private InstanceDecoder() {}

    /** Sine instances: each a number, or a one-element array holding one. */
    static float[] numbers(List<JsonNode> instances) {
        float[] values = new float[instances.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode node = instances.get(i);
            if (node != null && node.isArray() && node.size() == 1) {
                node = node.get(0);
            }
            if (node == null || !node.isNumber()) {
                throw DomainProblem.badInstance(i, "must be a number (the x to predict at), was " + Echo.of(node));
            }
            double x = node.doubleValue();
            if (!Double.isFinite(x) || Math.abs(x) > 1e6) {
                throw DomainProblem.badInstance(i, "must be a finite number within ±1e6, was " + x);
            }
            values[i] = (float) x;
        }
        return values;
    }

    /**
     * Image instances, back to back as 28×28 floats in [0, 1]: a 28×28 array (0–255 integers, or
     * 0–1 floats), or {@code {"b64": "<base64 PNG or JPEG>"}} of any size. Every image's header is read
     * and held to the budget before the first one is decoded.
     */
    static float[] images(List<JsonNode> instances, DigitImages.Invert invert, PixelBudget budget) {
        float[] out = new float[instances.size() * PIXELS];
        byte[][] encoded = new byte[instances.size()][];
        for (int i = 0; i < instances.size(); i++) {
            JsonNode node = instances.get(i);
            if (node != null && node.isObject() && node.has("b64")) {
                encoded[i] = fromBase64(i, node);
                budget.claim(i, probe(i, encoded[i]));
            } else if (node != null && node.isArray()) {
                System.arraycopy(fromArray(i, node, invert == DigitImages.Invert.TRUE), 0, out, i * PIXELS, PIXELS);
            } else {
                throw DomainProblem.badInstance(i, "must be a 28×28 array of pixel values or {\"b64\": \"<base64 PNG or JPEG>\"}");
            }
        }
        for (int i = 0; i < encoded.length; i++) {
            if (encoded[i] != null) {
                System.arraycopy(decode(i, encoded[i], DigitImages.Invert.AUTO, budget), 0, out, i * PIXELS, PIXELS);
            }
        }
        return out;
    }

    /** Uploaded image files, back to back as 28×28 floats; every header is held to the budget before any decoding. */
    static float[] imageFiles(List<byte[]> files, DigitImages.Invert invert, PixelBudget budget) {
        for (int i = 0; i < files.size(); i++) {
            budget.claim(i, probe(i, files.get(i)));
        }
        float[] out = new float[files.size() * PIXELS];
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(decode(i, files.get(i), invert, budget), 0, out, i * PIXELS, PIXELS);
        }
        return out;
    }

    private static DigitImages.Size probe(int index, byte[] bytes) {
        try {
            return DigitImages.probe(bytes);
        } catch (IllegalArgumentException e) {
            throw DomainProblem.badInstance(index, e.getMessage());
        }
    }

    private static float[] decode(int index, byte[] bytes, DigitImages.Invert invert, PixelBudget budget) {
        try {
            return DigitImages.toMnist(DigitImages.decode(bytes, budget.perImage()), invert);
        } catch (IllegalArgumentException e) {
            throw DomainProblem.badInstance(index, e.getMessage());
        }
    }

    private static byte[] fromBase64(int i, JsonNode node) {
        JsonNode b64 = node.get("b64");
        if (node.size() != 1 || !b64.isString()) {
            throw DomainProblem.badInstance(i, "must be {\"b64\": \"<base64 PNG or JPEG>\"} and nothing else");
        }
        String text = b64.asString();
        if (text.length() > MAX_BASE64) {
            throw DomainProblem.badInstance(i, "image is larger than " + MAX_BASE64 / (1024 * 1024) + " MB of base64");
        }
        int comma = text.startsWith("data:") ? text.indexOf(',') : -1;
        try {
            return Base64.getMimeDecoder().decode(text.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw DomainProblem.badInstance(i, "b64 is not valid base64");
        }
    }

    private static float[] fromArray(int i, JsonNode rows, boolean invert) {
        if (rows.size() != DigitImages.SIDE) {
            throw DomainProblem.badInstance(i, "must have 28 rows of 28 pixels, had " + rows.size() + " rows");
        }
        float[] pixels = new float[PIXELS];
        boolean bytes = false;
        for (int y = 0; y < DigitImages.SIDE; y++) {
            JsonNode row = rows.get(y);
            if (!row.isArray() || row.size() != DigitImages.SIDE) {
                throw DomainProblem.badInstance(i, "row " + y + " must hold 28 pixel values");
            }
            for (int x = 0; x < DigitImages.SIDE; x++) {
                JsonNode v = row.get(x);
                if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < 0 || v.doubleValue() > 255) {
                    throw DomainProblem.badInstance(i, "pixel [" + y + "][" + x + "] must be a number from 0 to 255 (or 0 to 1), was " + Echo.of(v));
                }
                bytes |= v.doubleValue() > 1;
                pixels[y * DigitImages.SIDE + x] = (float) v.doubleValue();
            }
        }
        for (int p = 0; p < PIXELS; p++) {
            float v = bytes ? pixels[p] / 255f : pixels[p];
            pixels[p] = invert ? 1 - v : v;
        }
        return pixels;
    }
}
