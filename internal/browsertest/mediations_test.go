package browsertest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMediationPages checks every page of the mediations module and the
// error state of each of its forms, whatever the crawls reach: the list
// (and its filters in error), the opening form, a case under way with its
// forms (closing, step, party, commitment, a party's consent), and the
// printable agreement of a closed case.
func TestMediationPages(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)
	ctx := newTab(t, browser)
	login(t, ctx, demoApp.URL, "admin@demo.maillon.test")

	page := func(path string, status int64) {
		t.Helper()
		if st := open(t, ctx, demoApp.URL, path); st != status {
			t.Fatalf("GET %s: status %d, want %d", path, st, status)
		}
		checkPage(t, ctx, path)
	}
	firstCase := func(query string) string {
		t.Helper()
		page("/mediations?"+query, http.StatusOK)
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main table a[href^="/mediations/"]') || {}).getAttribute?.("href") || ""`))
		if err != nil || href == "" {
			t.Fatalf("no mediation for %s in the demo: %q, %v", query, href, err)
		}
		return href
	}
	// submit empties the text fields of the first form of the page
	// holding a field matching sel, and checks the 422 error state.
	submit := func(path, sel string) {
		t.Helper()
		page(path, http.StatusOK)
		i, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(
			`Array.from(document.querySelectorAll("main form")).findIndex(f => f.querySelector(%q))`, sel)))
		if err != nil || i < 0 {
			t.Fatalf("%s: no form with a field %s (%v)", path, sel, err)
		}
		st, err := submitEmptied(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		label := fmt.Sprintf("form with %s on %s", sel, path)
		if st != http.StatusUnprocessableEntity {
			t.Errorf("%s: submitted empty, status %d, want 422", label, st)
			return
		}
		checkErrorState(t, ctx, label)
		checkPage(t, ctx, label+" (error state)")
	}

	page("/mediations", http.StatusOK)
	page("/mediations?status=perdue", http.StatusUnprocessableEntity)
	checkErrorState(t, ctx, "mediations filter in error")
	submit("/mediations/new", "[name=subject]")

	running := firstCase("status=en_cours")
	for _, field := range []string{"outcome_text", "step_note", "party_label", "commitment_text"} {
		submit(running, "[name="+field+"]")
	}
	// A party's consent to take part, on a case waiting for it.
	submit(firstCase("status=ouverte&kind=conflit"), `[name^="consent"][name$="_on"]`)
	closed := firstCase("status=cloturee&kind=institution")
	page(closed, http.StatusOK)
	page(closed+"/agreement", http.StatusOK)
}
