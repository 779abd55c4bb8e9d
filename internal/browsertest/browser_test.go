package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"maillon/internal/demo"
	"maillon/internal/httpx"
	"maillon/internal/server"
	"maillon/internal/storetest"
	"maillon/internal/ui"
	"maillon/internal/web"
)

// Demo accounts, as in the demo dataset and on the login page.
const demoPassword = "maillon-demo-2026"

var demoRoles = []struct{ name, email string }{
	{"admin", "admin@demo.maillon.test"},
	{"coordination", "coordination@demo.maillon.test"},
	{"mediation", "mediation@demo.maillon.test"},
}

// requireBrowser reports whether a missing browser or axe-core fails the
// tests instead of skipping them.
func requireBrowser() bool { return os.Getenv("MAILLON_TEST_REQUIRE_BROWSER") == "1" }

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if requireBrowser() {
		t.Fatalf("%s (MAILLON_TEST_REQUIRE_BROWSER=1)", msg)
	}
	t.Skipf("browser test skipped: %s. bash .ci/run installs Chromium (Debian package chromium) and axe-core (npm ci) and runs it.", msg)
}

// chromiumPath finds the browser: MAILLON_CHROMIUM, then Debian's
// /usr/bin/chromium, then the usual names on PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("MAILLON_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("MAILLON_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found (/usr/bin/chromium, or set MAILLON_CHROMIUM)")
}

// repoRoot is the directory that holds go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

var axeOnce struct {
	sync.Once
	src string
	err error
}

// axeSource reads axe.min.js once.
func axeSource() (string, error) {
	axeOnce.Do(func() {
		p := os.Getenv("MAILLON_AXE_JS")
		if p == "" {
			root, err := repoRoot()
			if err != nil {
				axeOnce.err = err
				return
			}
			p = filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
		}
		b, err := os.ReadFile(p)
		if err != nil {
			axeOnce.err = fmt.Errorf("axe-core not found (%v): run npm ci at the repository root, or set MAILLON_AXE_JS", err)
			return
		}
		axeOnce.src = string(b)
	})
	return axeOnce.src, axeOnce.err
}

// app is one in-process Maillon instance on a fresh SQLite database.
type app struct {
	URL   string
	Clock *storetest.Clock // the store's and the handler's clock

	mu      sync.Mutex
	errors5 []string // requests answered with a 5xx status
	logs    bytes.Buffer
}

// startApp wires the application as cmd/maillon/serve.go does: store,
// optional demo dataset, renderer, web handler, global middleware.
func startApp(t *testing.T, withDemo bool) *app {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	svc := db.Services()
	if withDemo {
		if _, err := demo.Load(ctx, svc, demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
			t.Fatalf("demo dataset: %v", err)
		}
	}
	renderer, err := ui.New(ui.Options{})
	if err != nil {
		t.Fatalf("ui: %v", err)
	}
	a := &app{Clock: db.Clock}
	log := slog.New(slog.NewTextHandler(lockedWriter{&a.mu, &a.logs}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	metrics := httpx.NewMetrics()
	wh := web.New(svc, renderer, web.Options{
		Version: "test",
		Ping:    db.Ping,
		Metrics: metrics.Handler(),
		Logger:  log,
		Clock:   db.Clock.Now,
	})
	h := server.Handler(wh, server.Options{MaxBodyBytes: 1 << 20, Logger: log, Metrics: metrics})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status >= 500 {
			a.mu.Lock()
			a.errors5 = append(a.errors5, fmt.Sprintf("%s %s → %d", r.Method, r.URL.RequestURI(), sw.status))
			a.mu.Unlock()
		}
	}))
	a.URL = ts.URL
	t.Cleanup(func() {
		ts.Close()
		a.mu.Lock()
		defer a.mu.Unlock()
		if len(a.errors5) > 0 {
			t.Errorf("server errors during the test:\n  %s\nlog:\n%s", strings.Join(a.errors5, "\n  "), a.logs.String())
		}
	})
	return a
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// newBrowser starts headless Chromium for the test (or skips) and returns
// a context on which the browser already runs. Tabs made from it with
// newTab are isolated from each other (one BrowserContext each, so no
// shared cookies).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := chromiumPath()
	if err != nil {
		skipOrFail(t, "%v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // root in CI containers
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	timeout := 10 * time.Minute
	if d, ok := t.Deadline(); ok && time.Until(d) < timeout+30*time.Second {
		timeout = time.Until(d) - 30*time.Second
	}
	base, cancelBase := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(base, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		cancelBase()
	})
	if err := chromedp.Do(ctx); err != nil {
		if requireBrowser() {
			t.Fatalf("start %s: %v", path, err)
		}
		t.Skipf("browser test skipped: %s did not start: %v", path, err)
	}
	return ctx
}

