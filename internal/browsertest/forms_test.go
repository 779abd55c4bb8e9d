package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// postForm describes a form of the page shown, as formsJS reports it.
type postForm struct {
	Index  int    `json:"index"`
	Action string `json:"action"` // path
	Method string `json:"method"`
	Texts  int    `json:"texts"` // text-like fields
}

const textFields = `input:not([type]), input[type=text], input[type=email], input[type=password], input[type=tel], ` +
	`input[type=number], input[type=date], input[type=time], input[type=url], input[type=search], textarea`

var formsJS = `Array.from(document.querySelectorAll("main form")).map((f, i) => ({
  index: i,
  action: new URL(f.getAttribute("action") || location.href, location.href).pathname,
  method: (f.getAttribute("method") || "get").toLowerCase(),
  texts: f.querySelectorAll("` + textFields + `").length,
}))`

// destructive matches the actions whose forms the test does not submit:
// they delete, deactivate, reset or end sessions, and have no error state.
var destructive = regexp.MustCompile(`/(logout|logout-everywhere|delete|deactivate|reactivate|reset-password)$`)

// submitEmptied empties the text fields of the form at index and submits
// it, bypassing the browser's own validation (the server's error state is
// what is tested), and returns the status of the page that comes back.
func submitEmptied(ctx context.Context, index int) (int64, error) {
	js := fmt.Sprintf(`(() => {
  const f = document.querySelectorAll("main form")[%d];
  for (const el of f.querySelectorAll(%s)) el.value = "";
  f.noValidate = true;
  HTMLFormElement.prototype.submit.call(f);
})()`, index, jsString(textFields))
	resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](js))
	if err != nil {
		return 0, err
	}
	return resp.Status, nil
}

// errorState checks the error pattern of a form page: a focused error
// summary whose links lead to fields marked aria-invalid, each described
// by its message.
type errorState struct {
	Summary  bool     `json:"summary"`
	Focused  bool     `json:"focused"`
	Links    int      `json:"links"`
	Problems []string `json:"problems"`
}

const errorStateJS = `(() => {
  const s = document.querySelector("[data-error-summary]");
  const out = {summary: !!s, focused: !!s && document.activeElement === s, links: 0, problems: []};
  if (!s) return out;
  for (const a of s.querySelectorAll("a[href^='#']")) {
    out.links++;
    const id = decodeURIComponent(a.getAttribute("href").slice(1));
    const el = document.getElementById(id);
    if (!el) { out.problems.push("summary link #" + id + " leads nowhere"); continue; }
    const field = el.matches("fieldset") ? el.querySelector("input, select, textarea") : el;
    if (!field || field.getAttribute("aria-invalid") !== "true") out.problems.push("#" + id + " is not aria-invalid");
    const described = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!described.some(d => { const m = document.getElementById(d); return m && m.classList.contains("field-error"); }))
      out.problems.push("#" + id + " is not described by its error message");
  }
  return out;
})()`

func checkErrorState(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	es, err := chromedp.Run(ctx, chromedp.Evaluate[errorState](errorStateJS))
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	switch {
	case !es.Summary:
		t.Errorf("%s: no error summary ([data-error-summary]) on the page", label)
	case es.Links == 0:
		t.Errorf("%s: the error summary links to no field", label)
	case !es.Focused:
		t.Errorf("%s: the error summary does not have the focus", label)
	}
	for _, p := range es.Problems {
		t.Errorf("%s: %s", label, p)
	}
}

