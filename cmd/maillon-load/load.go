package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// csrfInput finds the hidden CSRF field of the login form.
var csrfInput = regexp.MustCompile(`<input[^>]*\bname="csrf_token"[^>]*\bvalue="([^"]*)"`)

// loginConcurrency bounds the logins in flight before the measurement.
const loginConcurrency = 4

// newTransport returns the transport shared by every client: keep-alive on,
// enough idle connections per host that no client ever has to reconnect.
func newTransport(clients int) *http.Transport {
	return &http.Transport{
		Proxy:               nil, // measure the server, not a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * clients,
		MaxIdleConnsPerHost: 2 * clients,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// newClient returns an HTTP client with its own cookie jar that never
// follows redirects: a 303 to /login is an error to count, not a page.
func newClient(tr http.RoundTripper, timeout time.Duration) *http.Client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &http.Client{
		Transport: tr,
		Jar:       jar,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// login goes through the login form as a browser would: GET /login for the
// form's csrf_token (the jar keeps the matching cookie), then POST /login.
// Anything but a 303 is a failure.
func login(ctx context.Context, hc *http.Client, base, email, password string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("GET /login : %w", err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("GET /login : %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /login : statut %d au lieu de 200", resp.StatusCode)
	}
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return errors.New("GET /login : champ caché csrf_token introuvable dans le formulaire")
	}
	form := url.Values{
		"csrf_token": {html.UnescapeString(string(m[1]))},
		"email":      {email},
		"password":   {password},
		"next":       {"/"},
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = hc.Do(req)
	if err != nil {
		return fmt.Errorf("POST /login : %w", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("POST /login (%s) : statut %d au lieu de 303", email, resp.StatusCode)
	}
	return nil
}

// sample is one measured request.
type sample struct {
	latency time.Duration
	status  string // "200", "404", … or "transport"
}

// clientRecord is what one client measured, per path index.
type clientRecord [][]sample

// loadTest logs the clients in, runs the load and builds the result.
func loadTest(ctx context.Context, c config, progress func(string, ...any)) (*result, error) {
	tr := newTransport(c.clients)
	defer tr.CloseIdleConnections()
	clients := make([]*http.Client, c.clients)
	loginErrs := make([]error, c.clients)
	var wg sync.WaitGroup
	loginStart := time.Now()
	// A few logins at a time: password hashing is deliberately slow, and
	// the server runs only a few hashes at once, so 32 simultaneous logins
	// on a busy machine would only wait in line and risk the timeout.
	sem := make(chan struct{}, loginConcurrency)
	for i := range clients {
		clients[i] = newClient(tr, c.timeout)
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			loginErrs[i] = login(ctx, clients[i], c.baseURL, c.emails[i%len(c.emails)], c.password)
		})
	}
	wg.Wait()
	if err := loginFailures(loginErrs); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	progress("%d client(s) connecté(s) en %s ; chauffe %s, mesure %s…\n",
		c.clients, time.Since(loginStart).Round(time.Millisecond), c.warmup, c.duration)

	start := time.Now()
	from := start.Add(c.warmup)
	until := from.Add(c.duration)
	records := make([]clientRecord, c.clients)
	for i, hc := range clients {
		wg.Go(func() {
			records[i] = clientLoop(ctx, hc, c, i, from, until)
		})
	}
	wg.Wait()
	// Interrupted (Ctrl-C): report what was measured so far.
	measured := c.duration
	if now := time.Now(); now.Before(until) {
		measured = now.Sub(from)
	}
	if measured <= 0 {
		return nil, errors.New("interrompu pendant la chauffe : rien n'a été mesuré")
	}
	return buildResult(c, records, measured), nil
}

// loginFailures summarises the clients that could not log in.
func loginFailures(errs []error) error {
	counts := map[string]int{}
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
			counts[err.Error()]++
		}
	}
	if failed == 0 {
		return nil
	}
	msgs := make([]string, 0, len(counts))
	for m, n := range counts {
		msgs = append(msgs, fmt.Sprintf("  %d× %s", n, m))
	}
	sort.Strings(msgs)
	return fmt.Errorf("%d client(s) sur %d n'ont pas pu se connecter :\n%s", failed, len(errs), strings.Join(msgs, "\n"))
}

// clientLoop requests the paths in turn until the deadline. Client i starts
// at path i so that a mix is spread evenly. A request is counted when it
// completes within [from, until]. The request in flight at the deadline is
// left to finish, not counted: cancelling it would make the server drop
// its database connection (pgx does on cancellation) and skew the next
// run. Only ctx (Ctrl-C) cuts requests short.
func clientLoop(ctx context.Context, hc *http.Client, c config, i int, from, until time.Time) clientRecord {
	rec := make(clientRecord, len(c.paths))
	for n := i; ctx.Err() == nil && time.Now().Before(until); n++ {
		pi := n % len(c.paths)
		t0 := time.Now()
		status := get(ctx, hc, c.baseURL+c.paths[pi])
		t1 := time.Now()
		if t1.Before(from) || t1.After(until) || (status == "transport" && ctx.Err() != nil) {
			continue
		}
		rec[pi] = append(rec[pi], sample{latency: t1.Sub(t0), status: status})
	}
	return rec
}

// get requests u and reads the whole body, so the connection is reused.
func get(ctx context.Context, hc *http.Client, u string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "transport"
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "transport"
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return "transport"
	}
	return strconv.Itoa(resp.StatusCode)
}
