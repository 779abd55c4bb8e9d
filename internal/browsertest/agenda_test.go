package browsertest

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAgendaPages opens every page of the agenda as the demo mediator,
// with axe at 1280 and 375 px and the 320 px overflow check: the week, a
// day, the team's week, an appointment and its card, a permanence, the
// form, and the error states of the form, of the attendance and of the
// cancellation of a session. The crawl of TestAccessibilityPages stops
// at 60 pages and may not reach them all.
func TestAgendaPages(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)
	ctx := newTab(t, browser)
	login(t, ctx, demoApp.URL, "mediation@demo.maillon.test")
	visit := func(path string) {
		t.Helper()
		if st := open(t, ctx, demoApp.URL, path); st != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, st)
		}
		checkPage(t, ctx, path)
	}
	eval := func(js string) string {
		t.Helper()
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return out
	}
	submit := func(label, js string) {
		t.Helper()
		resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](js))
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if resp.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", label, resp.Status)
			return
		}
		checkErrorState(t, ctx, label)
		checkPage(t, ctx, label+" (error state)")
	}

	visit("/agenda")
	team := eval(`(Array.from(document.querySelectorAll('#f-voir option')).find(o => o.value.startsWith('e')) || {value: ''}).value`)
	if team == "" {
		t.Fatal("no team to choose on the agenda page")
	}
	visit("/agenda?voir=" + team)
	// Links of the week, found before leaving it.
	visit("/agenda")
	appointment := eval(`(Array.from(document.querySelectorAll('main table a')).find(a => a.textContent.startsWith('Rendez-vous')) || {pathname: ''}).pathname`)
	permanence := eval(`(Array.from(document.querySelectorAll('main table a')).find(a => a.textContent.startsWith('Permanence')) || {pathname: ''}).pathname`)
	next := eval(`document.querySelector('a[rel="next"]').pathname + document.querySelector('a[rel="next"]').search`)
	if appointment == "" || permanence == "" {
		t.Fatalf("the demo mediator's week lacks an appointment (%q) or a permanence (%q)", appointment, permanence)
	}
	visit(next)
	visit("/agenda?vue=jour&date=2026-03-10")

	visit(appointment)
	visit(appointment + "/card")
	visit(appointment)
	submit("attendance without a choice", `(() => {
  const f = document.querySelector('main form[action$="/attendance"]');
  f.querySelectorAll('input[type=radio]').forEach(r => { r.checked = false; });
  HTMLFormElement.prototype.submit.call(f);
})()`)

	visit(permanence)
	submit("cancellation without a session", `(() => {
  const f = document.querySelector('main form[action$="/cancel"]');
  f.elements.day.selectedIndex = 0;
  HTMLFormElement.prototype.submit.call(f);
})()`)

	visit("/agenda/new")
	submit("empty agenda form", `(() => {
  const f = document.querySelector('main form[action="/agenda"]');
  f.querySelectorAll('input[type=text], input[type=date], input[type=time], textarea').forEach(i => { i.value = ''; });
  HTMLFormElement.prototype.submit.call(f);
})()`)

	visit(appointment + "/edit")
	submit("agenda edit form in error", `(() => {
  const f = document.querySelector('main form[action$="/edit"]');
  f.elements.end_time.value = '';
  f.elements.purpose.value = '';
  HTMLFormElement.prototype.submit.call(f);
})()`)
	// The person search, without JavaScript's help: a plain submission
	// with the "Chercher" button's name.
	visit("/agenda/new")
	resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.querySelector('main form[action="/agenda"]');
  f.elements.person_q.value = 'a';
  f.querySelector('button[name="search"]').click();
})()`))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("person search: %v %+v", err, resp)
	}
	checkPage(t, ctx, "agenda form with people found")
	visit(appointment + "/delete")
}
