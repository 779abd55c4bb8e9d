package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"maillon/internal/httpx"
	"maillon/internal/web"
)

// Options configure the server.
type Options struct {
	Addr            string
	MaxBodyBytes    int64
	HSTS            bool
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	Metrics         *httpx.Metrics
}

// Handler wraps the web UI in the global middleware.
func Handler(w *web.Handler, opt Options) http.Handler {
	var h http.Handler = w
	h = httpx.LimitBody(opt.MaxBodyBytes, w.TooLarge, h)
	h = httpx.SecurityHeaders(opt.HSTS, h)
	h = httpx.Observe(opt.Logger, opt.Metrics, w.Panic, h)
	return h
}

// Serve listens on opt.Addr and serves h until ctx is cancelled, then
// shuts down gracefully: in-flight requests get ShutdownTimeout to finish.
// ready, if not nil, receives the bound address once listening.
func Serve(ctx context.Context, h http.Handler, opt Options, ready func(addr net.Addr)) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(opt.Logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", opt.Addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	opt.Logger.Info("shutting down", "timeout", opt.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), opt.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
