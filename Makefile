# The two commands a fresh machine needs:
#   make demo   build saring and run the default pipeline on examples/
#   make test   install what the tests need and run them all
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

.PHONY: demo test build setup-demo setup-test bench screenshots fuzz clean

build:
	$(GO) build -trimpath -o bin/saring ./cmd/saring

setup-demo:
	scripts/setup.sh demo

setup-test:
	scripts/setup.sh test

demo: setup-demo build
	./bin/saring run -i examples/news.jsonl -o out/demo --format jsonl
	./bin/saring explain -i examples/news.jsonl --id kabar-2024-bi-rate
	./bin/saring report out/demo
	@echo "kept: out/demo/kept  removed: out/demo/removed  report: out/demo/report.html  browse: ./bin/saring serve out/demo"

test: setup-test
	$(GO) vet ./...
	$(GO) test -timeout 40m ./...
	$(GO) test -race -short -timeout 60m ./...
	scripts/fuzz.sh 10s
	cd internal/htmldate && $(GO) test ./...
	cd internal/nolangguess && $(GO) test ./...
	cd deploy/k8scheck && $(GO) test ./...

# Short fuzzing of every parser (go test -fuzz runs one target at a time).
fuzz:
	scripts/fuzz.sh 20s

bench:
	bench/core/run.sh

screenshots: build
	scripts/screenshots.sh

clean:
	rm -rf bin out
