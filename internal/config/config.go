package config

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the effective configuration of a Maillon process.
type Config struct {
	Addr                 string
	DB                   string
	BaseURL              string
	TrustedProxies       []*net.IPNet
	SessionIdle          time.Duration
	SessionAbsolute      time.Duration
	MetricsToken         string
	AuditRetentionMonths int
	AuditRetentionReason string
	MaxBodyBytes         int64
	LogFormat            string
	LogLevel             string
	Dev                  bool
	ShutdownTimeout      time.Duration

	sources map[string]string // option name → where its value came from
}

// SecureCookies reports whether cookies must carry the Secure attribute:
// the public address is https.
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Default returns the built-in defaults.
func Default() Config {
	return Config{
		Addr:                 "127.0.0.1:8080",
		DB:                   "sqlite:maillon.db",
		SessionIdle:          30 * time.Minute,
		SessionAbsolute:      12 * time.Hour,
		AuditRetentionMonths: 12,
		MaxBodyBytes:         2 << 20,
		LogFormat:            "text",
		LogLevel:             "info",
		ShutdownTimeout:      15 * time.Second,
		sources:              map[string]string{},
	}
}

// option describes one setting: its flag, its variable and how to read it.
type option struct {
	name   string // flag name
	env    string
	help   string
	secret bool
	set    func(c *Config, v string) error
	get    func(c *Config) string
}

func dur(p func(*Config) *time.Duration) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("durée illisible %q (exemples : 30m, 12h)", v)
			}
			*p(c) = d
			return nil
		}, func(c *Config) string {
			return p(c).String()
		}
}

func str(p func(*Config) *string) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error { *p(c) = v; return nil },
		func(c *Config) string { return *p(c) }
}

var options = func() []option {
	o := []option{}
	add := func(name, env, help string, secret bool, set func(*Config, string) error, get func(*Config) string) {
		o = append(o, option{name, env, help, secret, set, get})
	}
	s, g := str(func(c *Config) *string { return &c.Addr })
	add("addr", "MAILLON_ADDR", "adresse d'écoute HTTP", false, s, g)
	s, g = str(func(c *Config) *string { return &c.DB })
	add("db", "MAILLON_DB", "base de données : sqlite:chemin.db ou postgres://…", true, s, g)
	s, g = str(func(c *Config) *string { return &c.BaseURL })
	add("base-url", "MAILLON_BASE_URL", "adresse publique, par exemple https://maillon.exemple.fr (https active les cookies Secure)", false, s, g)
	add("trusted-proxies", "MAILLON_TRUSTED_PROXIES", "proxys inverses de confiance (CIDR séparés par des virgules) dont X-Forwarded-For est lu", false,
		func(c *Config, v string) error {
			c.TrustedProxies = nil
			for _, part := range strings.Split(v, ",") {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				cidr := part
				if !strings.Contains(part, "/") {
					if ip := net.ParseIP(part); ip != nil && ip.To4() != nil {
						cidr += "/32"
					} else {
						cidr += "/128"
					}
				}
				_, n, err := net.ParseCIDR(cidr)
				if err != nil {
					return fmt.Errorf("réseau illisible %q (exemple : 10.0.0.0/8)", part)
				}
				c.TrustedProxies = append(c.TrustedProxies, n)
			}
			return nil
		}, func(c *Config) string {
			parts := make([]string, len(c.TrustedProxies))
			for i, n := range c.TrustedProxies {
				parts[i] = n.String()
			}
			return strings.Join(parts, ",")
		})
	ds, dg := dur(func(c *Config) *time.Duration { return &c.SessionIdle })
	add("session-idle", "MAILLON_SESSION_IDLE", "déconnexion après cette durée d'inactivité", false, ds, dg)
	ds, dg = dur(func(c *Config) *time.Duration { return &c.SessionAbsolute })
	add("session-max", "MAILLON_SESSION_MAX", "durée maximale d'une session", false, ds, dg)
	s, g = str(func(c *Config) *string { return &c.MetricsToken })
	add("metrics-token", "MAILLON_METRICS_TOKEN", "jeton pour lire /metrics depuis une autre machine que localhost", true, s, g)
	add("audit-retention-months", "MAILLON_AUDIT_RETENTION_MONTHS", "conservation du journal d'audit, en mois (6 à 12 ; jusqu'à 36 avec une justification)", false,
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("nombre de mois illisible %q", v)
			}
			c.AuditRetentionMonths = n
			return nil
		}, func(c *Config) string { return strconv.Itoa(c.AuditRetentionMonths) })
	s, g = str(func(c *Config) *string { return &c.AuditRetentionReason })
	add("audit-retention-reason", "MAILLON_AUDIT_RETENTION_REASON", "justification écrite d'une conservation au-delà de 12 mois", false, s, g)
	add("max-body", "MAILLON_MAX_BODY", "taille maximale d'une requête, en octets", false,
		func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("taille illisible %q", v)
			}
			c.MaxBodyBytes = n
			return nil
		}, func(c *Config) string { return strconv.FormatInt(c.MaxBodyBytes, 10) })
	s, g = str(func(c *Config) *string { return &c.LogFormat })
	add("log-format", "MAILLON_LOG_FORMAT", "format des journaux : text ou json", false, s, g)
	s, g = str(func(c *Config) *string { return &c.LogLevel })
	add("log-level", "MAILLON_LOG_LEVEL", "niveau des journaux : debug, info, warn ou error", false, s, g)
	add("dev", "MAILLON_DEV", "relit gabarits et fichiers statiques sur le disque (développement)", false,
		func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("valeur illisible %q (true ou false)", v)
			}
			c.Dev = b
			return nil
		}, func(c *Config) string { return strconv.FormatBool(c.Dev) })
	ds, dg = dur(func(c *Config) *time.Duration { return &c.ShutdownTimeout })
	add("shutdown-timeout", "MAILLON_SHUTDOWN_TIMEOUT", "délai laissé aux requêtes en cours à l'arrêt", false, ds, dg)
	return o
}()