// needAxe skips (or fails) the test when axe-core is missing.
func needAxe(t *testing.T) {
	t.Helper()
	if _, err := axeSource(); err != nil {
		skipOrFail(t, "%v", err)
	}
}

// newTab opens a tab in a fresh BrowserContext (its own cookies) at
// 1280×900.
func newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("new tab: %v", err)
	}
	return ctx
}

// stepTimeout bounds one page load or one axe run, so that a step that
// never ends (a key press that loads no page) fails the test quickly.
const stepTimeout = 60 * time.Second

// navigateBy runs an action that loads a new page (a form submission, a
// key press) and returns the response of that page.
func navigateBy(ctx context.Context, a chromedp.Action[chromedp.Void]) (*network.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	return chromedp.RunResponse(ctx, a)
}

// open navigates to base+path and returns the HTTP status of the final
// document.
func open(t *testing.T, ctx context.Context, base, path string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// location returns the path and query of the current page.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// login signs in through the login form, filled and submitted by script
// (the keyboard test does it with key events). Fields are found by name:
// their ids carry a prefix ("f-email").
func login(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	if st := open(t, ctx, base, "/login"); st != http.StatusOK {
		t.Fatalf("GET /login: status %d", st)
	}
	js := fmt.Sprintf(`(() => {
  const f = document.querySelector('main form[action="/login"]');
  f.elements.email.value = %s;
  f.elements.password.value = %s;
  HTMLFormElement.prototype.submit.call(f);
})()`, jsString(email), jsString(demoPassword))
	resp, err := navigateBy(ctx, chromedp.Evaluate[chromedp.Void](js))
	if err != nil {
		t.Fatalf("submit the login form: %v", err)
	}
	if resp.Status != http.StatusOK || location(t, ctx) != "/" {
		t.Fatalf("login as %s: status %d at %s, want 200 at /", email, resp.Status, location(t, ctx))
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// WCAG tags checked by axe.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n      - %s  %s", strings.Join(n.Target, " "), n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n        %s", strings.ReplaceAll(n.Summary, "\n", "\n        "))
		}
	}
	return b.String()
}

const axeRun = `(async () => {
  const r = await axe.run(document, {
    runOnly: {type: "tag", values: %s},
    resultTypes: ["violations"],
  });
  return r.violations.map(v => ({
    id: v.id, impact: v.impact || "", help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ""})),
  }));
})()`

// runAxe injects axe-core into the page if needed and returns the
// violations.
func runAxe(ctx context.Context) ([]axeViolation, error) {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !has {
		src, err := axeSource()
		if err != nil {
			return nil, err
		}
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;typeof window.axe === \"object\""))
		if err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
		if !ok {
			return nil, errors.New("inject axe-core: window.axe is missing")
		}
	}
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	return chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
}

// overflow describes the horizontal overflow of the page, if any.
type overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Culprits    []string `json:"culprits"`
}

const overflowCheck = `(() => {
  const de = document.documentElement;
  const cw = de.clientWidth;
  const culprits = [];
  if (de.scrollWidth > cw) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > cw + 1 && r.width > 0) {
        const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "";
        culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls + " (right edge " + Math.round(r.right) + " px)");
        if (culprits.length >= 8) break;
      }
    }
  }
  return {scrollWidth: de.scrollWidth, clientWidth: cw, culprits};
})()`

