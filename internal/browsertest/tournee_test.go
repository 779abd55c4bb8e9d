package browsertest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTourneeCounters starts a tournée in the browser and counts with the
// script on: the number changes in place, without loading a page, is
// announced, and is stored. The counter screen and the coordination's
// alert pass axe and fit 320 px.
func TestTourneeCounters(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)

	t.Run("mediation", func(t *testing.T) {
		ctx := newTab(t, browser)
		login(t, ctx, demoApp.URL, "mediation@demo.maillon.test")
		if st := open(t, ctx, demoApp.URL, "/tournees/new"); st != http.StatusOK {
			t.Fatalf("GET /tournees/new: status %d", st)
		}
		// A quartier and a second member; the mediator is pre-selected.
		js := `(() => {
  const f = document.querySelector('main form[action="/tournees"]');
  f.elements.zone_id.selectedIndex = 1;
  const others = Array.from(f.querySelectorAll('input[name="members"]')).filter(c => !c.checked);
  others[0].checked = true;
  HTMLFormElement.prototype.submit.call(f);
})()`
		resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](js))
		if err != nil {
			t.Fatal(err)
		}
		page := location(t, ctx)
		if resp.Status != http.StatusOK || !strings.HasPrefix(page, "/tournees/") {
			t.Fatalf("start a tournée: status %d at %s", resp.Status, page)
		}
		checkPage(t, ctx, "counter screen")
		// Mark the document: a page load would lose the mark.
		click := `(() => {
  window.__stay = true;
  document.querySelector('#c-contacts form:last-of-type button').click();
})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](click)); err != nil {
			t.Fatal(err)
		}
		var value, status string
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.querySelector('[data-counter-value="contacts"]').textContent,
  document.querySelector('[data-counter-status]').textContent, String(window.__stay === true)]`))
			if err != nil {
				t.Fatal(err)
			}
			value, status = got[0], got[1]
			if got[2] != "true" {
				t.Fatalf("the + button loaded a page: the script did not take over")
			}
			if value == "1" {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if value != "1" || status != "Contacts établis : 1" {
			t.Fatalf("after +: value %q, announcement %q", value, status)
		}
		if st := open(t, ctx, demoApp.URL, page); st != http.StatusOK {
			t.Fatalf("reload: %d", st)
		}
		stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-counter-value="contacts"]').textContent`))
		if err != nil || stored != "1" {
			t.Errorf("stored value %q, %v", stored, err)
		}
	})

	t.Run("coordination alert", func(t *testing.T) {
		// The demo's lone home visit is overdue a few minutes after
		// loading.
		demoApp.Clock.Advance(5 * time.Minute)
		ctx := newTab(t, browser)
		login(t, ctx, demoApp.URL, "coordination@demo.maillon.test")
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.alert-block') || {textContent: ""}).textContent`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "Yacine Haddad") || !strings.Contains(text, "de retard") {
			t.Fatalf("alert block: %q", text)
		}
		checkPage(t, ctx, "coordination home with an overdue check-in")
	})
}
