# syntax=docker/dockerfile:1
# wfcompat as a container: static binaries (CGO_ENABLED=0) on distroless,
# as in the release archives: wfcompat, the lean front (-tags lean, which
# links no runner and hands run, replay, upgrade and diff with event logs
# to wfcompat-full), wfcompat-full, the complete build, and wfcompat-oci,
# the helper wfcompat runs for oci:// and https:// sources; each finds the others beside
# it.
#   docker build -t wfcompat .
#   docker run --rm -v "$PWD:/work" wfcompat diff old.wasm new.wasm
# The build context should include .git so that the go command stamps the
# version and revision (wfcompat --version). The image has no git command, so
# git:REV:PATH baselines are not available in it: pass the baseline as a file
# (or oci://, https://).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -tags lean -o /out/wfcompat ./cmd/wfcompat \
 && go build -trimpath -ldflags="-s -w" -o /out/wfcompat-full ./cmd/wfcompat \
 && go build -trimpath -ldflags="-s -w" -o /out/wfcompat-oci ./cmd/wfcompat-oci \
 && /out/wfcompat --version && /out/wfcompat-full --version && /out/wfcompat-oci --version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wfcompat /out/wfcompat-full /out/wfcompat-oci /usr/local/bin/
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/wfcompat"]
CMD ["--help"]
