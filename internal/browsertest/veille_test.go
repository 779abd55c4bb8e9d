package browsertest

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestVeilleFormErrorStates submits every form of the veille sociale with
// its text fields empty, as the coordination of the demo: the crawl of
// TestFormErrorStates stops before reaching most of them. Each must come
// back 422 with the error pattern and no axe violation.
func TestVeilleFormErrorStates(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)
	ctx := newTab(t, browser)
	login(t, ctx, demoApp.URL, "coordination@demo.maillon.test")

	// A record of each kind still open, from its list.
	first := func(list, prefix string) string {
		t.Helper()
		if st := open(t, ctx, demoApp.URL, list); st != http.StatusOK {
			t.Fatalf("GET %s: status %d", list, st)
		}
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main table a[href^="`+prefix+`"]') || {}).getAttribute?.("href") || ""`))
		if err != nil || href == "" {
			t.Fatalf("no record in %s: %q, %v", list, href, err)
		}
		return href
	}
	pages := []string{
		"/veille/observations/new", "/veille/reseaux/new", "/veille/technique/new", "/veille/remontees",
		first("/veille?status=nouvelle", "/veille/observations/") + "/edit",
		first("/veille/reseaux?status=signale", "/veille/reseaux/"),
		first("/veille/technique?status=signale", "/veille/technique/"),
	}
	for _, page := range pages {
		if st := open(t, ctx, demoApp.URL, page); st != http.StatusOK {
			t.Fatalf("GET %s: status %d", page, st)
		}
		forms, err := chromedp.Run(ctx, chromedp.Evaluate[[]postForm](formsJS))
		if err != nil {
			t.Fatalf("forms of %s: %v", page, err)
		}
		tested := 0
		for _, f := range forms {
			if f.Method != "post" || f.Texts == 0 {
				continue
			}
			if tested > 0 {
				open(t, ctx, demoApp.URL, page)
			}
			tested++
			label := "form " + f.Action + " on " + page
			st, err := submitEmptied(ctx, f.Index)
			if err != nil {
				t.Fatalf("%s: submit: %v", label, err)
			}
			if st != http.StatusUnprocessableEntity {
				t.Errorf("%s: submitted empty, status %d, want 422", label, st)
				continue
			}
			checkErrorState(t, ctx, label)
			checkPage(t, ctx, label+" (error state)")
		}
		if tested == 0 {
			t.Errorf("%s: no form with text fields", page)
		}
	}
}
