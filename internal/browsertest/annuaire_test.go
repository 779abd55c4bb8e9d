package browsertest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAnnuaireFormErrorStates submits the directory's editing forms with
// their text fields emptied, as the demo's administrator: the upload page,
// a new structure, a structure's and a service's edit forms, a new service
// and the freshness thresholds. Each must come back 422 with the error
// pattern and no axe violation; the pages themselves pass axe too.
func TestAnnuaireFormErrorStates(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)
	ctx := newTab(t, browser)
	login(t, ctx, demoApp.URL, "admin@demo.maillon.test")

	if st := open(t, ctx, demoApp.URL, "/annuaire"); st != http.StatusOK {
		t.Fatalf("GET /annuaire: status %d", st)
	}
	structure, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main table a[href^="/annuaire/structures/"]') || {}).getAttribute?.("href") || ""`))
	if err != nil || structure == "" {
		t.Fatalf("no structure in the demo directory: %q, %v", structure, err)
	}
	if st := open(t, ctx, demoApp.URL, structure); st != http.StatusOK {
		t.Fatalf("GET %s: status %d", structure, st)
	}
	service, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main a[href^="/annuaire/services/"]') || {}).getAttribute?.("href") || ""`))
	if err != nil || service == "" {
		t.Fatalf("no service on %s: %q, %v", structure, service, err)
	}

	// The upload page, then its form without a file.
	if st := open(t, ctx, demoApp.URL, "/annuaire/import"); st != http.StatusOK {
		t.Fatalf("GET /annuaire/import: status %d", st)
	}
	checkPage(t, ctx, "annuaire import")
	resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](`HTMLFormElement.prototype.submit.call(document.querySelector('main form[action="/annuaire/import"]'))`))
	if err != nil || resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("import without a file: %v, %+v", err, resp)
	}
	checkErrorState(t, ctx, "annuaire import without a file")
	checkPage(t, ctx, "annuaire import (error state)")

	for _, page := range []string{"/annuaire/structures/new", structure + "/edit", structure + "/services/new", service, "/annuaire/revue"} {
		if st := open(t, ctx, demoApp.URL, page); st != http.StatusOK {
			t.Fatalf("GET %s: status %d", page, st)
		}
		checkPage(t, ctx, page)
		forms, err := chromedp.Run(ctx, chromedp.Evaluate[[]postForm](formsJS))
		if err != nil {
			t.Fatalf("forms of %s: %v", page, err)
		}
		tested := 0
		for _, f := range forms {
			if f.Method != "post" || f.Texts == 0 || destructive.MatchString(f.Action) {
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

// TestAnnuaireSearchAsYouType checks the optional script of the
// orientation form: typing in the directory search lists services
// without pressing the button.
func TestAnnuaireSearchAsYouType(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)
	ctx := newTab(t, browser)
	login(t, ctx, demoApp.URL, "mediation@demo.maillon.test")
	if st := open(t, ctx, demoApp.URL, "/orientations/new"); st != http.StatusOK {
		t.Fatalf("GET /orientations/new: status %d", st)
	}
	if _, err := chromedp.Run(ctx, chromedp.SendKeys("#annuaire-q", "aide")); err != nil {
		t.Fatal(err)
	}
	var links int
	for range 50 {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-annuaire-results] a[href^="/orientations/new?"]').length`))
		if err != nil {
			t.Fatal(err)
		}
		if links = n; links > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if links == 0 {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-annuaire-results]').textContent`))
		t.Fatalf("no result while typing: %q", strings.TrimSpace(text))
	}
	if loc := location(t, ctx); strings.Contains(loc, "annuaire_q") {
		t.Errorf("the page was reloaded: %s", loc)
	}
	checkPage(t, ctx, "orientation form with results typed")
}
