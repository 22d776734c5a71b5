import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs once while the image is built (never in a running container): loads DJL's PyTorch engine
 * exactly as the service will, so that DJL puts libtorch and its JNI library into
 * {@code DJL_CACHE_DIR} now, and computes one sum on the CPU to prove the library loads.
 *
 * <p>Run it with the service's own libraries on the class path, in Java's single-file source mode:
 * {@code java -cp 'app/dependencies/BOOT-INF/lib/*' DjlWarmUp.java [EXPECTED_LIBTORCH_DIR]}. With
 * an argument it fails unless libtorch was loaded from that directory, which is how the GPU image
 * checks that the {@code PYTORCH_LIBRARY_PATH} it sets for run time names what DJL really fetched.
 *
 * <p>Outside the image build this is also compiled and run by {@code DjlWarmUpTest}, so that a
 * DJL upgrade that breaks it fails the test suite rather than the next image build.
 */
public class DjlWarmUp {

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();
            float value = sum.getFloat();
            if (value != 6f) {
                throw new IllegalStateException("libtorch computed 1 + 2 + 3 = " + value);
            }
        }
        Path dir = Path.of(LibUtils.getLibtorchPath()).toAbsolutePath().normalize();
        System.out.println("DJL " + Engine.getDjlVersion() + ", PyTorch " + engine.getVersion()
                + ", libtorch in " + dir + ", GPUs visible now: " + engine.getGpuCount());
        if (!Files.isRegularFile(dir.resolve(System.mapLibraryName("torch")))) {
            throw new IllegalStateException("no " + System.mapLibraryName("torch") + " in " + dir);
        }
        if (args.length > 0) {
            Path expected = Path.of(args[0]).toAbsolutePath().normalize();
            if (!expected.equals(dir)) {
                throw new IllegalStateException("libtorch was loaded from " + dir + ", not from " + expected);
            }
        }
    }
}
