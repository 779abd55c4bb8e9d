package ui_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"maillon"
	"maillon/internal/ui"
)

// spyWriter is an http.ResponseWriter that records everything done to it.
type spyWriter struct {
	header      http.Header
	status      int
	body        strings.Builder
	headerCalls int
}

func newSpy() *spyWriter { return &spyWriter{header: http.Header{}} }

func (w *spyWriter) Header() http.Header { w.headerCalls++; return w.header }
func (w *spyWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *spyWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// assertUntouched fails when anything reached the response.
func (w *spyWriter) assertUntouched(t *testing.T) {
	t.Helper()
	if w.status != 0 || w.body.Len() != 0 || len(w.header) != 0 {
		t.Fatalf("response touched: status %d, headers %v, %d bytes: %q", w.status, w.header, w.body.Len(), w.body.String())
	}
}

// page mirrors the fields the layout reads (web.Page) for a test view.
type page struct {
	Title         string
	Section       string
	User          *maillon.User
	StructureName string
	CSRFToken     string
	Nav           []struct {
		URL, Label string
		Current    bool
	}
	Breadcrumbs []struct{ URL, Label string }
	Flash       string
	Form        *ui.Form
	Version     string
	NoIndex     bool
	CheckIn     *maillon.CheckIn
	Here        string
	Now         time.Time
}

// errorView is what the embedded error page needs.
type errorView struct {
	page
	Status    int
	Message   string
	RequestID string
	LoginURL  string
}

// brokenErrorView lacks Message, which the error page reads after the
// layout has already produced the head of the document.
type brokenErrorView struct {
	page
	Status    int
	RequestID string
	LoginURL  string
}

func newEmbedded(t *testing.T, opt ui.Options) *ui.Renderer {
	t.Helper()
	r, err := ui.New(opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func TestNewParsesEveryEmbeddedPage(t *testing.T) {
	r := newEmbedded(t, ui.Options{})
	pages := r.Pages()
	if len(pages) == 0 {
		t.Fatal("no page")
	}
	if !slices.IsSorted(pages) {
		t.Errorf("Pages() = %v, not sorted", pages)
	}
	for _, want := range []string{"login", "error", "home", "admin/users"} {
		if !slices.Contains(pages, want) {
			t.Errorf("Pages() = %v, lacks %q", pages, want)
		}
	}
	// Every file under templates/pages is a page.
	var files []string
	filepath.WalkDir("templates/pages", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			files = append(files, strings.TrimSuffix(filepath.ToSlash(strings.TrimPrefix(p, "templates/pages/")), ".html"))
		}
		return err
	})
	slices.Sort(files)
	if !slices.Equal(files, pages) {
		t.Errorf("Pages() = %v, files %v", pages, files)
	}
}

func TestRenderErrorPage(t *testing.T) {
	r := newEmbedded(t, ui.Options{})
	w := newSpy()
	view := errorView{page: page{Title: "Page introuvable"}, Status: 404, Message: "Équipe introuvable. <script>alert(1)</script>"}
	if err := r.Render(w, http.StatusNotFound, "error", view); err != nil {
		t.Fatalf("Render: %v", err)
	}
	if w.status != http.StatusNotFound {
		t.Errorf("status = %d, want 404", w.status)
	}
	if ct := w.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := w.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	body := w.body.String()
	for _, want := range []string{`<html lang="fr">`, "<h1>Page introuvable</h1>", "Équipe introuvable.", "&lt;script&gt;", `href="` + r.Asset("css/maillon.css") + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("the message is not escaped")
	}
}

func TestRenderUnknownPageWritesNothing(t *testing.T) {
	r := newEmbedded(t, ui.Options{})
	w := newSpy()
	err := r.Render(w, http.StatusOK, "no/such/page", errorView{})
	if err == nil || !strings.Contains(err.Error(), "no/such/page") {
		t.Fatalf("Render = %v, want an error naming the page", err)
	}
	w.assertUntouched(t)
}

func TestRenderTemplateErrorWritesNothing(t *testing.T) {
	r := newEmbedded(t, ui.Options{})
	w := newSpy()
	err := r.Render(w, http.StatusOK, "error", brokenErrorView{page: page{Title: "Erreur"}, Status: 500})
	if err == nil || !strings.Contains(err.Error(), "Message") {
		t.Fatalf("Render = %v, want an error about the missing field", err)
	}
	w.assertUntouched(t)

	// A failed render leaves no trace in the next one (pooled buffers).
	w = newSpy()
	if err := r.Render(w, http.StatusOK, "error", errorView{page: page{Title: "Erreur"}, Status: 500, Message: "Recommencez."}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(w.body.String(), "<!doctype html>"); n != 1 {
		t.Fatalf("%d documents in the response", n)
	}
}

func TestTrackRecordsRenderedPages(t *testing.T) {
	r := newEmbedded(t, ui.Options{Track: true})
	if got := r.Unrendered(); !slices.Equal(got, r.Pages()) {
		t.Fatalf("Unrendered() before any render = %v", got)
	}
	r.Render(newSpy(), http.StatusOK, "error", brokenErrorView{})
	if !slices.Contains(r.Unrendered(), "error") {
		t.Fatal("a failed render counts as rendered")
	}
	if err := r.Render(newSpy(), http.StatusOK, "error", errorView{Message: "x"}); err != nil {
		t.Fatal(err)
	}
	got := r.Unrendered()
	if slices.Contains(got, "error") || !slices.Contains(got, "login") || len(got) != len(r.Pages())-1 {
		t.Fatalf("Unrendered() = %v", got)
	}
}

func shortHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:5])
}

