#!/usr/bin/env bash
# Installs what deploy/smoke-test.sh needs on a Debian 12 machine, as root, and only what is
# missing (a machine that has it all pays nothing):
#   podman, buildah, runc, uidmap, fuse-overlayfs, slirp4netns  build and run OCI images, no daemon
#   golang-github-containernetworking-plugin-dnsname             names on a compose network (podman's
#                                                                CNI backend resolves service names,
#                                                                e.g. "postgres", only with it; without
#                                                                it every node fails: UnknownHostException)
#   mmdebstrap                                                   the stand-in base images
#   docker-compose                                               Compose v1, through podman's Docker API
#   npm                                                          packs npm for the Node stand-in
#   curl, jq                                                     the checks
# kubectl must already be there (the Kubernetes checks render the overlays with it).
# And two settings in /etc/containers/containers.conf, without which `podman run` fails where
# root cannot raise its own limits or crun cannot handle the host's cgroups:
#   [containers] default_ulimits (nofile, nproc below the hard limits root has)
#   [engine] runtime = "runc"
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
for pair in podman:podman buildah:buildah runc:runc newuidmap:uidmap fuse-overlayfs:fuse-overlayfs \
            slirp4netns:slirp4netns mmdebstrap:mmdebstrap docker-compose:docker-compose npm:npm curl:curl jq:jq; do
  command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
done
# A Recommends of nothing that --no-install-recommends brings in, so checked by its file.
[ -x /usr/lib/cni/dnsname ] || need+=(golang-github-containernetworking-plugin-dnsname)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup-host: installing ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v kubectl >/dev/null || { echo "setup-host: kubectl is not installed" >&2; exit 1; }

conf=/etc/containers/containers.conf
if ! grep -qs '^runtime *= *"runc"' "$conf" || ! grep -qs '^default_ulimits' "$conf"; then
  if [ -s "$conf" ]; then
    echo "setup-host: $conf exists without the two settings; add them by hand:" >&2
    echo '  [containers] default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]' >&2
    echo '  [engine] runtime = "runc"' >&2
    exit 1
  fi
  echo "setup-host: writing $conf"
  as_root mkdir -p /etc/containers
  as_root tee "$conf" >/dev/null <<'CONF'
# Written by Dojo's deploy/smoke/setup-host.sh.
[containers]
# Below the hard limits root has on hosts where it cannot raise its own (setrlimit: not permitted).
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
# crun refuses hybrid cgroup hierarchies; runc runs on them.
runtime = "runc"
CONF
fi
