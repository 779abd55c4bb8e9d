package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"golang.org/x/term"

	"maillon"
	"maillon/internal/auth"
	"maillon/internal/config"
	"maillon/internal/store"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the build information.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		rev := ""
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = s.Value[:12]
			}
		}
		if v != "" && v != "(devel)" {
			return v
		}
		if rev != "" {
			return "dev-" + rev
		}
	}
	return "dev"
}

// hashParams are the argon2id costs of new password hashes. Tests lower
// them: checking a password reads the costs from its stored hash, so
// behaviour is the same, only cheaper.
var hashParams = auth.DefaultParams

// loadConfig loads the configuration; a bad value is a usage error
// (exit 2), with the French message naming the setting.
func loadConfig(cf *config.Flags, e env) (config.Config, error) {
	cfg, err := config.Load(cf, e.getenv)
	if err != nil {
		return cfg, usageError{err.Error()}
	}
	return cfg, nil
}

// openFromFlags loads the configuration and opens the store. With
// migrated, a database with pending migrations is refused.
func openFromFlags(ctx context.Context, cf *config.Flags, e env, migrated bool) (*store.Store, error) {
	cfg, err := loadConfig(cf, e)
	if err != nil {
		return nil, err
	}
	if migrated {
		return openMigrated(ctx, cfg)
	}
	return openStore(ctx, cfg)
}

// openStore connects to the configured database.
func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	return store.Open(ctx, cfg.DB, store.Options{
		Hasher:   auth.NewHasher(hashParams),
		Sessions: maillon.SessionPolicy{Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute},
	})
}

// openMigrated opens the store and refuses to go on if migrations are
// pending, naming the command to run.
func openMigrated(ctx context.Context, cfg config.Config) (*store.Store, error) {
	s, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pending, err := s.Pending(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	if len(pending) > 0 {
		s.Close()
		return nil, fmt.Errorf("la base a %d migration(s) en attente : lancez d'abord « maillon db migrate »", len(pending))
	}
	return s, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func stdinIsTerminal() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

func readTerminalPassword() (string, error) {
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	return string(b), err
}

// readPassword gets a password from a file, from the terminal (asked twice,
// without echo) or from the first line of standard input. Passwords never
// travel on the command line, where other users could read them.
func readPassword(e env, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("lecture du fichier de mot de passe : %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if e.isTerminal != nil && e.isTerminal() {
		fmt.Fprint(e.stderr, "Mot de passe (12 caractères au moins) : ")
		pw, err := e.readPassword()
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "Confirmez le mot de passe : ")
		again, err := e.readPassword()
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if pw != again {
			return "", errors.New("les deux mots de passe ne sont pas identiques")
		}
		return pw, nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError{"aucun mot de passe : utilisez --password-file, ou tapez-le quand il est demandé"}
	}
	return line, nil
}