func findOption(name string) *option {
	for i := range options {
		if options[i].name == name {
			return &options[i]
		}
	}
	return nil
}

// Flags holds the flags a subcommand registered.
type Flags struct {
	fs     *flag.FlagSet
	values map[string]*string
	file   *string
}

// Register adds the named options (and --config) to fs. Subcommands
// register only the options they use.
func Register(fs *flag.FlagSet, names ...string) *Flags {
	f := &Flags{fs: fs, values: map[string]*string{}}
	f.file = fs.String("config", "", "fichier de configuration (lignes CLÉ=valeur, mêmes noms que les variables MAILLON_*)")
	for _, n := range names {
		o := findOption(n)
		if o == nil {
			panic("config: unknown option " + n)
		}
		def := o.get(ptr(Default()))
		v := &flagValue{isBool: def == "false" || def == "true"}
		fs.Var(v, n, fmt.Sprintf("%s (variable %s, défaut %q)", o.help, o.env, def))
		f.values[n] = &v.s
	}
	return f
}

func ptr(c Config) *Config { return &c }

// flagValue holds a flag as text until Load applies it; boolean options
// may be given alone ("--dev" means "--dev=true").
type flagValue struct {
	s      string
	isBool bool
}

func (v *flagValue) String() string     { return v.s }
func (v *flagValue) Set(s string) error { v.s = s; return nil }
func (v *flagValue) IsBoolFlag() bool   { return v.isBool }

// Load builds the configuration from defaults, the optional file, the
// environment and the flags that were set, then validates it.
func Load(f *Flags, getenv func(string) string) (Config, error) {
	c := Default()
	file := getenv("MAILLON_CONFIG")
	if f != nil && *f.file != "" {
		file = *f.file
	}
	if file != "" {
		if err := c.loadFile(file); err != nil {
			return c, err
		}
	}
	for _, o := range options {
		if v := getenv(o.env); v != "" {
			if err := o.set(&c, v); err != nil {
				return c, fmt.Errorf("%s : %v", o.env, err)
			}
			c.sources[o.name] = "environnement"
		}
		if o.secret {
			if path := getenv(o.env + "_FILE"); path != "" {
				b, err := os.ReadFile(path)
				if err != nil {
					return c, fmt.Errorf("%s_FILE : lecture impossible de %s : %v", o.env, path, err)
				}
				if err := o.set(&c, strings.TrimSpace(string(b))); err != nil {
					return c, fmt.Errorf("%s_FILE : %v", o.env, err)
				}
				c.sources[o.name] = "fichier secret"
			}
		}
	}
	if f != nil {
		var err error
		f.fs.Visit(func(fl *flag.Flag) {
			v, ok := f.values[fl.Name]
			if !ok || err != nil {
				return
			}
			if e := findOption(fl.Name).set(&c, *v); e != nil {
				err = fmt.Errorf("--%s : %v", fl.Name, e)
			}
			c.sources[fl.Name] = "option"
		})
		if err != nil {
			return c, err
		}
	}
	// Validate normalises c (the base URL loses its trailing slash); call it
	// before copying c, as the order of evaluation within a return
	// statement is unspecified.
	err := c.Validate()
	return c, err
}

