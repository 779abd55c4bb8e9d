package maillon

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update", false, "rewrite docs/indicateurs.md from the indicator registry")

// TestIndicatorsDoc keeps docs/indicateurs.md equal to the registry: the
// definitions users read in the application and those the documentation
// (and the exports) refer to are the same text. Refresh with
// go test . -run TestIndicatorsDoc -update.
func TestIndicatorsDoc(t *testing.T) {
	const path = "docs/indicateurs.md"
	want := IndicatorsMarkdown()
	if *updateDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s differs from the indicator registry; run go test . -run TestIndicatorsDoc -update", path)
	}
	for _, ind := range Indicators() {
		if !strings.Contains(want, "`"+ind.ID+"`") {
			t.Errorf("%s missing from the document", ind.ID)
		}
	}
}