// checkPage runs axe at 1280 px and 375 px and checks that the page does
// not scroll horizontally at 320 px. It leaves the viewport at 1280 px.
func checkPage(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	for _, width := range []int64{1280, 375} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatalf("%s: viewport %d: %v", label, width, err)
		}
		vs, err := runAxe(ctx)
		if err != nil {
			t.Fatalf("%s: axe at %d px: %v", label, width, err)
		}
		for _, v := range vs {
			t.Errorf("%s at %d px: axe violation %s", label, width, v)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatalf("%s: viewport 320: %v", label, err)
	}
	o, err := chromedp.Run(ctx, chromedp.Evaluate[overflow](overflowCheck))
	if err != nil {
		t.Fatalf("%s: overflow check: %v", label, err)
	}
	if o.ScrollWidth > o.ClientWidth {
		t.Errorf("%s at 320 px: the page scrolls horizontally (scrollWidth %d > clientWidth %d); widest elements: %s",
			label, o.ScrollWidth, o.ClientWidth, strings.Join(o.Culprits, ", "))
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("%s: viewport 1280: %v", label, err)
	}
}

// crawlLimit bounds the pages one crawl visits; perShape bounds the pages
// that share a shape (numeric path segments and query values ignored), so
// that a long list of people or users does not use up the budget on one
// template.
const (
	crawlLimit = 100 // grows with the navigation: Territoire and Infos added 15 pages, the directory's edit and territory links 10, Rendre compte 15
	perShape   = 3
)

// shape is the template a URL probably renders: /admin/users/12?page=2
// becomes /admin/users/{n}?page.
func shape(u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i] = "{n}"
		}
	}
	keys := make([]string, 0, len(u.Query()))
	for k := range u.Query() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(segs, "/") + "?" + strings.Join(keys, "&")
}

// skipURL tells which same-origin links the crawl does not follow.
func skipURL(u *url.URL) bool {
	p := u.Path
	return p == "/logout" || strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/metrics" ||
		strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".ics") || u.Query().Has("format")
}

// links lists the targets of the links of the navigation (header menus,
// breadcrumb) and of <main>.
const linksJS = `Array.from(document.querySelectorAll("header nav a[href], main a[href]")).map(a => a.href)`

// crawl visits every same-origin page reachable from start through the
// navigation and links in <main>, at most crawlLimit pages, and calls
// visit on each (the browser then shows that page). It returns the list of
// visited pages.
func crawl(t *testing.T, ctx context.Context, base string, start []string, visit func(path string)) []string {
	t.Helper()
	return crawlWithin(t, ctx, base, start, "", visit)
}

// crawlWithin is crawl restricted to the paths starting with prefix (all
// when empty): a module's own pages, which a crawl of the whole navigation
// may not reach before its limit as modules are added.
func crawlWithin(t *testing.T, ctx context.Context, base string, start []string, prefix string, visit func(path string)) []string {
	t.Helper()
	origin, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	queue := slices.Clone(start)
	seen := map[string]bool{}
	shapes := map[string]int{}
	for _, s := range start {
		seen[s] = true
	}
	var visited []string
	for len(queue) > 0 && len(visited) < crawlLimit {
		path := queue[0]
		queue = queue[1:]
		st := open(t, ctx, base, path)
		if st != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200 (the link is shown to this user)", path, st)
			continue
		}
		visited = append(visited, path)
		if visit != nil {
			visit(path)
		}
		hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](linksJS))
		if err != nil {
			t.Fatalf("links of %s: %v", path, err)
		}
		for _, h := range hrefs {
			u, err := url.Parse(h)
			if err != nil || u.Host != origin.Host || u.Scheme != origin.Scheme || skipURL(u) {
				continue
			}
			u.Fragment = ""
			p := u.RequestURI()
			if seen[p] || !strings.HasPrefix(p, prefix) {
				continue
			}
			seen[p] = true
			sh := shape(u)
			if shapes[sh] >= perShape {
				continue
			}
			shapes[sh]++
			queue = append(queue, p)
		}
	}
	if len(queue) > 0 {
		t.Logf("crawl stopped at %d pages; not visited: %s", crawlLimit, strings.Join(queue, " "))
	}
	return visited
}
