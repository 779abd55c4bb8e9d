package browsertest

import (
	"net/http"
	"strings"
	"testing"
)

// TestAccessibilityPages logs in as each demo role, walks every page
// reachable from the navigation and from links in <main>, and checks each
// with axe-core (WCAG 2.1 A and AA) at 1280 px and 375 px, and for
// horizontal scrolling at 320 px. The anonymous pages (login, set-up) and
// the French error pages get the same checks.
func TestAccessibilityPages(t *testing.T) {
	needAxe(t)
	browser := newBrowser(t)
	demoApp := startApp(t, true)

	for _, role := range demoRoles {
		t.Run(role.name, func(t *testing.T) {
			ctx := newTab(t, browser)
			login(t, ctx, demoApp.URL, role.email)
			visited := crawl(t, ctx, demoApp.URL, []string{"/"}, func(path string) {
				checkPage(t, ctx, role.name+" "+path)
			})
			t.Logf("%s: %d pages checked: %s", role.name, len(visited), strings.Join(visited, " "))
			if len(visited) < 3 {
				t.Errorf("%s: only %d pages reached; the navigation looks broken", role.name, len(visited))
			}

			// The error pages, as this user sees them.
			errorPages := []struct {
				path   string
				status int64
			}{{"/page-inexistante", http.StatusNotFound}}
			if role.name != "admin" {
				errorPages = append(errorPages, struct {
					path   string
					status int64
				}{"/admin", http.StatusForbidden})
			}
			for _, ep := range errorPages {
				if st := open(t, ctx, demoApp.URL, ep.path); st != ep.status {
					t.Errorf("%s GET %s: status %d, want %d", role.name, ep.path, st, ep.status)
					continue
				}
				checkPage(t, ctx, role.name+" "+ep.path)
			}
		})
	}

	t.Run("journal de pratique", func(t *testing.T) {
		checkPracticePages(t, browser, demoApp.URL)
	})

	t.Run("anonymous", func(t *testing.T) {
		ctx := newTab(t, browser)
		// The login page of a demo instance lists the demo accounts.
		if st := open(t, ctx, demoApp.URL, "/login"); st != http.StatusOK {
			t.Fatalf("GET /login: status %d", st)
		}
		checkPage(t, ctx, "anonymous /login")
		if st := open(t, ctx, demoApp.URL, "/page-inexistante"); st != http.StatusNotFound {
			t.Errorf("anonymous GET /page-inexistante: status %d, want 404", st)
		} else {
			checkPage(t, ctx, "anonymous /page-inexistante")
		}
	})

	t.Run("setup", func(t *testing.T) {
		// The set-up page exists only while the database is empty.
		empty := startApp(t, false)
		ctx := newTab(t, browser)
		if st := open(t, ctx, empty.URL, "/setup"); st != http.StatusOK {
			t.Fatalf("GET /setup on an empty database: status %d", st)
		}
		checkPage(t, ctx, "anonymous /setup")
		// /login sends to /setup while there is nobody to log in.
		open(t, ctx, empty.URL, "/login")
		if loc := location(t, ctx); loc != "/setup" {
			t.Errorf("GET /login on an empty database ends at %s, want /setup", loc)
		}
	})
}
