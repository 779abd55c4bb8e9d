package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"time"

	"maillon"
	"maillon/internal/config"
	"maillon/internal/demo"
	"maillon/internal/httpx"
	"maillon/internal/server"
	"maillon/internal/store"
	"maillon/internal/ui"
	"maillon/internal/web"
)

var serveOptions = []string{"addr", "db", "base-url", "trusted-proxies", "session-idle", "session-max", "metrics-token",
	"audit-retention-months", "audit-retention-reason", "max-body", "log-format", "log-level", "dev", "shutdown-timeout"}

func cmdServe(ctx context.Context, args []string, e env) error {
	return serve(ctx, args, e, nil)
}

// serve runs the server; ready, if not nil, receives the listening address
// (tests use it to find a free port).
func serve(ctx context.Context, args []string, e env, ready func(net.Addr)) error {
	start := time.Now()
	fs := newFlagSet(e, "serve", "serve [options]",
		"Lance le serveur web de Maillon. Les migrations en attente sont appliquées au démarrage.\n"+
			"Arrêt propre sur SIGINT ou SIGTERM : les requêtes en cours se terminent.",
		"maillon serve --demo",
		"maillon serve --addr 0.0.0.0:8080 --db postgres://maillon@db.interne/maillon",
		"MAILLON_BASE_URL=https://maillon.exemple.fr MAILLON_TRUSTED_PROXIES=127.0.0.1 maillon serve")
	cf := config.Register(fs, serveOptions...)
	withDemo := fs.Bool("demo", false, "si la base ne contient encore aucune structure, la remplir avec le jeu de démonstration")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(cf, e)
	if err != nil {
		return err
	}
	log := newLogger(cfg, e.stderr)
	if cfg.AuditRetentionMonths > 12 {
		// The written reason CNIL asks for a longer retention is kept in
		// the operations log at every start.
		log.Info("audit retention beyond 12 months", "months", cfg.AuditRetentionMonths, "reason", cfg.AuditRetentionReason)
	}

	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		log.Info("migration applied", "name", m)
	}
	svc := st.Services()
	if *withDemo {
		sum, err := demo.Load(ctx, svc, demo.Options{Scale: demo.Small, Seed: 1})
		switch {
		case errors.Is(err, demo.ErrNotEmpty):
			log.Info("demo dataset not loaded: the database already holds data")
		case err != nil:
			return fmt.Errorf("jeu de démonstration : %w", err)
		default:
			log.Info("demo dataset loaded", "summary", sum.String(), "activity", sum.Activity())
		}
	}

	renderer, err := ui.New(ui.Options{Dev: cfg.Dev, DevDir: filepath.Join("internal", "ui")})
	if err != nil {
		return err
	}
	metrics := httpx.NewMetrics()
	metrics.Gauges = poolGauges(st)
	wh := web.New(svc, renderer, web.Options{
		SecureCookies:  cfg.SecureCookies(),
		TrustedProxies: cfg.TrustedProxies,
		Version:        versionString(),
		Ping:           st.Ping,
		Metrics:        metrics.Handler(),
		MetricsToken:   cfg.MetricsToken,
		Logger:         log,
		MaxBodyBytes:   cfg.MaxBodyBytes, // annuaire import page
	})
	opts := server.Options{Addr: cfg.Addr, MaxBodyBytes: cfg.MaxBodyBytes, HSTS: cfg.SecureCookies(),
		ShutdownTimeout: cfg.ShutdownTimeout, Logger: log, Metrics: metrics}

	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go runJobs(jobsCtx, st, cfg, log)

	return server.Serve(ctx, server.Handler(wh, opts), opts, func(a net.Addr) {
		log.Info("listening", "addr", a.String(), "engine", st.Engine(), "version", versionString(),
			"startup", time.Since(start).Round(time.Millisecond).String(), "base_url", cfg.BaseURL)
		if ready != nil {
			ready(a)
		}
	})
}

// runJobs runs the periodic clean-up: expired sessions and throttling rows
// every hour, audit entries past their retention once a day. Every node
// may run them: they are idempotent deletes.
func runJobs(ctx context.Context, st *store.Store, cfg config.Config, log interface {
	Info(string, ...any)
	Error(string, ...any)
}) {
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	lastPurge := time.Time{}
	for {
		if err := st.Cleanup(ctx); err != nil && ctx.Err() == nil {
			log.Error("session clean-up failed", "error", err.Error())
		}
		if time.Since(lastPurge) > 24*time.Hour {
			n, err := st.PurgeAudit(ctx, maillon.SystemActor(), cfg.AuditRetentionMonths)
			if err != nil && ctx.Err() == nil {
				log.Error("audit purge failed", "error", err.Error())
			} else if n > 0 {
				log.Info("audit entries purged", "count", n, "retention_months", cfg.AuditRetentionMonths)
			}
			lastPurge = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-hourly.C:
		}
	}
}

// poolGauges exposes the database pools and the Go runtime to /metrics.
func poolGauges(st *store.Store) func(w io.Writer) {
	return func(w io.Writer) {
		fmt.Fprintln(w, "# HELP maillon_db_connections Database connections by pool and state.")
		fmt.Fprintln(w, "# TYPE maillon_db_connections gauge")
		stats := st.PoolStats()
		for _, pool := range []string{"main", "writer", "reader"} {
			s, ok := stats[pool]
			if !ok {
				continue
			}
			fmt.Fprintf(w, "maillon_db_connections{pool=%q,state=\"open\"} %d\n", pool, s.OpenConnections)
			fmt.Fprintf(w, "maillon_db_connections{pool=%q,state=\"in_use\"} %d\n", pool, s.InUse)
			fmt.Fprintf(w, "maillon_db_connections{pool=%q,state=\"idle\"} %d\n", pool, s.Idle)
		}
		fmt.Fprintln(w, "# HELP maillon_db_wait_total Times a request waited for a database connection.")
		fmt.Fprintln(w, "# TYPE maillon_db_wait_total counter")
		for _, pool := range []string{"main", "writer", "reader"} {
			if s, ok := stats[pool]; ok {
				fmt.Fprintf(w, "maillon_db_wait_total{pool=%q} %d\n", pool, s.WaitCount)
			}
		}
		fmt.Fprintln(w, "# HELP maillon_goroutines Goroutines of the process.")
		fmt.Fprintln(w, "# TYPE maillon_goroutines gauge")
		fmt.Fprintf(w, "maillon_goroutines %d\n", runtime.NumGoroutine())
	}
}
