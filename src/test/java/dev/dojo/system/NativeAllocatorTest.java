package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    @Test
    void namesEveryTunableThatIsUnsetOrDifferent() {
        assertThat(NativeAllocator.missing(null)).containsExactly(
                "glibc.malloc.arena_max=1", "glibc.malloc.mmap_threshold=33554432",
                "glibc.malloc.trim_threshold=1073741824", "glibc.malloc.hugetlb=1");
        assertThat(NativeAllocator.missing(NativeAllocator.TUNABLES)).isEmpty();
        assertThat(NativeAllocator.missing("glibc.rtld.nns=2:" + NativeAllocator.TUNABLES)).isEmpty();
        assertThat(NativeAllocator.missing(NativeAllocator.TUNABLES.replace("arena_max=1", "arena_max=8")))
                .containsExactly("glibc.malloc.arena_max=1");
        assertThat(NativeAllocator.missing("glibc.malloc.hugetlb=1")).hasSize(3);
    }

    @Test
    void theBuildStartsTheServiceAndTheTestsWithTheSameSetting() throws IOException {
        Matcher property = Pattern.compile("<dojo.glibc-tunables>([^<]+)</dojo.glibc-tunables>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(property.find()).isTrue();
        assertThat(property.group(1)).isEqualTo(NativeAllocator.TUNABLES);
        // surefire passes it to this JVM, as spring-boot:run does to the service's.
        assertThat(NativeAllocator.missing(System.getenv("GLIBC_TUNABLES"))).isEmpty();
    }
}
