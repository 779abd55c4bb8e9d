package browsertest

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestExportsPage checks the exports page for a mediator (no nominative
// option) and an administrator, with its column tables opened, and the
// error state of its form.
func TestExportsPage(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)
	for _, email := range []string{"mediation@demo.maillon.test", "admin@demo.maillon.test"} {
		ctx := newTab(t, browser)
		login(t, ctx, demoApp.URL, email)
		if st := open(t, ctx, demoApp.URL, "/exports"); st != http.StatusOK {
			t.Fatalf("%s: GET /exports: status %d", email, st)
		}
		// The column definitions are in <details>: open them so that axe
		// checks their tables too.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`)); err != nil {
			t.Fatal(err)
		}
		checkPage(t, ctx, "/exports as "+email)
		st, err := submitEmptied(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("%s: exports form submitted empty: status %d, want 422", email, st)
		}
		checkErrorState(t, ctx, "exports form as "+email)
		checkPage(t, ctx, "exports form in error as "+email)
	}
}
