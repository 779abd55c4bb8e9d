package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"maillon"
	"maillon/internal/httpx"
)

func (h *Handler) handleStatic(w http.ResponseWriter, r *http.Request) error {
	h.ui.StaticHandler().ServeHTTP(w, r)
	return nil
}

// handleHealth answers GET /healthz for load balancers and monitoring: 200
// when the database answers within two seconds, 503 otherwise.
func (h *Handler) handleHealth(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	body := map[string]string{"status": "ok", "database": "ok", "version": h.opt.Version}
	status := http.StatusOK
	if h.opt.Ping == nil || h.opt.Ping(ctx) != nil {
		body["status"], body["database"] = "error", "unreachable"
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, status, body)
	return nil
}

// handleMetrics serves GET /metrics to the local machine, or to a scraper
// presenting the configured token.
func (h *Handler) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	allowed := httpx.IsLoopback(r) && r.Header.Get("X-Forwarded-For") == ""
	if tok := h.opt.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(tok)) == 1 {
			allowed = true
		}
	}
	if !allowed || h.opt.Metrics == nil {
		return maillon.NotFound("Page")
	}
	h.opt.Metrics.ServeHTTP(w, r)
	return nil
}