// TestFormErrorStates submits every form of the administration and account
// pages with its text fields empty, expects the 422 error state (error
// summary, fields marked invalid) and checks it like any page; also the
// failed login and the set-up form.
func TestFormErrorStates(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)

	t.Run("admin", func(t *testing.T) {
		ctx := newTab(t, browser)
		login(t, ctx, demoApp.URL, "admin@demo.maillon.test")
		// Pages with forms to test, by form action shape.
		type target struct {
			page   string
			form   postForm
			action string
		}
		var targets []target
		seen := map[string]bool{}
		crawl(t, ctx, demoApp.URL, []string{"/"}, func(page string) {
			forms, err := chromedp.Run(ctx, chromedp.Evaluate[[]postForm](formsJS))
			if err != nil {
				t.Fatalf("forms of %s: %v", page, err)
			}
			for _, f := range forms {
				if f.Method != "post" || f.Texts == 0 || destructive.MatchString(f.Action) {
					continue
				}
				sh := shape(&url.URL{Path: f.Action})
				if seen[sh] {
					continue
				}
				seen[sh] = true
				targets = append(targets, target{page, f, f.Action})
			}
		})
		var actions []string
		for _, tg := range targets {
			actions = append(actions, tg.action)
		}
		t.Logf("forms tested: %s", strings.Join(actions, " "))
		for _, want := range []string{"/admin/structure", "/admin/teams", "/admin/users", "/account/password"} {
			if !slices.Contains(actions, want) {
				t.Errorf("the crawl found no form posting to %s", want)
			}
		}
		for _, tg := range targets {
			label := fmt.Sprintf("form %s on %s", tg.action, tg.page)
			if st := open(t, ctx, demoApp.URL, tg.page); st != http.StatusOK {
				t.Fatalf("GET %s: status %d", tg.page, st)
			}
			st, err := submitEmptied(ctx, tg.form.Index)
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
	})

	t.Run("journal de pratique", func(t *testing.T) {
		checkPracticeForms(t, browser, demoApp.URL)
	})

	t.Run("login", func(t *testing.T) {
		ctx := newTab(t, browser)
		open(t, ctx, demoApp.URL, "/login")
		st, err := submitEmptied(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if st != http.StatusUnprocessableEntity && st != http.StatusUnauthorized {
			t.Errorf("empty login: status %d, want 422 or 401", st)
		}
		checkErrorState(t, ctx, "empty login")
		checkPage(t, ctx, "empty login (error state)")

		open(t, ctx, demoApp.URL, "/login")
		js := `(() => {
  const f = document.querySelector('main form[action="/login"]');
  f.elements.email.value = "admin@demo.maillon.test";
  f.elements.password.value = "pas-le-bon-mot-de-passe";
  HTMLFormElement.prototype.submit.call(f);
})()`
		resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](js))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != http.StatusUnauthorized {
			t.Errorf("wrong password: status %d, want 401", resp.Status)
		}
		if loc := location(t, ctx); loc != "/login" {
			t.Errorf("wrong password: at %s, want /login", loc)
		}
		checkErrorState(t, ctx, "wrong password")
		// The e-mail is kept, the password is not.
		kept, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(f => [f.elements.email.value, f.elements.password.value])(document.querySelector('main form[action="/login"]'))`))
		if err != nil {
			t.Fatalf("wrong password: read the fields: %v", err)
		}
		if kept[0] != "admin@demo.maillon.test" || kept[1] != "" {
			t.Errorf("wrong password: fields hold %q, want the e-mail kept and the password empty", kept)
		}
		checkPage(t, ctx, "wrong password (error state)")
	})

	t.Run("setup", func(t *testing.T) {
		empty := startApp(t, false)
		ctx := newTab(t, browser)
		if st := open(t, ctx, empty.URL, "/setup"); st != http.StatusOK {
			t.Fatalf("GET /setup: status %d", st)
		}
		st, err := submitEmptied(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if st != http.StatusUnprocessableEntity {
			t.Errorf("empty set-up form: status %d, want 422", st)
		}
		checkErrorState(t, ctx, "empty set-up form")
		checkPage(t, ctx, "empty set-up form (error state)")
	})
}

// TestChecksFindFaults is the negative control of checkPage: axe, as the
// tests run it, reports the faults of a deliberately broken page, the
// viewport really narrows, and the overflow check sees a page wider than
// 320 px. Without it a broken injection, a wrong tag list or an ignored
// viewport would let every page pass.
func TestChecksFindFaults(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Page fautive</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<main><h1>Page fautive</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">
<p style="color:#bbb;background:#fff">Texte trop pâle</p>
<div style="width:400px">Bloc de largeur fixe</div></main></body></html>`)
	}))
	t.Cleanup(ts.Close)
	ctx := newTab(t, browser)
	open(t, ctx, ts.URL, "/")
	vs, err := runAxe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label", "color-contrast"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s on a page that breaks it; it reported %v", want, ids)
		}
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if width != 320 {
		t.Errorf("after EmulateViewport(320): innerWidth %d", width)
	}
	o, err := chromedp.Run(ctx, chromedp.Evaluate[overflow](overflowCheck))
	if err != nil {
		t.Fatal(err)
	}
	if o.ScrollWidth <= o.ClientWidth || len(o.Culprits) == 0 {
		t.Errorf("the overflow check missed a 400 px block at 320 px: %+v", o)
	}
}
