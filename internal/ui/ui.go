package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
)

//go:embed templates static
var embedded embed.FS

// Renderer renders pages and serves static files.
type Renderer struct {
	dev    bool
	root   fs.FS
	mu     sync.RWMutex
	pages  map[string]*template.Template
	hashes map[string]string // static path → short content hash

	track    bool
	rendered sync.Map // page name → true, when tracking
}

// Options configure a Renderer.
type Options struct {
	// Dev reads templates and static files from DevDir on each request.
	Dev    bool
	DevDir string // the internal/ui directory
	// Track records which pages were rendered, for the test that checks
	// every template is exercised.
	Track bool
}

// New parses every template and hashes every static file.
func New(opt Options) (*Renderer, error) {
	r := &Renderer{dev: opt.Dev, track: opt.Track}
	if opt.Dev {
		r.root = os.DirFS(opt.DevDir)
	} else {
		r.root = embedded
	}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Renderer) load() error {
	hashes := map[string]string{}
	err := fs.WalkDir(r.root, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(r.root, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:5])
		return nil
	})
	if err != nil {
		return fmt.Errorf("ui: static files: %w", err)
	}

	shared, err := template.New("").Funcs(r.funcs()).ParseFS(r.root, "templates/layout/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("ui: layout: %w", err)
	}
	pages := map[string]*template.Template{}
	err = fs.WalkDir(r.root, "templates/pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
		t, err := shared.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(r.root, p); err != nil {
			return fmt.Errorf("ui: page %s: %w", name, err)
		}
		pages[name] = t
		return nil
	})
	if err != nil {
		return err
	}
	// In dev mode load runs on each render, concurrently with Asset and
	// StaticHandler: both maps are replaced under the lock.
	r.mu.Lock()
	r.pages = pages
	r.hashes = hashes
	r.mu.Unlock()
	return nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render executes page with data into a buffer, then writes it with
// status. A template error writes nothing and is returned.
func (r *Renderer) Render(w http.ResponseWriter, status int, page string, data any) error {
	if r.dev {
		if err := r.load(); err != nil {
			return err
		}
	}
	r.mu.RLock()
	t, ok := r.pages[page]
	r.mu.RUnlock()
	if !ok {
		return fmt.Errorf("ui: no page %q", page)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.ExecuteTemplate(buf, "base", data); err != nil {
		return fmt.Errorf("ui: render %s: %w", page, err)
	}
	if r.track {
		r.rendered.Store(page, true)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := io.Copy(w, buf)
	return err
}

// Pages lists the names of every page template.
func (r *Renderer) Pages() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.pages))
	for p := range r.pages {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Unrendered lists the pages never rendered since New (with Track set).
func (r *Renderer) Unrendered() []string {
	var out []string
	for _, p := range r.Pages() {
		if _, ok := r.rendered.Load(p); !ok {
			out = append(out, p)
		}
	}
	return out
}

// Asset returns the content-hashed URL of a static file.
func (r *Renderer) Asset(p string) string {
	r.mu.RLock()
	h, ok := r.hashes[p]
	r.mu.RUnlock()
	if !ok {
		panic("ui: unknown static file " + p)
	}
	return "/static/" + h + "/" + p
}

// StaticHandler serves /static/{hash}/{path…}. A current hash is cached for
// a year; an outdated one (after an upgrade) is served without caching.
func (r *Renderer) StaticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rest := strings.TrimPrefix(req.URL.Path, "/static/")
		hash, p, ok := strings.Cut(rest, "/")
		p = path.Clean("/" + p)[1:]
		if !ok || p == "" || strings.HasPrefix(p, ".") {
			http.NotFound(w, req)
			return
		}
		b, err := fs.ReadFile(r.root, "static/"+p)
		if err != nil {
			http.NotFound(w, req)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		r.mu.RLock()
		current := r.hashes[p] == hash
		r.mu.RUnlock()
		if !r.dev && current {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Write(b)
	})
}
