package main

import (
	"bytes"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// pkgInfo is what "go list" says of one package.
type pkgInfo struct {
	path     string
	standard bool
	imports  []string // direct imports of the non-test files
	test     []string // direct imports of the test files (module packages only)
}

// listPackages lists every package of the module and all their
// dependencies, with their direct imports.
func listPackages(t *testing.T) map[string]*pkgInfo {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not available: import rules not checked")
	}
	golist := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goCmd, append([]string{"list"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	pkgs := map[string]*pkgInfo{}
	for _, line := range strings.Split(golist("-deps", "-f", "{{.ImportPath}}\t{{.Standard}}\t{{join .Imports \" \"}}", "maillon/..."), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		pkgs[f[0]] = &pkgInfo{path: f[0], standard: f[1] == "true", imports: strings.Fields(f[2])}
	}
	for _, line := range strings.Split(golist("-f", "{{.ImportPath}}\t{{join .TestImports \" \"}} {{join .XTestImports \" \"}}", "maillon/..."), "\n") {
		path, imports, ok := strings.Cut(line, "\t")
		if p := pkgs[path]; ok && p != nil {
			p.test = strings.Fields(imports)
		}
	}
	if pkgs["maillon"] == nil || pkgs["maillon/internal/store"] == nil {
		t.Fatalf("go list did not list the module's packages: %v", keys(pkgs))
	}
	return pkgs
}

func keys(m map[string]*pkgInfo) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// chain returns the import path from "from" to the first package for which
// bad is true, as "a → b → c", or "" when none is reachable. Packages for
// which skip is true (if not nil) are not followed.
func chain(pkgs map[string]*pkgInfo, from string, bad, skip func(string) bool) string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		info := pkgs[p]
		if info == nil {
			continue
		}
		for _, imp := range info.imports {
			if _, seen := prev[imp]; seen {
				continue
			}
			prev[imp] = p
			if bad(imp) {
				path := []string{imp}
				for q := p; q != ""; q = prev[q] {
					path = append(path, q)
				}
				slices.Reverse(path)
				return strings.Join(path, " → ")
			}
			if skip == nil || !skip(imp) {
				queue = append(queue, imp)
			}
		}
	}
	return ""
}

func hasPrefix(prefixes ...string) func(string) bool {
	return func(p string) bool {
		for _, pre := range prefixes {
			if p == pre || strings.HasPrefix(p, pre+"/") {
				return true
			}
		}
		return false
	}
}

