# coinone-annotate as a container image: a stream filter (stdin -> stdout) and, with --follow,
# a log sidecar (see samples/k8s-sidecar.yaml and samples/compose.yaml).
#
#   docker build -t coinone-annotate .
#   docker run --rm -i coinone-annotate < bot.log                 # filter stdin
#   docker run --rm -i coinone-annotate --only-errors < bot.log   # any options, as for the binary
#   docker run --rm -v "$PWD:/data:ro" coinone-annotate bot.log   # files, relative to /data
#
# Only Debian 12 packages are used; nothing else is downloaded. No `RUN <<EOF` heredocs: Debian's
# buildah 1.28 / podman 4.3 cannot parse them. tests/container/run.sh builds and runs this file
# with buildah/podman on a machine without a Docker engine.

ARG DEBIAN_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------
# build: compile a Release binary and run the unit and end-to-end tests against it.
# ---------------------------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS build

# The build and test dependencies come from the one list in scripts/install-deps.sh (toolchain,
# -dev packages, and time/ripgrep/gzip/zstd/python3 for the tests), installed without
# recommends. Copied on its own first, so that editing the sources does not re-run apt-get.
COPY scripts/install-deps.sh /src/scripts/install-deps.sh
RUN bash /src/scripts/install-deps.sh

COPY . /src
WORKDIR /src

# Same Release settings as scripts/test.sh. The container test (tests/container/run.sh, which
# would need podman inside the build) is excluded.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOINONE_WARNINGS_AS_ERRORS=ON \
 && cmake --build build -j "$(nproc)" \
 && ctest --test-dir build --output-on-failure -j "$(nproc)" -E container \
 && cmake --install build --prefix /out --strip

# The runtime packages are derived from what the binary really links, so that a new library
# (zlib-ng/isa-l for gzip input, zstd, an HTTP library for metrics ...) needs no edit here:
# every `ldd` line is mapped to the Debian package that ships that file (`dpkg -S`), and the
# list is written to /out/runtime-packages, which the runtime stage installs. A library that
# belongs to no package (i.e. not from Debian) fails the build here rather than at run time.
RUN set -e; : > /out/runtime-packages; \
    for lib in $(ldd /out/bin/coinone-annotate | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do \
      real=$(readlink -f "$lib"); \
      pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null \
            || dpkg -S "*/$(basename "$(dirname "$real")")/$(basename "$lib")" 2>/dev/null) \
        || { echo "no Debian package ships $lib" >&2; exit 1; }; \
      echo "${pkg%%:*}" | head -n 1 >> /out/runtime-packages; \
    done; \
    sort -u -o /out/runtime-packages /out/runtime-packages; \
    echo "runtime packages:"; cat /out/runtime-packages

# ---------------------------------------------------------------------------------------------
# runtime: the binary, the shared libraries it links, a non-root user. Nothing else.
# ---------------------------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS runtime

# Extra packages to install next to the derived list (space-separated), e.g.
#   docker build --build-arg EXTRA_RUNTIME_PACKAGES=tini .
ARG EXTRA_RUNTIME_PACKAGES=""

COPY --from=build /out/runtime-packages /usr/local/share/coinone-annotate/runtime-packages
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      $(cat /usr/local/share/coinone-annotate/runtime-packages) ${EXTRA_RUNTIME_PACKAGES} \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log

COPY --from=build /out/bin/coinone-annotate /usr/local/bin/coinone-annotate

# A fixed, numeric non-root user: Kubernetes' runAsNonRoot can only verify a numeric USER.
# /data is the working directory for relative file arguments; it belongs to the user, so that a
# fresh Docker named volume mounted there starts out writable by it. The image writes nothing at
# run time outside mounted volumes and works with a read-only root filesystem (but see /tmp in
# samples/k8s-sidecar.yaml: --only-errors spools over-long lines to an anonymous file in /tmp).
RUN groupadd --system --gid 10001 coinone \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin coinone \
 && mkdir -p /data && chown 10001:10001 /data \
 && ! ldd /usr/local/bin/coinone-annotate | grep 'not found' \
 && coinone-annotate --version
USER 10001:10001
WORKDIR /data

# Prometheus metrics and /healthz in sidecar mode (--metrics 0.0.0.0:9464).
EXPOSE 9464

# No HEALTHCHECK: the default use is a one-shot filter with no port open, where a health check
# could only fail, and the image has no curl. Probe /healthz from the orchestrator instead
# (Kubernetes httpGet probes; see samples/compose.yaml for Compose).

# The binary handles SIGTERM itself (flush, save state, exit 0), also as PID 1, so no init is
# needed; STOPSIGNAL is the default and spelled out for clarity.
STOPSIGNAL SIGTERM
ENTRYPOINT ["coinone-annotate"]
# With no arguments the image does what the binary does: filter standard input to standard
# output, so `docker run -i image < bot.log` and `kubectl logs pod | docker run -i image` just
# work. Without -i, stdin is empty and it exits 0 at once. "-" (stdin) is given explicitly rather
# than left empty so that no CMD can be inherited from a base image (debian's is ["bash"]), and
# any arguments given to `docker run` replace it.
CMD ["-"]
