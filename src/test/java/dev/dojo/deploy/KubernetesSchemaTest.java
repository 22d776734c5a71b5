package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.JSON;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object every overlay renders, validated offline against the Kubernetes API schema: the
 * models of the official Kubernetes Java client ({@code io.kubernetes:client-java-api}), generated
 * from Kubernetes' OpenAPI document. A model refuses a field its type does not define (a misspelled
 * {@code imagePullPolicy} at any depth), a missing required field, an object where a list belongs
 * and a value of the wrong type; the object must then serialise back to exactly what was rendered,
 * so nothing was dropped or coerced on the way (a port given as the string "8080", say). This is
 * what the API server's strict field validation ({@code kubectl apply}'s default) would refuse.
 * <p>
 * The objects are {@code kubectl kustomize}'s where kubectl is installed, else the Java
 * {@link Kustomize}'s (which {@link KubectlKustomizeTest} holds to kubectl's).
 */
class KubernetesSchemaTest {

    private static final Pattern API_VERSION = Pattern.compile("(?:[a-z0-9.-]+/)?(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)");
    private static final Gson PLAIN = new Gson();

    static List<String> overlays() {
        return KubernetesManifestTest.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyRenderedObjectMatchesTheKubernetesApiSchema(String overlay) throws Exception {
        List<Map<String, Object>> objects = KubectlKustomizeTest.renderWithKubectl(overlay);
        if (objects == null) {
            objects = KubernetesManifestTest.render(overlay).resources();
        }
        assertThat(objects).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            try {
                validate(object);
            } catch (AssertionError | RuntimeException e) {
                problems.add(Kustomize.id(object) + ": " + e.getMessage().replaceAll("(?s) JSON: .*", ""));
            }
        }
        assertThat(problems).as(overlay).isEmpty();
    }

    @Test
    void aMisspelledFieldAnywhereIsRefused() {
        Map<String, Object> deployment = apiDeployment();
        JsonObject json = PLAIN.toJsonTree(deployment).getAsJsonObject();
        JsonObject container = json.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
                .getAsJsonArray("containers").get(0).getAsJsonObject();
        container.add("imagePullPolicyy", container.remove("imagePullPolicy"));
        assertThatThrownBy(() -> validate(json)).hasMessageContaining("imagePullPolicyy").hasMessageContaining("V1Container");

        JsonObject podSpec = PLAIN.toJsonTree(deployment).getAsJsonObject().getAsJsonObject("spec")
                .getAsJsonObject("template").getAsJsonObject("spec");
        podSpec.add("terminationGracePeriodSecond", podSpec.remove("terminationGracePeriodSeconds"));
        JsonObject outer = PLAIN.toJsonTree(deployment).getAsJsonObject();
        outer.getAsJsonObject("spec").getAsJsonObject("template").add("spec", podSpec);
        assertThatThrownBy(() -> validate(outer)).hasMessageContaining("terminationGracePeriodSecond").hasMessageContaining("V1PodSpec");

        JsonObject top = PLAIN.toJsonTree(deployment).getAsJsonObject();
        top.add("specs", top.remove("spec"));
        assertThatThrownBy(() -> validate(top)).hasMessageContaining("specs");
    }

    @Test
    void aValueOfTheWrongTypeOrAMissingRequiredFieldIsRefused() {
        Map<String, Object> deployment = apiDeployment();
        JsonObject replicas = PLAIN.toJsonTree(deployment).getAsJsonObject();
        replicas.getAsJsonObject("spec").addProperty("replicas", "two");
        assertThatThrownBy(() -> validate(replicas)).hasMessageContaining("two");

        JsonObject port = PLAIN.toJsonTree(deployment).getAsJsonObject();
        port.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec").getAsJsonArray("containers")
                .get(0).getAsJsonObject().getAsJsonArray("ports").get(0).getAsJsonObject().addProperty("containerPort", "8080");
        assertThatThrownBy(() -> validate(port)).hasMessageContaining("containerPort");

        JsonObject args = PLAIN.toJsonTree(deployment).getAsJsonObject();
        args.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec").getAsJsonArray("containers")
                .get(0).getAsJsonObject().addProperty("args", "--server.port=8080");
        assertThatThrownBy(() -> validate(args)).hasMessageContaining("args");

        JsonObject noImage = PLAIN.toJsonTree(deployment).getAsJsonObject();
        noImage.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec").getAsJsonArray("containers")
                .get(0).getAsJsonObject().remove("name");
        assertThatThrownBy(() -> validate(noImage)).hasMessageContaining("name");

        JsonObject memory = PLAIN.toJsonTree(deployment).getAsJsonObject();
        memory.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec").getAsJsonArray("containers")
                .get(0).getAsJsonObject().getAsJsonObject("resources").getAsJsonObject("limits").addProperty("memory", "2 gigs");
        assertThatThrownBy(() -> validate(memory)).hasMessageContaining("quantity");
    }

