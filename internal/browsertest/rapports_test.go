package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReportPages checks the pages of "Rendre compte" in the browser with
// axe: the index, the activity report with its charts (their text
// alternatives and data tables) internal and shared outside, its filter
// form in error, the dashboard of each role, the report templates (list,
// edit form and its error state, the template's report).
func TestReportPages(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)
	page := func(ctx context.Context, path string, status int64) {
		t.Helper()
		if st := open(t, ctx, demoApp.URL, path); st != status {
			t.Fatalf("GET %s: status %d, want %d", path, st, status)
		}
		checkPage(t, ctx, path)
	}
	for _, email := range []string{"mediation@demo.maillon.test", "coordination@demo.maillon.test"} {
		ctx := newTab(t, browser)
		login(t, ctx, demoApp.URL, email)
		page(ctx, "/tableau-de-bord", http.StatusOK)
		page(ctx, "/rapports/activite?period=month&month=2026-02", http.StatusOK)
	}

	ctx := newTab(t, browser)
	login(t, ctx, demoApp.URL, "admin@demo.maillon.test")
	page(ctx, "/rapports", http.StatusOK)
	page(ctx, "/tableau-de-bord", http.StatusOK)
	page(ctx, "/rapports/activite?period=year&year=2025", http.StatusOK)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main svg[role="img"] title').length`))
	if err != nil || n < 10 {
		t.Errorf("the annual report draws %d charts (%v)", n, err)
	}
	page(ctx, "/rapports/activite?period=month&month=2026-02&external=on", http.StatusOK)
	page(ctx, "/rapports/activite?period=month&month=2026-13", http.StatusUnprocessableEntity)
	checkErrorState(t, ctx, "report filters in error")

	// Templates: copy an example, edit it, then its report.
	page(ctx, "/rapports/modeles", http.StatusOK)
	if _, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("main form button[type=submit]").click()`)); err != nil {
		t.Fatal(err)
	}
	edit := location(t, ctx)
	checkPage(t, ctx, edit)
	i, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("main form")).findIndex(f => f.querySelector("[name=title]"))`))
	if err != nil || i < 0 {
		t.Fatalf("no template form on %s (%v)", edit, err)
	}
	st, err := submitEmptied(ctx, i)
	if err != nil {
		t.Fatal(err)
	}
	if st != http.StatusUnprocessableEntity {
		t.Errorf("template form submitted empty: status %d", st)
	} else {
		checkErrorState(t, ctx, "template form")
		checkPage(t, ctx, "template form (error state)")
	}
	show := edit[:len(edit)-len("/edit")]
	page(ctx, fmt.Sprintf("%s?period=year&year=2025", show), http.StatusOK)
}
