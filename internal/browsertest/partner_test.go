package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPartnerLinkPage checks the public page of a partner link, which no
// crawl reaches: a mediator makes a link on a demo orientation, then an
// anonymous tab opens it, sends an empty answer (error state), answers,
// and sees the "already answered" page; an unknown link gives its own
// page. Every state passes axe and the 320 px check.
func TestPartnerLinkPage(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)

	ctx := newTab(t, browser)
	login(t, ctx, demoApp.URL, "admin@demo.maillon.test")
	if st := open(t, ctx, demoApp.URL, "/orientations?status=proposee"); st != http.StatusOK {
		t.Fatalf("GET /orientations: status %d", st)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main table a[href^="/orientations/"]') || {}).getAttribute?.("href") || ""`))
	if err != nil || href == "" {
		t.Fatalf("no proposed orientation in the demo: %q, %v", href, err)
	}
	if st := open(t, ctx, demoApp.URL, href); st != http.StatusOK {
		t.Fatalf("GET %s: status %d", href, st)
	}
	resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.querySelector('main form[action$="/link"]');
  f.elements.days.value = "30";
  HTMLFormElement.prototype.submit.call(f);
})()`))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("create the link: %v, %+v", err, resp)
	}
	checkPage(t, ctx, "orientation with its new link")
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("partner-link").value`))
	if err != nil || !strings.Contains(link, "/p/o/") {
		t.Fatalf("link shown: %q, %v", link, err)
	}
	path := link[strings.Index(link, "/p/o/"):]

	partner := newTab(t, browser)
	if st := open(t, partner, demoApp.URL, path); st != http.StatusOK {
		t.Fatalf("GET the partner page: status %d", st)
	}
	checkPage(t, partner, "partner page")
	st, err := submitEmptied(partner, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st != http.StatusUnprocessableEntity {
		t.Errorf("empty answer: status %d, want 422", st)
	}
	checkErrorState(t, partner, "partner page, empty answer")
	checkPage(t, partner, "partner page (error state)")
	resp, err = navigateBy(partner, chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.querySelector('main form');
  f.querySelector('input[name="answer"][value="prise_en_charge"]').checked = true;
  HTMLFormElement.prototype.submit.call(f);
})()`))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("answer: %v, %+v", err, resp)
	}
	checkPage(t, partner, "partner page, answered")
	if st := open(t, partner, demoApp.URL, "/p/o/"+strings.Repeat("x", 43)); st != http.StatusNotFound {
		t.Errorf("unknown link: status %d, want 404", st)
	}
	checkPage(t, partner, "partner page, unknown link")
}
