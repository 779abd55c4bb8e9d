package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The journal of practice sits in the user menu, so the crawl of the whole
// navigation may stop before its inner pages: these walk it from its own
// pages, as the demo mediator (who has notes) and the coordination (who
// recorded the sessions and may change them).

var practiceRoles = []struct {
	email string
	want  []string // page shapes that must be reached
}{
	{"mediation@demo.maillon.test", []string{"/pratique", "/pratique/notes/new", "/pratique/notes/{n}", "/pratique/notes/{n}/edit",
		"/pratique/notes/{n}/delete", "/pratique/seances", "/pratique/seances/new"}},
	{"coordination@demo.maillon.test", []string{"/pratique", "/pratique/seances", "/pratique/seances/{n}/edit"}},
}

// checkPracticePages checks every page of the journal of practice with axe
// at both widths and for overflow at 320 px (part of TestAccessibilityPages).
func checkPracticePages(t *testing.T, browser context.Context, base string) {
	for _, role := range practiceRoles {
		ctx := newTab(t, browser)
		login(t, ctx, base, role.email)
		visited := crawlWithin(t, ctx, base, []string{"/pratique", "/pratique/seances"}, "/pratique", func(path string) {
			checkPage(t, ctx, role.email+" "+path)
		})
		checkShapes(t, role.email, visited, role.want)
	}
}

// checkPracticeForms submits the forms of the journal of practice emptied
// and checks their error state (part of TestFormErrorStates).
func checkPracticeForms(t *testing.T, browser context.Context, base string) {
	for _, role := range practiceRoles {
		ctx := newTab(t, browser)
		login(t, ctx, base, role.email)
		type target struct{ page, action string }
		var targets []target
		var pages []string
		seen := map[string]bool{}
		crawlWithin(t, ctx, base, []string{"/pratique", "/pratique/seances"}, "/pratique", func(page string) {
			pages = append(pages, page)
			forms, err := chromedp.Run(ctx, chromedp.Evaluate[[]postForm](formsJS))
			if err != nil {
				t.Fatalf("forms of %s: %v", page, err)
			}
			for _, f := range forms {
				sh := strings.TrimSuffix(shape(&url.URL{Path: f.Action}), "?")
				if f.Method != "post" || f.Texts == 0 || destructive.MatchString(f.Action) || seen[sh] ||
					!strings.HasPrefix(f.Action, "/pratique") {
					continue
				}
				seen[sh] = true
				targets = append(targets, target{page, f.Action})
			}
		})
		var shapes []string
		for sh := range seen {
			shapes = append(shapes, sh)
		}
		for _, want := range []string{"/pratique/notes", "/pratique/seances"} {
			if !seen[want] {
				t.Errorf("%s: no form posting to %s found (forms %v)", role.email, want, shapes)
			}
		}
		for _, tg := range targets {
			label := fmt.Sprintf("%s: form %s on %s", role.email, tg.action, tg.page)
			if st := open(t, ctx, base, tg.page); st != http.StatusOK {
				t.Fatalf("GET %s: status %d", tg.page, st)
			}
			forms, err := chromedp.Run(ctx, chromedp.Evaluate[[]postForm](formsJS))
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(forms, func(f postForm) bool { return f.Action == tg.action })
			if i < 0 {
				t.Fatalf("%s: form gone", label)
			}
			st, err := submitEmptied(ctx, forms[i].Index)
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
	}
}

func checkShapes(t *testing.T, who string, visited, want []string) {
	t.Helper()
	got := map[string]bool{}
	for _, p := range visited {
		u, err := url.Parse(p)
		if err == nil {
			got[strings.TrimSuffix(shape(u), "?")] = true
		}
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("%s: no page of shape %s reached (visited %v)", who, w, visited)
		}
	}
}