// TestImportRules enforces the package boundaries of docs/architecture.md
// §5.1, so that they stay cheap to keep.
func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	// "C" is cgo's pseudo-package, imported by parts of the standard
	// library such as net.
	std := func(p string) bool { return p == "C" || (pkgs[p] != nil && pkgs[p].standard) }
	own := func(p string) bool { return p == "maillon" || strings.HasPrefix(p, "maillon/") }
	drivers := hasPrefix("modernc.org/sqlite", "github.com/jackc/pgx")
	store := hasPrefix("maillon/internal/store")
	storeOnly := func(p string) bool { return p == "maillon/internal/store" }

	// must fails when pkg reaches, directly or not, a package that is not
	// allowed.
	must := func(t *testing.T, pkg, rule string, allowed func(string) bool) {
		t.Helper()
		if pkgs[pkg] == nil {
			t.Fatalf("package %s not found by go list", pkg)
		}
		if c := chain(pkgs, pkg, func(p string) bool { return !allowed(p) }, nil); c != "" {
			t.Errorf("%s must import %s, but it imports %s", pkg, rule, c)
		}
	}
	// direct fails when a direct import of pkg is not allowed.
	direct := func(t *testing.T, pkg, rule string, allowed func(string) bool) {
		t.Helper()
		if pkgs[pkg] == nil {
			t.Fatalf("package %s not found by go list", pkg)
		}
		for _, imp := range pkgs[pkg].imports {
			if !allowed(imp) {
				t.Errorf("%s must import %s, but it imports %s", pkg, rule, imp)
			}
		}
	}

	t.Run("the root package imports only the standard library", func(t *testing.T) {
		xtext := hasPrefix("golang.org/x/text")
		must(t, "maillon", "only the standard library and golang.org/x/text",
			func(p string) bool { return (std(p) || xtext(p)) && !hasPrefix("database/sql", "net/http")(p) })
	})
	t.Run("internal/config imports only the standard library", func(t *testing.T) {
		must(t, "maillon/internal/config", "only the standard library", std)
	})
	t.Run("internal/httpx imports only maillon and the standard library", func(t *testing.T) {
		direct(t, "maillon/internal/httpx", "only maillon and the standard library", func(p string) bool { return std(p) || p == "maillon" })
	})
	t.Run("internal/auth imports only maillon, x/crypto and the standard library", func(t *testing.T) {
		direct(t, "maillon/internal/auth", "only maillon, golang.org/x/crypto and the standard library",
			func(p string) bool { return std(p) || p == "maillon" || hasPrefix("golang.org/x/crypto")(p) })
	})
	t.Run("web, ui, httpx, server, demo and config do not import the store", func(t *testing.T) {
		for _, pkg := range []string{"web", "ui", "httpx", "server", "demo", "config", "auth"} {
			must(t, "maillon/internal/"+pkg, "the domain services, never maillon/internal/store", func(p string) bool { return !store(p) })
		}
		// Packages of later modules, once they exist.
		for _, pkg := range []string{"api", "export", "mock"} {
			if pkgs["maillon/internal/"+pkg] != nil {
				must(t, "maillon/internal/"+pkg, "the domain services, never maillon/internal/store", func(p string) bool { return !store(p) })
			}
		}
		// Exports: the file writers exist, so they must be found.
		must(t, "maillon/internal/export", "the domain and excelize, never maillon/internal/store", func(p string) bool { return !store(p) })
	})
	t.Run("only the store imports a SQL driver", func(t *testing.T) {
		for _, p := range keys(pkgs) {
			if !own(p) || storeOnly(p) {
				continue
			}
			for _, imp := range pkgs[p].imports {
				if drivers(imp) {
					t.Errorf("%s imports the SQL driver %s: only maillon/internal/store may", p, imp)
				}
			}
			for _, imp := range pkgs[p].test {
				if drivers(imp) {
					t.Errorf("the tests of %s import the SQL driver %s: only maillon/internal/store may", p, imp)
				}
			}
			// Nor through another package than the store.
			if c := chain(pkgs, p, drivers, store); c != "" {
				t.Errorf("%s reaches a SQL driver other than through the store: %s", p, c)
			}
		}
	})
	t.Run("nothing but the store imports database/sql", func(t *testing.T) {
		for _, p := range keys(pkgs) {
			if !own(p) || store(p) {
				continue
			}
			if slices.Contains(pkgs[p].imports, "database/sql") {
				t.Errorf("%s imports database/sql: only maillon/internal/store speaks SQL", p)
			}
		}
	})
}

// Ensure the rule checker itself finds a forbidden import and names it.
func TestImportRuleChain(t *testing.T) {
	pkgs := map[string]*pkgInfo{
		"maillon/internal/web":    {imports: []string{"fmt", "maillon/internal/helper"}},
		"maillon/internal/helper": {imports: []string{"maillon/internal/store"}},
		"maillon/internal/store":  {imports: []string{"database/sql"}},
	}
	got := chain(pkgs, "maillon/internal/web", hasPrefix("maillon/internal/store"), nil)
	if want := "maillon/internal/web → maillon/internal/helper → maillon/internal/store"; got != want {
		t.Errorf("chain = %q, want %q", got, want)
	}
	if got := chain(pkgs, "maillon/internal/web", hasPrefix("net/http"), nil); got != "" {
		t.Errorf("chain found %q where there is none", got)
	}
	if got := chain(pkgs, "maillon/internal/web", hasPrefix("database/sql"), hasPrefix("maillon/internal/store")); got != "" {
		t.Errorf("chain followed a skipped package: %q", got)
	}
}
