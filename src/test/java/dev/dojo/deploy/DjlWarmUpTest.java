package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/docker/DjlWarmUp.java, which the image build runs to put libtorch into DJL's cache, still
 * compiles against the project's DJL and does its job: loads the engine, computes, and refuses a
 * libtorch directory other than the one it is told to expect. (The image build runs it in Java's
 * single-file source mode; here it is compiled with the same compiler and run in this JVM.)
 */
class DjlWarmUpTest {

    @Test
    void theWarmUpCompilesLoadsLibtorchAndChecksWhereItCameFrom(@TempDir Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = Stream.of(Engine.class, LibUtils.class, org.slf4j.Logger.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation().getPath())
                .collect(Collectors.joining(File.pathSeparator));
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath, "-proc:none",
                DeployFiles.path("deploy/docker/DjlWarmUp.java").toString());
        assertThat(status).as("javac exit status").isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("DjlWarmUp").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
            String libtorch = LibUtils.getLibtorchPath();
            assertThat(Files.isRegularFile(Path.of(libtorch).resolve(System.mapLibraryName("torch")))).isTrue();
            main.invoke(null, (Object) new String[] {libtorch});
            assertThatThrownBy(() -> main.invoke(null, (Object) new String[] {"/nowhere/pytorch/2.7.1-cu128-linux-x86_64"}))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("not from /nowhere");
        }
    }
}