func TestAsset(t *testing.T) {
	r := newEmbedded(t, ui.Options{})
	for _, p := range []string{"css/maillon.css", "css/print.css", "js/maillon.js", "img/favicon.svg"} {
		b, err := os.ReadFile(filepath.Join("static", p))
		if err != nil {
			t.Fatal(err)
		}
		got := r.Asset(p)
		if !regexp.MustCompile(`^/static/[0-9a-f]{10}/`).MatchString(got) {
			t.Errorf("Asset(%q) = %q, want /static/<10 hex>/…", p, got)
		}
		if want := "/static/" + shortHash(b) + "/" + p; got != want {
			t.Errorf("Asset(%q) = %q, want %q (hash of the content)", p, got, want)
		}
	}
}

func TestAssetPanicsOnUnknownFile(t *testing.T) {
	r := newEmbedded(t, ui.Options{})
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "css/missing.css") {
			t.Fatalf("recovered %v, want a panic naming the file", p)
		}
	}()
	r.Asset("css/missing.css")
}

func TestStaticHandler(t *testing.T) {
	r := newEmbedded(t, ui.Options{})
	h := r.StaticHandler()
	css, err := os.ReadFile("static/css/maillon.css")
	if err != nil {
		t.Fatal(err)
	}
	const immutable = "public, max-age=31536000, immutable"
	tests := []struct {
		name         string
		path         string
		wantStatus   int
		wantType     string
		wantCache    string
		wantBodyFile string
	}{
		{"stylesheet at its current hash", r.Asset("css/maillon.css"), 200, "text/css; charset=utf-8", immutable, "static/css/maillon.css"},
		{"script at its current hash", r.Asset("js/maillon.js"), 200, "text/javascript; charset=utf-8", immutable, "static/js/maillon.js"},
		{"icon at its current hash", r.Asset("img/favicon.svg"), 200, "image/svg+xml", immutable, "static/img/favicon.svg"},
		{"old hash after an upgrade is not cached", "/static/0000000000/css/maillon.css", 200, "text/css; charset=utf-8", "no-cache", "static/css/maillon.css"},
		{"unknown file", "/static/" + shortHash(css) + "/css/missing.css", 404, "", "", ""},
		{"no hash", "/static/maillon.css", 404, "", "", ""},
		{"directory", "/static/x/css", 404, "", "", ""},
		{"hash only", "/static/x/", 404, "", "", ""},
		{"path traversal to the source", "/static/x/../../ui.go", 404, "", "", ""},
		{"path traversal to a template", "/static/x/../templates/layout/base.html", 404, "", "", ""},
		{"traversal in the hash part", "/static/../ui.go", 404, "", "", ""},
		{"dot file", "/static/x/.env", 404, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.Path = tt.path // as ServeMux passes it, uncleaned
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("GET %s = %d, want %d", tt.path, rec.Code, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.wantType)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != tt.wantCache {
				t.Errorf("Cache-Control = %q, want %q", cc, tt.wantCache)
			}
			want, _ := os.ReadFile(tt.wantBodyFile)
			if rec.Body.String() != string(want) {
				t.Errorf("body differs from %s", tt.wantBodyFile)
			}
		})
	}
}

