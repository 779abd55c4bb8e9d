package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

type ctxKey int

const infoKey ctxKey = iota

// requestInfo travels in the request context so that the outer middleware
// learns what inner handlers found (the matched route, the request ID).
type requestInfo struct {
	id    string
	route string
	user  int64 // the acting user's ID, for logs; never a name or e-mail
}

func info(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(infoKey).(*requestInfo); ok {
		return ri
	}
	return nil
}

// RequestID returns the ID of the request in ctx, or "".
func RequestID(ctx context.Context) string {
	if ri := info(ctx); ri != nil {
		return ri.id
	}
	return ""
}

// SetRoute records the matched route pattern for logs and metrics.
func SetRoute(r *http.Request, pattern string) {
	if ri := info(r.Context()); ri != nil {
		ri.route = pattern
	}
}

// SetUser records the acting user's ID for the access log.
func SetUser(r *http.Request, id int64) {
	if ri := info(r.Context()); ri != nil {
		ri.user = id
	}
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter remembers the status and size written.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
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
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Observe is the outermost middleware: it gives the request an ID, recovers
// from panics (calling onPanic to answer), records metrics and writes one
// access-log line. The line holds the method, route pattern (not the path,
// which may carry IDs), status, size, duration, request and user IDs:
// never a query string, a form value, a name or an e-mail address.
func Observe(log *slog.Logger, m *Metrics, onPanic http.HandlerFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &requestInfo{id: newID()}
		r = r.WithContext(context.WithValue(r.Context(), infoKey, ri))
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Request-Id", ri.id)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", "request_id", ri.id, "route", ri.route, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					onPanic(sw, r)
				}
			}
			if sw.status == 0 {
				// Nothing was written: net/http answers 200 with an empty body.
				sw.status = http.StatusOK
			}
			d := time.Since(start)
			route := ri.route
			if route == "" {
				route = "unmatched"
			}
			if m != nil {
				m.observe(r.Method, route, sw.status, d)
			}
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(r.Context(), level, "request",
				slog.String("request_id", ri.id),
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.Int("status", sw.status),
				slog.Int("bytes", sw.size),
				slog.Duration("duration", d),
				slog.Int64("user_id", ri.user),
			)
		}()
		next.ServeHTTP(sw, r)
	})
}

// SecurityHeaders sets the headers every response carries. The CSP allows
// no inline script or style, so templates must keep scripts and styles in
// static files.
func SecurityHeaders(hsts bool, next http.Handler) http.Handler {
	const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// LimitBody caps request bodies at n bytes. A declared Content-Length over
// the limit is refused at once with tooLarge; a body that grows past it
// makes form parsing fail with *http.MaxBytesError, which StatusOf maps to
// 413.
func LimitBody(n int64, tooLarge http.HandlerFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			tooLarge(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// ClientIP returns the address of the client. X-Forwarded-For is believed
// only when the direct peer is a trusted proxy; then the right-most address
// that is not itself a trusted proxy is the client. When every hop is
// trusted (a client on the internal network), the left-most one is.
func ClientIP(r *http.Request, trusted []*net.IPNet) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !isTrusted(host, trusted) {
		return host
	}
	xff := r.Header.Values("X-Forwarded-For")
	parts := strings.Split(strings.Join(xff, ","), ",")
	client := host
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimSpace(parts[i])
		if p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			break
		}
		if !isTrusted(p, trusted) {
			return p
		}
		client = p
	}
	return client
}

func isTrusted(host string, trusted []*net.IPNet) bool {
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// IsLoopback reports whether the direct peer is on the local machine.
func IsLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
