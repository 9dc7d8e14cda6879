# coinone-annotate as a container image: a stream filter (stdin -> stdout) and, with --follow,
# a log sidecar (see samples/k8s-sidecar.yaml and samples/compose.yaml). The runtime image is
# FROM scratch: the binary, its HTTP server module, the Debian libraries they link, the dynamic
# loader and the time zones; no shell, no package manager (under 20 MB; tests/container/run.sh
# checks the size).
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
# would need podman inside the build) is excluded, and so is perf.startup, a timing against cat
# that belongs on a CI machine, not inside an image build on a busy builder.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOINONE_WARNINGS_AS_ERRORS=ON \
 && cmake --build build -j "$(nproc)" \
 && ctest --test-dir build --output-on-failure -j "$(nproc)" -E 'container|perf' \
 && cmake --install build --prefix /out --strip

# The runtime files are derived from what the binary and the HTTP server module really link, so
# that a new library needs no edit here: every library `ldd` names, and the dynamic loader, are
# copied into /out/rootfs under their directory's real path (Debian's /lib is a link to /usr/lib).
# Each must come from a Debian package (`dpkg -S`), or the build fails here rather than at run
# time; the package names go to /out/runtime-packages and their copyright files go along.
RUN set -e; r=/out/rootfs; : > /out/runtime-packages; \
    mkdir -p $r/usr/local/bin $r/usr/local/lib $r/usr/share/doc $r/etc $r/tmp /out/data; \
    cp -a /out/bin/coinone-annotate $r/usr/local/bin/; \
    cp -a /out/lib/coinone-annotate $r/usr/local/lib/; \
    for link in /lib /lib64; do [ ! -L $link ] || ln -s "$(readlink $link)" $r$link; done; \
    for lib in $(ldd /out/bin/coinone-annotate /out/lib/coinone-annotate/http-server.so \
                 | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u); do \
      dir=$(readlink -f "$(dirname "$lib")"); \
      mkdir -p "$r$dir"; cp -L "$lib" "$r$dir/"; \
      real=$(readlink -f "$lib"); \
      pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null \
            || dpkg -S "*/$(basename "$(dirname "$real")")/$(basename "$lib")" 2>/dev/null) \
        || { echo "no Debian package ships $lib" >&2; exit 1; }; \
      echo "${pkg%%:*}" | head -n 1 >> /out/runtime-packages; \
    done; \
    sort -u -o /out/runtime-packages /out/runtime-packages; \
    for pkg in $(cat /out/runtime-packages); do \
      mkdir -p $r/usr/share/doc/$pkg; cp -L /usr/share/doc/$pkg/copyright $r/usr/share/doc/$pkg/; \
    done; \
    cp /out/runtime-packages $r/usr/share/doc/coinone-annotate.runtime-packages; \
    echo "runtime packages:"; cat /out/runtime-packages
# Time zones for --tz: tzdata is Priority "required", so every Debian base has it. Without the
# right/ (leap-second) and posix/ copies: about 1.5 MB.
RUN set -e; r=/out/rootfs; test -f /usr/share/zoneinfo/Asia/Seoul; \
    cp -a /usr/share/zoneinfo $r/usr/share/; rm -rf $r/usr/share/zoneinfo/right $r/usr/share/zoneinfo/posix
# A fixed, numeric non-root user: Kubernetes' runAsNonRoot can only verify a numeric USER. The
# passwd and group lines give it a name in `ps` and `id`; hosts through /etc/hosts before DNS
# (the --probe of "localhost"). /data, the working directory, comes in the runtime stage.
# Then the tree is tried as a root of its own: the binary runs, and --metrics loads its module.
RUN set -e; r=/out/rootfs; \
    echo 'coinone:x:10001:10001:coinone-annotate:/data:/nonexistent' > $r/etc/passwd; \
    echo 'coinone:x:10001:' > $r/etc/group; \
    echo 'hosts: files dns' > $r/etc/nsswitch.conf; \
    chmod 1777 $r/tmp; \
    chroot $r /usr/local/bin/coinone-annotate --version; \
    chroot $r /usr/local/bin/coinone-annotate --metrics 127.0.0.1:0 < /dev/null

# ---------------------------------------------------------------------------------------------
# runtime: an empty base with the binary, its module, the libraries they link and the dynamic
# loader. No shell, no package manager.
# ---------------------------------------------------------------------------------------------
FROM scratch AS runtime

COPY --from=build /out/rootfs/ /
# /data, empty, owned by the user, so that a fresh Docker or podman named volume mounted there
# (samples/compose.yaml keeps the checkpoint in one) starts out writable by it: the engine copies
# the directory's owner into the new volume. --chown, because not every builder keeps the owner
# on COPY --from.
COPY --from=build --chown=10001:10001 /out/data/ /data/

# The image writes nothing at run time outside mounted volumes and works with a read-only root
# filesystem (but see /tmp in samples/k8s-sidecar.yaml: --only-errors spools over-long lines to
# an anonymous file in /tmp).
USER 10001:10001
WORKDIR /data
# An empty base has no PATH: the entry point and `coinone-annotate --probe` in health checks
# are found through this one.
ENV PATH=/usr/local/bin

# Prometheus metrics and /healthz in sidecar mode (--metrics 0.0.0.0:9464).
EXPOSE 9464

# No HEALTHCHECK here: the default use is a one-shot filter with no port open, where a health
# check could only fail. In sidecar mode the orchestrator probes /healthz: Kubernetes with its
# httpGet probes, Compose with `coinone-annotate --probe http://127.0.0.1:9464/healthz`, which
# needs no shell or curl (samples/compose.yaml).

# The binary handles SIGTERM itself (flush, save state, exit 0), also as PID 1, so no init is
# needed; STOPSIGNAL is the default and spelled out for clarity.
STOPSIGNAL SIGTERM
ENTRYPOINT ["coinone-annotate"]
# With no arguments the image does what the binary does: filter standard input to standard
# output, so `docker run -i image < bot.log` and `kubectl logs pod | docker run -i image` just
# work. Without -i, stdin is empty and it exits 0 at once. Any arguments given to `docker run`
# replace "-" (stdin, spelled out).
CMD ["-"]