    @Test
    void aKindTheClientHasNoModelForIsRefused() {
        assertThatThrownBy(() -> validate(Map.of("apiVersion", "apps/v1", "kind", "Deploymnet", "metadata", Map.of("name", "x"))))
                .hasMessageContaining("no Kubernetes model for apps/v1 Deploymnet");
    }

    private static Map<String, Object> apiDeployment() {
        return KubernetesManifestTest.render("cpu-only").resources().stream()
                .filter(r -> "Deployment".equals(r.get("kind")) && "dojo-api".equals(DeployFiles.string(r, "metadata", "name")))
                .findFirst().orElseThrow();
    }

    private static void validate(Map<String, Object> object) {
        validate(PLAIN.toJsonTree(object).getAsJsonObject());
    }

    /** Reads the object into its Kubernetes model (refusing unknown fields and wrong types), then writes it back unchanged. */
    static void validate(JsonObject object) {
        String apiVersion = object.get("apiVersion").getAsString();
        String kind = object.get("kind").getAsString();
        Matcher m = API_VERSION.matcher(apiVersion);
        if (!m.matches()) {
            throw new AssertionError("not an apiVersion: " + apiVersion);
        }
        String version = m.group(1);
        String model = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
        Class<?> type;
        try {
            type = Class.forName(model);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no Kubernetes model for " + apiVersion + " " + kind + " (" + model + ")");
        }
        Gson gson = JSON.getGson();
        Object parsed = gson.fromJson(object, type);
        String difference = difference("", object, gson.toJsonTree(parsed));
        if (difference != null) {
            throw new AssertionError("changed on the way through " + type.getSimpleName() + " at " + difference);
        }
    }

    /**
     * Where {@code read} (the model written back) differs from {@code given}, or null. The models
     * start every list and map empty, so an empty one read back stands for one not given; a quantity
     * ({@code resources.limits/requests}) may be given as a number and is written back as a string.
     */
    private static String difference(String path, JsonElement given, JsonElement read) {
        if (given != null && given.isJsonObject() && read != null && read.isJsonObject()) {
            JsonObject g = given.getAsJsonObject();
            JsonObject r = read.getAsJsonObject();
            java.util.Set<String> keys = new java.util.TreeSet<>(g.keySet());
            keys.addAll(r.keySet());
            for (String key : keys) {
                String d = difference(path + "/" + key, g.get(key), r.get(key));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (given != null && given.isJsonArray() && read != null && read.isJsonArray()) {
            if (given.getAsJsonArray().size() != read.getAsJsonArray().size()) {
                return path + ": " + given + " read back as " + read;
            }
            for (int i = 0; i < given.getAsJsonArray().size(); i++) {
                String d = difference(path + "/" + i, given.getAsJsonArray().get(i), read.getAsJsonArray().get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (given == null && isEmpty(read) || read == null && isEmpty(given)) {
            return null;
        }
        if (given != null && read != null && given.isJsonPrimitive() && read.isJsonPrimitive()
                && given.getAsJsonPrimitive().isNumber() && read.getAsJsonPrimitive().isString()
                && QUANTITY.matcher(path).matches() && given.getAsString().equals(read.getAsString())) {
            return null;
        }
        return java.util.Objects.equals(given, read) ? null : path + ": " + given + " read back as " + read;
    }

    private static final Pattern QUANTITY = Pattern.compile(".*/resources/(?:limits|requests)/.+");

    private static boolean isEmpty(JsonElement e) {
        return e == null || e.isJsonNull() || e.isJsonArray() && e.getAsJsonArray().isEmpty()
                || e.isJsonObject() && e.getAsJsonObject().isEmpty();
    }
}
