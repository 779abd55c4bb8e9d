package browsertest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestActivitePages checks every page of the collective actions and the
// error state of each of their forms: the list (and a filter in error),
// the project form, a running project with its forms, a session with its
// registration, attendance, link and paper-answer forms, the printable
// sign-in sheet, poster and questionnaire, the evaluation and the bilan;
// then the public questionnaire, in every state, at every width.
func TestActivitePages(t *testing.T) {
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
	first := func(listPath, prefix string) string {
		t.Helper()
		page(listPath, http.StatusOK)
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`(document.querySelector('main table a[href^=%q]') || {}).getAttribute?.("href") || ""`, prefix)))
		if err != nil || href == "" {
			t.Fatalf("no link %s on %s: %q, %v", prefix, listPath, href, err)
		}
		return href
	}
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

	page("/activites", http.StatusOK)
	page("/activites?status=perdue", http.StatusUnprocessableEntity)
	checkErrorState(t, ctx, "activites filter in error")
	submit("/activites/new", "[name=title]")

	running := first("/activites?status=en_cours", "/activites/")
	for _, field := range []string{"objective_label", "partner_role", "funder", "what", "reason"} {
		submit(running, "[name="+field+"]")
	}
	submit(running+"/edit", "[name=title]")
	submit(running+"/seances/new", "[name=place]")
	page(running+"/evaluation", http.StatusOK)
	page(running+"/bilan", http.StatusOK)

	// The last session of the running project, still to come.
	page(running, http.StatusOK)
	session, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll('section[aria-labelledby="seances"] a[href*="/seances/"]')).map(a => a.getAttribute("href")).pop() || ""`))
	if err != nil || session == "" {
		t.Fatalf("no session on %s: %v", running, err)
	}
	submit(session, "[name=reg_count]")
	submit(session+"/edit", "[name=place]")
	for _, p := range []string{"/emargement", "/affiche", "/questionnaire"} {
		page(session+p, http.StatusOK)
	}
	page(first("/activites?status=evaluee", "/activites/")+"/bilan", http.StatusOK)

	// The questionnaire's public link, made on the session page.
	page(session, http.StatusOK)
	resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.querySelector('main form[action$="/lien"]');
  f.elements.days.value = "7";
  HTMLFormElement.prototype.submit.call(f);
})()`))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("create the link: %v, %+v", err, resp)
	}
	checkPage(t, ctx, "session with its new link")
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("questionnaire-link").getAttribute("href")`))
	if err != nil || !strings.Contains(link, "/q/") {
		t.Fatalf("link shown: %q, %v", link, err)
	}
	path := link[strings.Index(link, "/q/"):]

	public := newTab(t, browser)
	if st := open(t, public, demoApp.URL, path); st != http.StatusOK {
		t.Fatalf("GET the questionnaire: status %d", st)
	}
	checkPage(t, public, "public questionnaire")
	st, err := submitEmptied(public, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st != http.StatusUnprocessableEntity {
		t.Errorf("empty questionnaire: status %d, want 422", st)
	}
	checkErrorState(t, public, "public questionnaire, empty")
	checkPage(t, public, "public questionnaire (error state)")
	resp, err = navigateBy(public, chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.querySelector('main form');
  f.querySelector('input[name="q1"][value="4"]').checked = true;
  HTMLFormElement.prototype.submit.call(f);
})()`))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("answer: %v, %+v", err, resp)
	}
	checkPage(t, public, "public questionnaire, thanks")
	if st := open(t, public, demoApp.URL, "/q/"+strings.Repeat("x", 43)); st != http.StatusNotFound {
		t.Errorf("unknown link: status %d, want 404", st)
	}
	checkPage(t, public, "public questionnaire, unknown link")
}