func (c *Config) loadFile(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("fichier de configuration : %v", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return fmt.Errorf("%s:%d : écrivez CLÉ=valeur", path, line)
		}
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)
		found := false
		for _, o := range options {
			if o.env == k {
				if err := o.set(c, v); err != nil {
					return fmt.Errorf("%s:%d : %s : %v", path, line, k, err)
				}
				c.sources[o.name] = "fichier " + path
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s:%d : clé inconnue %s", path, line, k)
		}
	}
	return sc.Err()
}

// Validate checks values and their combinations.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("adresse d'écoute %q illisible (exemple : 127.0.0.1:8080)", c.Addr))
	}
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		errs = append(errs, errors.New("base de données : utilisez sqlite:chemin.db ou postgres://utilisateur@hôte/base"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			errs = append(errs, fmt.Errorf("adresse publique %q : écrivez par exemple https://maillon.exemple.fr (sans chemin)", c.BaseURL))
		} else {
			c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
		}
	}
	if c.SessionIdle < time.Minute || c.SessionIdle > 24*time.Hour {
		errs = append(errs, errors.New("la durée d'inactivité doit être comprise entre 1 minute et 24 heures"))
	}
	if c.SessionAbsolute < c.SessionIdle || c.SessionAbsolute > 7*24*time.Hour {
		errs = append(errs, errors.New("la durée maximale de session doit être au moins la durée d'inactivité et au plus 7 jours"))
	}
	switch {
	case c.AuditRetentionMonths < 6 || c.AuditRetentionMonths > 36:
		errs = append(errs, errors.New("la conservation du journal d'audit est comprise entre 6 et 36 mois"))
	case c.AuditRetentionMonths > 12 && strings.TrimSpace(c.AuditRetentionReason) == "":
		errs = append(errs, errors.New("au-delà de 12 mois, la conservation du journal d'audit demande une justification (MAILLON_AUDIT_RETENTION_REASON)"))
	}
	if c.MaxBodyBytes < 64<<10 || c.MaxBodyBytes > 512<<20 {
		errs = append(errs, errors.New("la taille maximale d'une requête est comprise entre 64 Kio et 512 Mio"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, errors.New("format des journaux : text ou json"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, errors.New("niveau des journaux : debug, info, warn ou error"))
	}
	if c.ShutdownTimeout <= 0 || c.ShutdownTimeout > 5*time.Minute {
		errs = append(errs, errors.New("le délai d'arrêt est compris entre 1 seconde et 5 minutes"))
	}
	return errors.Join(errs...)
}

// Setting is one line of the effective configuration.
type Setting struct {
	Name, Env, Value, Source string
}

// Dump lists the effective settings with their source; secrets are
// redacted, and a database URL loses its password.
func (c *Config) Dump() []Setting {
	out := make([]Setting, 0, len(options))
	for _, o := range options {
		v := o.get(c)
		if o.secret && v != "" {
			if o.name == "db" {
				v = redactURL(v)
			} else {
				v = "(masqué)"
			}
		}
		src := c.sources[o.name]
		if src == "" {
			src = "défaut"
		}
		out = append(out, Setting{Name: o.name, Env: o.env, Value: v, Source: src})
	}
	return out
}

func redactURL(v string) string {
	if !strings.Contains(v, "://") {
		return v
	}
	u, err := url.Parse(v)
	if err != nil {
		return "(masqué)"
	}
	// PostgreSQL URLs may carry the password as a query parameter too.
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
