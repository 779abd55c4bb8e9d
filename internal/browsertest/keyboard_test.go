package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused describes document.activeElement.
type focused struct {
	Tag     string `json:"tag"`
	Name    string `json:"name"`
	Class   string `json:"class"`
	Href    string `json:"href"`
	Text    string `json:"text"`
	InNav   bool   `json:"inNav"`   // a link of the main navigation
	Current bool   `json:"current"` // aria-current
	Visible bool   `json:"visible"` // has a visible focus indicator
	Main    bool   `json:"main"`    // the <main> element
}

func (f focused) String() string {
	s := "<" + f.Tag
	if f.Name != "" {
		s += ` name="` + f.Name + `"`
	}
	if f.Href != "" {
		s += ` href="` + f.Href + `"`
	}
	return s + "> " + strings.TrimSpace(f.Text)
}

const focusedJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: "body"};
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
  return {
    tag: e.tagName.toLowerCase(), name: e.getAttribute("name") || "", class: e.className || "",
    href: e.getAttribute("href") || "", text: (e.innerText || e.value || "").slice(0, 60),
    inNav: !!e.closest("nav.main-nav") && e.tagName === "A",
    current: e.getAttribute("aria-current") === "page",
    visible: e.matches(":focus-visible") && (outline || s.boxShadow !== "none"),
    main: e.tagName === "MAIN",
  };
})()`

// TestKeyboardOnly logs in, moves through the page, follows a link of the
// main navigation and logs out with key events only: no click, no script
// that changes the page.
func TestKeyboardOnly(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, true)
	ctx := newTab(t, browser)

	focus := func() focused {
		t.Helper()
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focused](focusedJS))
		if err != nil {
			t.Fatalf("read the focus: %v", err)
		}
		return f
	}
	key := func(keys string, opts ...chromedp.KeyOption) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(keys, opts...)); err != nil {
			t.Fatalf("key %q: %v", keys, err)
		}
	}
	// tab presses Tab (Shift+Tab when back) until match holds, at most
	// limit times; every element reached must show its focus.
	tab := func(what string, back bool, limit int, match func(focused) bool) focused {
		t.Helper()
		var path []string
		for range limit {
			if back {
				key(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
			} else {
				key(kb.Tab)
			}
			f := focus()
			path = append(path, f.String())
			if f.Tag != "body" && !f.Visible {
				t.Errorf("%s has the keyboard focus but no visible focus indicator", f)
			}
			if match(f) {
				t.Logf("%s reached: %s", what, strings.Join(path, " → "))
				return f
			}
		}
		t.Fatalf("%s not reached in %d presses of Tab; focus went through:\n  %s", what, limit, strings.Join(path, "\n  "))
		return focused{}
	}
	// enter presses Enter and waits for the page it loads.
	enter := func(what string) int64 {
		t.Helper()
		resp, err := navigateBy(ctx, chromedp.KeyEvent(kb.Enter))
		if err != nil {
			t.Fatalf("Enter on %s: %v", what, err)
		}
		return resp.Status
	}

	// Log in.
	if st := open(t, ctx, a.URL, "/login"); st != http.StatusOK {
		t.Fatalf("GET /login: status %d", st)
	}
	first := tab("the first focusable element", false, 1, func(focused) bool { return true })
	if !strings.Contains(first.Class, "skip-link") || first.Href != "#contenu" {
		t.Errorf("the first Tab on /login focuses %s, want the skip link", first)
	}
	tab("the e-mail field", false, 10, func(f focused) bool { return f.Name == "email" })
	key("admin@demo.maillon.test")
	if f := tab("the password field", false, 1, func(focused) bool { return true }); f.Name != "password" {
		t.Fatalf("Tab from the e-mail field goes to %s, want the password field", f)
	}
	key(demoPassword)
	if st := enter("the password field"); st != http.StatusOK {
		t.Fatalf("login by keyboard: status %d", st)
	}
	if loc := location(t, ctx); loc != "/" {
		t.Fatalf("login by keyboard: at %s, want /", loc)
	}

	// From the top of the home page: skip link first, and it works.
	first = tab("the first focusable element", false, 1, func(focused) bool { return true })
	if !strings.Contains(first.Class, "skip-link") || first.Href != "#contenu" {
		t.Fatalf("the first Tab on / focuses %s, want the skip link", first)
	}
	key(kb.Enter)
	if f := focus(); !f.Main {
		t.Errorf("Enter on the skip link moves the focus to %s, want <main>", f)
	}

	// Back up to a link of the main navigation (it sits just before
	// <main>) and follow it.
	link := tab("a link of the main navigation", true, 15, func(f focused) bool { return f.InNav && !f.Current })
	if st := enter(link.String()); st != http.StatusOK {
		t.Fatalf("following %s: status %d", link, st)
	}
	if loc := location(t, ctx); loc != link.Href {
		t.Fatalf("following %s: at %s", link, loc)
	}

	// Log out: from the top of the new page to the logout button.
	tab("the logout button", false, 15, func(f focused) bool {
		return f.Tag == "button" && strings.TrimSpace(f.Text) == "Se déconnecter"
	})
	if st := enter("the logout button"); st != http.StatusOK {
		t.Fatalf("logout by keyboard: status %d", st)
	}
	if loc := location(t, ctx); loc != "/login" {
		t.Fatalf("logout by keyboard: at %s, want /login", loc)
	}
	loggedOut, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`!document.querySelector(".user-menu") && !!document.querySelector('main form[action="/login"]')`))
	if err != nil {
		t.Fatal(err)
	}
	if !loggedOut {
		t.Errorf("after logout the page still shows a user menu or no login form")
	}
	// The session is gone: the home page sends back to the login page.
	open(t, ctx, a.URL, "/")
	if loc := location(t, ctx); !strings.HasPrefix(loc, "/login") {
		t.Errorf("after logout GET / ends at %s, want the login page", loc)
	}
}
