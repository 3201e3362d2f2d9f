# newsa11y in a container: Debian with its chromium package and the
# newsa11y binary, run as a user without privileges from /work, the folder
# to mount for pages and reports:
#
#   docker build -t newsa11y .
#   docker run --rm -v "$PWD:/work" newsa11y audit --report sarif=out/a11y.sarif site/
#
# Each RUN calls a script under scripts/docker/, so that CI runs the same
# steps without a container (scripts/docker-steps.sh); the Dockerfile is
# linted by scripts/lint-dockerfile.sh.

ARG GO_VERSION=1.26.8
ARG DEBIAN_RELEASE=bookworm

# Build stage: a static binary, no cgo.
FROM golang:${GO_VERSION}-${DEBIAN_RELEASE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN scripts/docker/build.sh /out/newsa11y "${VERSION}"

# Runtime stage: Debian's chromium and the binary.
FROM debian:${DEBIAN_RELEASE}-slim AS runtime
COPY scripts/docker/runtime.sh /usr/local/lib/newsa11y/runtime.sh
RUN /usr/local/lib/newsa11y/runtime.sh install
COPY --from=build /out/newsa11y /usr/local/bin/newsa11y
ENV CHROME_PATH=/usr/bin/chromium
USER newsa11y
WORKDIR /work
ENTRYPOINT ["newsa11y"]
CMD ["help"]
