# Short aliases only; the full check is .ci/run.
.PHONY: run test check lint build

run:
	go run ./cmd/maillon serve --demo

test:
	go test ./...

check:
	bash .ci/run

lint:
	@files=$$(gofmt -l .); if [ -n "$$files" ]; then echo "gofmt -w needed:"; echo "$$files"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

build:
	go build ./cmd/maillon
