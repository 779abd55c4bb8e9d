package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// testServer is "maillon serve" running in-process on a free port.
type testServer struct {
	url    string
	log    *syncBuffer // standard error: the structured log
	stop   context.CancelFunc
	done   chan error
	client *http.Client // follows no redirect
}

// startServe runs serve with args (plus --addr 127.0.0.1:0) until the test
// ends or shutdown is called.
func startServe(t *testing.T, vars map[string]string, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &testServer{log: &syncBuffer{}, stop: cancel, done: make(chan error, 1),
		client: &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	ready := make(chan net.Addr, 1)
	var stdout syncBuffer
	e := testEnv(vars, "", &stdout, s.log)
	go func() {
		s.done <- serve(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), e, func(a net.Addr) { ready <- a })
	}()
	select {
	case a := <-ready:
		s.url = "http://" + a.String()
	case err := <-s.done:
		cancel()
		t.Fatalf("serve stopped before listening: %v\n%s", err, s.log)
	case <-time.After(90 * time.Second):
		// A hang guard, not a timing: --demo loads the whole small
		// dataset first, which under -race on a busy two-core machine
		// took more than 30 s.
		cancel()
		t.Fatalf("serve did not start within 90 s:\n%s", s.log)
	}
	t.Cleanup(func() {
		if s.stop != nil {
			s.shutdown(t)
		}
	})
	return s
}

// shutdown cancels the context, as SIGTERM does, and checks that serve
// returns nil promptly.
func (s *testServer) shutdown(t *testing.T) {
	t.Helper()
	s.stop()
	s.stop = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("serve did not return within 5 s of shutdown:\n%s", s.log)
	}
	s.client.CloseIdleConnections()
}

// get requests path and returns the response with its body read.
func (s *testServer) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, err := s.client.Get(s.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp, string(b)
}

func TestServe(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		s := startServe(t, map[string]string{"MAILLON_DB": dsn})
		if !strings.Contains(s.log.String(), "migration applied") {
			t.Errorf("pending migrations should be applied and logged at start:\n%s", s.log)
		}
		if !strings.Contains(s.log.String(), "msg=listening") {
			t.Errorf("serve should log its address:\n%s", s.log)
		}

		resp, body := s.get(t, "/healthz")
		var health map[string]string
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET /healthz: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if err := json.Unmarshal([]byte(body), &health); err != nil || health["status"] != "ok" {
			t.Errorf("GET /healthz: want {\"status\":\"ok\"}, got %s (%v)", body, err)
		}

		// An empty database sends the browser to the one-time set-up page.
		resp, _ = s.get(t, "/")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("GET / without a session: want a redirect to /login, got %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, _ = s.get(t, resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/setup" {
			t.Fatalf("GET /login on an empty database: want a redirect to /setup, got %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body = s.get(t, "/setup")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="structure_name"`) {
			t.Fatalf("GET /setup on an empty database: %d\n%s", resp.StatusCode, body)
		}

		// Once an account exists, created from the command line while the
		// server runs, the set-up page is gone.
		db := map[string]string{"MAILLON_DB": dsn}
		mustRun(t, 0, db, "", "structure", "add", "--name", "Médiation Nord")
		mustRun(t, 0, db, "une phrase de passe solide\n", "user", "add", "--email", "admin@exemple.fr", "--name", "Admin", "--role", "admin")
		if resp, _ = s.get(t, "/setup"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /setup once a user exists: want 404, got %d", resp.StatusCode)
		}
		if resp, _ = s.get(t, "/login"); resp.StatusCode != http.StatusOK {
			t.Errorf("GET /login once a user exists: want 200, got %d", resp.StatusCode)
		}

		start := time.Now()
		s.shutdown(t)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("shutdown took %s", d)
		}
		if !strings.Contains(s.log.String(), "shutting down") {
			t.Errorf("shutdown is not logged:\n%s", s.log)
		}
		if _, err := http.Get(s.url + "/healthz"); err == nil {
			t.Errorf("the server still answers after shutdown")
		}

		// A restart on the migrated database applies nothing.
		s = startServe(t, db, "--log-format", "json")
		if strings.Contains(s.log.String(), "migration applied") {
			t.Errorf("a restart should apply no migration:\n%s", s.log)
		}
		if !strings.Contains(s.log.String(), `"msg":"listening"`) {
			t.Errorf("--log-format json should give JSON lines:\n%s", s.log)
		}
		s.shutdown(t)
	})
}

// Ensure serve --demo fills an empty database, and leaves a database that
// holds data alone.
func TestServeDemo(t *testing.T) {
	t.Parallel()
	dsn := emptyDatabase(t, "sqlite")
	s := startServe(t, nil, "--db", dsn, "--demo")
	if !strings.Contains(s.log.String(), "demo dataset loaded") {
		t.Errorf("serve --demo on an empty database:\n%s", s.log)
	}
	resp, body := s.get(t, "/login")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "admin@demo.maillon.test") || !strings.Contains(body, "maillon-demo-2026") {
		t.Errorf("the login page of a demo instance should show the demo accounts: %d", resp.StatusCode)
	}
	if resp, _ = s.get(t, "/setup"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /setup on a demo instance: want 404, got %d", resp.StatusCode)
	}
	s.shutdown(t)

	s = startServe(t, nil, "--db", dsn, "--demo")
	if !strings.Contains(s.log.String(), "demo dataset not loaded") {
		t.Errorf("serve --demo on a database holding data:\n%s", s.log)
	}
	s.shutdown(t)
}

func TestServeFailsToListen(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	o := cli(t, nil, "", "serve", "--db", emptyDatabase(t, "sqlite"), "--addr", ln.Addr().String())
	if o.code != 1 || !strings.Contains(o.stderr, ln.Addr().String()) {
		t.Errorf("serve on a busy port: want exit 1 and the reason, got %s", o)
	}
}
