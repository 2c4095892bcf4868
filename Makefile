# Make targets for tightlip. `make demo` and `make test` are the two commands a fresh machine needs.
GO ?= go
PKGS = ./...

.PHONY: all build tools demo test test-unit test-e2e vet fmt-check bench bench-frontend bench-verify clean

all: build

build:
	$(GO) build -o bin/ ./cmd/...

tools:
	hack/install-tools.sh

# The main job: a local buildkitd, the frontend image built from source, an example built through it.
demo:
	hack/demo.sh

# Every test: static checks, unit tests with the race detector, the end-to-end suite on a real buildkitd,
# and BuildKit's own Dockerfile test suite against tightlip compared with the stock frontend.
test: vet fmt-check test-unit test-e2e compat

test-unit:
	$(GO) test -race -count=1 $(PKGS)

test-e2e: tools
	$(GO) test -tags e2e -count=1 -timeout 30m ./e2e/

vet:
	$(GO) vet $(PKGS)
	$(GO) vet -tags e2e ./e2e/

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go') $$(git ls-files --others --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Wall time of a trivial build through the frontend image vs the daemon's built-in frontend.
bench-frontend: tools
	hack/bench-frontend.sh

# Wall time verification adds to a multi-layer build (docs/verification.md#cost).
bench-verify: tools
	hack/bench-verify.sh

clean:
	rm -rf bin

# BuildKit's own Dockerfile test suite against the stock frontend image and against tightlip's, compared
# (docs/compatibility.md). Writes testdata/compat/; fails on a difference not in expected-differences.txt.
.PHONY: compat
compat:
	hack/compat/run.sh