// fixture writes a minimal ui directory for dev mode and returns it.
func fixture(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	base := map[string]string{
		"templates/layout/base.html":      `{{define "base"}}<!doctype html><html lang="fr"><link rel="stylesheet" href="{{asset "css/app.css"}}"><main>{{template "content" .}}</main></html>{{end}}`,
		"templates/partials/hello.html":   `{{define "greeting"}}Bonjour {{.}}{{end}}`,
		"templates/pages/hello.html":      `{{define "content"}}<h1>{{template "greeting" .Name}}</h1>{{end}}`,
		"templates/pages/admin/list.html": `{{define "content"}}<p>{{len .Items}} {{plural (len .Items) "élément" "éléments"}}</p>{{end}}`,
		"static/css/app.css":              "body { color: #222; }\n",
	}
	for p, content := range files {
		base[p] = content
	}
	for p, content := range base {
		write(t, filepath.Join(dir, p), content)
	}
	return dir
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

type hello struct{ Name string }

func TestDevModeReadsFromDisk(t *testing.T) {
	dir := fixture(t, nil)
	r, err := ui.New(ui.Options{Dev: true, DevDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Pages(); !slices.Equal(got, []string{"admin/list", "hello"}) {
		t.Fatalf("Pages() = %v", got)
	}
	w := newSpy()
	if err := r.Render(w, http.StatusOK, "hello", hello{Name: "Léa"}); err != nil {
		t.Fatal(err)
	}
	cssURL := "/static/" + shortHash([]byte("body { color: #222; }\n")) + "/css/app.css"
	if want := `<h1>Bonjour Léa</h1>`; !strings.Contains(w.body.String(), want) || !strings.Contains(w.body.String(), cssURL) {
		t.Fatalf("body = %q, want %q and %q", w.body.String(), want, cssURL)
	}

	// Edits on disk show at the next render, without restarting.
	write(t, filepath.Join(dir, "templates/pages/hello.html"), `{{define "content"}}<h1>Salut {{.Name}}</h1>{{end}}`)
	write(t, filepath.Join(dir, "static/css/app.css"), "body { color: #000; }\n")
	w = newSpy()
	if err := r.Render(w, http.StatusOK, "hello", hello{Name: "Léa"}); err != nil {
		t.Fatal(err)
	}
	newCSS := "/static/" + shortHash([]byte("body { color: #000; }\n")) + "/css/app.css"
	if !strings.Contains(w.body.String(), "Salut Léa") || !strings.Contains(w.body.String(), newCSS) {
		t.Fatalf("after editing, body = %q", w.body.String())
	}

	// Static files are never cached in dev mode, even at their hash.
	rec := httptest.NewRecorder()
	r.StaticHandler().ServeHTTP(rec, httptest.NewRequest("GET", newCSS, nil))
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-cache" || rec.Body.String() != "body { color: #000; }\n" {
		t.Fatalf("dev static: %d, %q, %q", rec.Code, rec.Header().Get("Cache-Control"), rec.Body.String())
	}

	// A template broken on disk fails the render and writes nothing.
	write(t, filepath.Join(dir, "templates/pages/hello.html"), `{{define "content"}}{{if}}{{end}}`)
	w = newSpy()
	if err := r.Render(w, http.StatusOK, "hello", hello{Name: "Léa"}); err == nil || !strings.Contains(err.Error(), "hello") {
		t.Fatalf("Render = %v, want a parse error naming the page", err)
	}
	w.assertUntouched(t)
}

func TestRenderFailureInFixtureWritesNothing(t *testing.T) {
	dir := fixture(t, map[string]string{
		// The page writes a paragraph, then fails on a field hello lacks.
		"templates/pages/hello.html": `{{define "content"}}<p>Avant l'erreur</p>{{.Missing}}{{end}}`,
	})
	r, err := ui.New(ui.Options{Dev: true, DevDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	w := newSpy()
	if err := r.Render(w, http.StatusOK, "hello", hello{Name: "Léa"}); err == nil {
		t.Fatal("Render = nil, want an error")
	}
	w.assertUntouched(t)
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"page syntax error", map[string]string{"templates/pages/bad.html": `{{define "content"}}{{range}}{{end}}`}, "page bad"},
		{"layout syntax error", map[string]string{"templates/layout/base.html": `{{define "base"}}{{end`}, "layout"},
		{"unknown function", map[string]string{"templates/pages/bad.html": `{{define "content"}}{{frobnicate .}}{{end}}`}, "frobnicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ui.New(ui.Options{Dev: true, DevDir: fixture(t, tt.files)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	t.Run("missing directory", func(t *testing.T) {
		if _, err := ui.New(ui.Options{Dev: true, DevDir: filepath.Join(t.TempDir(), "absent")}); err == nil {
			t.Fatal("New = nil error")
		}
	})
}

// Ensure dev mode, which reloads everything on each render, can serve
// concurrent requests (run with -race).
func TestDevModeConcurrentRequests(t *testing.T) {
	r, err := ui.New(ui.Options{Dev: true, DevDir: fixture(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				if err := r.Render(newSpy(), http.StatusOK, "hello", hello{Name: "Léa"}); err != nil {
					t.Error(err)
				}
				rec := httptest.NewRecorder()
				r.StaticHandler().ServeHTTP(rec, httptest.NewRequest("GET", r.Asset("css/app.css"), nil))
				if rec.Code != 200 {
					t.Errorf("static status %d", rec.Code)
				}
			}
		})
	}
	wg.Wait()
}
