package dev.dojo.support;

import dev.dojo.dataset.ImageSet;

/** Test images written as the predict API's JSON instances. */
public final class DigitJson {

    private DigitJson() {}

    /** Image {@code index} of the set as a JSON 28×28 array of 0–255 integers. */
    public static String array(ImageSet set, int index) {
        StringBuilder s = new StringBuilder("[");
        for (int y = 0; y < 28; y++) {
            s.append(y == 0 ? "[" : ",[");
            for (int x = 0; x < 28; x++) {
                s.append(x == 0 ? "" : ",").append(set.pixel(index, y, x));
            }
            s.append(']');
        }
        return s.append(']').toString();
    }

    /** A predict request body holding image {@code index} of the set alone. */
    public static String request(ImageSet set, int index) {
        return "{\"instances\": [" + array(set, index) + "]}";
    }
}
