package config_test

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"maillon/internal/config"
)

var allOptions = []string{
	"addr", "db", "base-url", "trusted-proxies", "session-idle", "session-max", "metrics-token",
	"audit-retention-months", "audit-retention-reason", "max-body", "log-format", "log-level", "dev",
	"shutdown-timeout",
}

// load parses args with every option registered and loads the
// configuration with env as the environment.
func load(t *testing.T, args []string, env map[string]string) (config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := config.Register(fs, allOptions...)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parsing %v: %v", args, err)
	}
	return config.Load(f, func(k string) string { return env[k] })
}

// mustLoad is load for configurations that must be valid.
func mustLoad(t *testing.T, args []string, env map[string]string) config.Config {
	t.Helper()
	c, err := load(t, args, env)
	if err != nil {
		t.Fatalf("Load(%v, %v) = %v", args, env, err)
	}
	return c
}

// writeFile writes a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// dump indexes Dump by option name.
func dump(c config.Config) map[string]config.Setting {
	m := map[string]config.Setting{}
	for _, s := range c.Dump() {
		m[s.Name] = s
	}
	return m
}

func TestDefaults(t *testing.T) {
	c := mustLoad(t, nil, nil)
	want := config.Default()
	checks := []struct {
		name      string
		got, want any
	}{
		{"addr", c.Addr, "127.0.0.1:8080"},
		{"db", c.DB, "sqlite:maillon.db"},
		{"base URL", c.BaseURL, ""},
		{"trusted proxies", len(c.TrustedProxies), 0},
		{"session idle", c.SessionIdle, 30 * time.Minute},
		{"session max", c.SessionAbsolute, 12 * time.Hour},
		{"audit retention", c.AuditRetentionMonths, 12},
		{"max body", c.MaxBodyBytes, int64(2 << 20)},
		{"log format", c.LogFormat, "text"},
		{"log level", c.LogLevel, "info"},
		{"dev", c.Dev, false},
		{"shutdown timeout", c.ShutdownTimeout, 15 * time.Second},
		{"metrics token", c.MetricsToken, ""},
		{"secure cookies", c.SecureCookies(), false},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}
	if err := want.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v", err)
	}
	for name, s := range dump(c) {
		if s.Source != "défaut" {
			t.Errorf("source of %s = %q, want défaut", name, s.Source)
		}
	}
}

func TestLoadWithoutFlags(t *testing.T) {
	c, err := config.Load(nil, func(k string) string {
		return map[string]string{"MAILLON_ADDR": ":9090"}[k]
	})
	if err != nil || c.Addr != ":9090" {
		t.Fatalf("Load(nil) = %q, %v; want the environment value", c.Addr, err)
	}
}

func TestPrecedence(t *testing.T) {
	file := writeFile(t, "maillon.conf", `# Configuration de l'instance
MAILLON_ADDR=0.0.0.0:7000
MAILLON_LOG_LEVEL = debug

  # commentaire indenté
MAILLON_LOG_FORMAT="json"
MAILLON_MAX_BODY=1048576
`)
	env := map[string]string{
		"MAILLON_CONFIG":    file,
		"MAILLON_ADDR":      "0.0.0.0:8000",
		"MAILLON_LOG_LEVEL": "warn",
		"MAILLON_DEV":       "true",
	}
	c := mustLoad(t, []string{"--addr", "0.0.0.0:9000", "--session-idle=45m"}, env)
	tests := []struct {
		option, value, source string
	}{
		{"addr", "0.0.0.0:9000", "option"},         // flag over environment over file
		{"log-level", "warn", "environnement"},     // environment over file
		{"log-format", "json", "fichier " + file},  // quotes removed
		{"max-body", "1048576", "fichier " + file}, // file over default
		{"dev", "true", "environnement"},           // environment over default
		{"session-idle", "45m0s", "option"},        // flag over default
		{"shutdown-timeout", "15s", "défaut"},      // untouched
	}
	d := dump(c)
	for _, tt := range tests {
		s := d[tt.option]
		if s.Value != tt.value || s.Source != tt.source {
			t.Errorf("%s = %q from %q, want %q from %q", tt.option, s.Value, s.Source, tt.value, tt.source)
		}
	}
	if c.Addr != "0.0.0.0:9000" || c.LogLevel != "warn" || c.LogFormat != "json" || c.MaxBodyBytes != 1<<20 || !c.Dev || c.SessionIdle != 45*time.Minute {
		t.Errorf("config = %+v", c)
	}
}

func TestConfigFlagOverridesEnvironmentFile(t *testing.T) {
	fromEnv := writeFile(t, "env.conf", "MAILLON_ADDR=0.0.0.0:1111\n")
	fromFlag := writeFile(t, "flag.conf", "MAILLON_ADDR=0.0.0.0:2222\n")
	c := mustLoad(t, []string{"--config", fromFlag}, map[string]string{"MAILLON_CONFIG": fromEnv})
	if c.Addr != "0.0.0.0:2222" {
		t.Fatalf("Addr = %q, want the value of the file named by --config", c.Addr)
	}
	if src := dump(c)["addr"].Source; src != "fichier "+fromFlag {
		t.Fatalf("source = %q", src)
	}
}

func TestFlagSetToDefaultValueCountsAsSet(t *testing.T) {
	c := mustLoad(t, []string{"--log-level=info"}, map[string]string{"MAILLON_LOG_LEVEL": "debug"})
	if c.LogLevel != "info" {
		t.Fatalf("LogLevel = %q: an explicit flag must win even when it equals the default", c.LogLevel)
	}
}

func TestUnregisteredOptionsIgnoreFlagsButReadEnvironment(t *testing.T) {
	fs := flag.NewFlagSet("db", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := config.Register(fs, "db")
	if err := fs.Parse([]string{"--addr", ":1"}); err == nil {
		t.Fatal("--addr accepted by a subcommand that did not register it")
	}
	c, err := config.Load(f, func(k string) string {
		return map[string]string{"MAILLON_LOG_LEVEL": "debug"}[k]
	})
	if err != nil || c.LogLevel != "debug" {
		t.Fatalf("Load = %q, %v", c.LogLevel, err)
	}
}

func TestRegisterUnknownOptionPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Register with an unknown option did not panic")
		}
	}()
	config.Register(flag.NewFlagSet("x", flag.ContinueOnError), "colour")
}

func TestSecretFiles(t *testing.T) {
	token := writeFile(t, "token", "  s3cret-token\n")
	db := writeFile(t, "db", "postgres://maillon:pa55@db.exemple.fr/maillon\n")
	c := mustLoad(t, nil, map[string]string{
		"MAILLON_METRICS_TOKEN":      "from-env",
		"MAILLON_METRICS_TOKEN_FILE": token,
		"MAILLON_DB_FILE":            db,
	})
	if c.MetricsToken != "s3cret-token" {
		t.Errorf("MetricsToken = %q, want the trimmed file content, preferred to the variable", c.MetricsToken)
	}
	if c.DB != "postgres://maillon:pa55@db.exemple.fr/maillon" {
		t.Errorf("DB = %q", c.DB)
	}
	d := dump(c)
	if d["metrics-token"].Source != "fichier secret" || d["db"].Source != "fichier secret" {
		t.Errorf("sources = %q, %q", d["metrics-token"].Source, d["db"].Source)
	}

	t.Run("a flag still wins", func(t *testing.T) {
		c := mustLoad(t, []string{"--metrics-token", "from-flag"}, map[string]string{"MAILLON_METRICS_TOKEN_FILE": token})
		if c.MetricsToken != "from-flag" {
			t.Fatalf("MetricsToken = %q", c.MetricsToken)
		}
	})
	t.Run("missing file is an error naming the variable", func(t *testing.T) {
		_, err := load(t, nil, map[string]string{"MAILLON_METRICS_TOKEN_FILE": filepath.Join(t.TempDir(), "absent")})
		if err == nil || !strings.Contains(err.Error(), "MAILLON_METRICS_TOKEN_FILE : lecture impossible") {
			t.Fatalf("Load = %v", err)
		}
	})
	t.Run("only secrets have a _FILE variant", func(t *testing.T) {
		c := mustLoad(t, nil, map[string]string{"MAILLON_ADDR_FILE": token})
		if c.Addr != "127.0.0.1:8080" {
			t.Fatalf("Addr = %q", c.Addr)
		}
	})
}

func TestConfigFileErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"line without equals sign", "# ok\nMAILLON_ADDR\n", ":2 : écrivez CLÉ=valeur"},
		{"unknown key", "MAILLON_COLOUR=blue\n", ":1 : clé inconnue MAILLON_COLOUR"},
		{"flag name instead of variable", "addr=:8080\n", "clé inconnue addr"},
		{"unreadable value", "\nMAILLON_SESSION_IDLE=demi-heure\n", `:2 : MAILLON_SESSION_IDLE : durée illisible "demi-heure"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, "maillon.conf", tt.content)
			_, err := load(t, []string{"--config", p}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want an error containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := load(t, nil, map[string]string{"MAILLON_CONFIG": filepath.Join(t.TempDir(), "absent.conf")})
		if err == nil || !strings.Contains(err.Error(), "fichier de configuration") {
			t.Fatalf("Load = %v", err)
		}
	})
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // fragment of the error; "" when valid
	}{
		{"addr without port", map[string]string{"MAILLON_ADDR": "localhost"}, nil, `adresse d'écoute "localhost" illisible`},
		{"addr with port only", map[string]string{"MAILLON_ADDR": ":8080"}, nil, ""},
		{"db with unknown scheme", map[string]string{"MAILLON_DB": "mysql://x/y"}, nil, "base de données : utilisez sqlite:chemin.db ou postgres://"},
		{"db as a bare path", map[string]string{"MAILLON_DB": "maillon.db"}, nil, "base de données"},
		{"db postgresql scheme", map[string]string{"MAILLON_DB": "postgresql://maillon@localhost/maillon"}, nil, ""},
		{"base URL with a path", map[string]string{"MAILLON_BASE_URL": "https://exemple.fr/maillon"}, nil, "(sans chemin)"},
		{"base URL without scheme", map[string]string{"MAILLON_BASE_URL": "maillon.exemple.fr"}, nil, "adresse publique"},
		{"base URL with another scheme", map[string]string{"MAILLON_BASE_URL": "ftp://maillon.exemple.fr"}, nil, "adresse publique"},
		{"base URL with trailing slash", map[string]string{"MAILLON_BASE_URL": "https://maillon.exemple.fr/"}, nil, ""},
		{"idle under a minute", map[string]string{"MAILLON_SESSION_IDLE": "30s"}, nil, "entre 1 minute et 24 heures"},
		{"idle over a day", map[string]string{"MAILLON_SESSION_IDLE": "25h", "MAILLON_SESSION_MAX": "48h"}, nil, "entre 1 minute et 24 heures"},
		{"absolute shorter than idle", map[string]string{"MAILLON_SESSION_IDLE": "2h", "MAILLON_SESSION_MAX": "1h"}, nil, "au moins la durée d'inactivité"},
		{"absolute over a week", map[string]string{"MAILLON_SESSION_MAX": "169h"}, nil, "au plus 7 jours"},
		{"absolute equal to idle", map[string]string{"MAILLON_SESSION_IDLE": "1h", "MAILLON_SESSION_MAX": "1h"}, nil, ""},
		{"idle unparsable", map[string]string{"MAILLON_SESSION_IDLE": "30 minutes"}, nil, `MAILLON_SESSION_IDLE : durée illisible "30 minutes" (exemples : 30m, 12h)`},
		{"absolute unparsable in a flag", nil, []string{"--session-max", "12"}, `--session-max : durée illisible "12"`},
		{"shutdown unparsable", map[string]string{"MAILLON_SHUTDOWN_TIMEOUT": "bientôt"}, nil, "MAILLON_SHUTDOWN_TIMEOUT : durée illisible"},
		{"shutdown zero", map[string]string{"MAILLON_SHUTDOWN_TIMEOUT": "0s"}, nil, "délai d'arrêt"},
		{"shutdown over five minutes", map[string]string{"MAILLON_SHUTDOWN_TIMEOUT": "6m"}, nil, "délai d'arrêt"},
		{"audit retention of 5 months", map[string]string{"MAILLON_AUDIT_RETENTION_MONTHS": "5"}, nil, "entre 6 et 36 mois"},
		{"audit retention of 6 months", map[string]string{"MAILLON_AUDIT_RETENTION_MONTHS": "6"}, nil, ""},
		{"audit retention of 13 months without reason", map[string]string{"MAILLON_AUDIT_RETENTION_MONTHS": "13"}, nil, "demande une justification (MAILLON_AUDIT_RETENTION_REASON)"},
		{"audit retention of 13 months with a blank reason", map[string]string{"MAILLON_AUDIT_RETENTION_MONTHS": "13", "MAILLON_AUDIT_RETENTION_REASON": "   "}, nil, "justification"},
		{"audit retention of 13 months with a reason", map[string]string{"MAILLON_AUDIT_RETENTION_MONTHS": "13", "MAILLON_AUDIT_RETENTION_REASON": "convention avec le bailleur"}, nil, ""},
		{"audit retention of 40 months even with a reason", map[string]string{"MAILLON_AUDIT_RETENTION_MONTHS": "40", "MAILLON_AUDIT_RETENTION_REASON": "contentieux"}, nil, "entre 6 et 36 mois"},
		{"audit retention unparsable", map[string]string{"MAILLON_AUDIT_RETENTION_MONTHS": "douze"}, nil, `nombre de mois illisible "douze"`},
		{"max body too small", map[string]string{"MAILLON_MAX_BODY": "1000"}, nil, "entre 64 Kio et 512 Mio"},
		{"max body too large", map[string]string{"MAILLON_MAX_BODY": "1073741824"}, nil, "entre 64 Kio et 512 Mio"},
		{"max body with a unit", map[string]string{"MAILLON_MAX_BODY": "2M"}, nil, `taille illisible "2M"`},
		{"log format xml", map[string]string{"MAILLON_LOG_FORMAT": "xml"}, nil, "format des journaux : text ou json"},
		{"log level trace", map[string]string{"MAILLON_LOG_LEVEL": "trace"}, nil, "niveau des journaux : debug, info, warn ou error"},
		{"log level in capitals", map[string]string{"MAILLON_LOG_LEVEL": "INFO"}, nil, "niveau des journaux"},
		{"dev not a boolean", map[string]string{"MAILLON_DEV": "oui"}, nil, `valeur illisible "oui" (true ou false)`},
		{"trusted proxy CIDR", map[string]string{"MAILLON_TRUSTED_PROXIES": "10.0.0.0/8, fd00::/8"}, nil, ""},
		{"trusted proxy bare IPs", map[string]string{"MAILLON_TRUSTED_PROXIES": "10.0.0.1,::1"}, nil, ""},
		{"trusted proxy mask too wide", map[string]string{"MAILLON_TRUSTED_PROXIES": "10.0.0.0/33"}, nil, `réseau illisible "10.0.0.0/33"`},
		{"trusted proxy host name", map[string]string{"MAILLON_TRUSTED_PROXIES": "proxy.local"}, nil, `réseau illisible "proxy.local" (exemple : 10.0.0.0/8)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.args, tt.env)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Load = %v, want valid", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := config.Default()
	c.Addr, c.LogFormat, c.LogLevel = "nope", "xml", "trace"
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil")
	}
	for _, want := range []string{"adresse d'écoute", "format des journaux", "niveau des journaux"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c := mustLoad(t, []string{"--trusted-proxies", " 10.0.0.0/8, 192.168.1.10 ,::1,, fd00::/8 "}, nil)
	var got []string
	for _, n := range c.TrustedProxies {
		got = append(got, n.String())
	}
	want := []string{"10.0.0.0/8", "192.168.1.10/32", "::1/128", "fd00::/8"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("TrustedProxies = %v, want %v", got, want)
	}
	if v := dump(c)["trusted-proxies"].Value; v != strings.Join(want, ",") {
		t.Fatalf("Dump value = %q", v)
	}
}

func TestBaseURLAndSecureCookies(t *testing.T) {
	tests := []struct {
		url     string
		wantURL string
		secure  bool
	}{
		{"https://maillon.exemple.fr/", "https://maillon.exemple.fr", true},
		{"https://maillon.exemple.fr:8443", "https://maillon.exemple.fr:8443", true},
		{"http://localhost:8080", "http://localhost:8080", false},
		{"", "", false},
	}
	for _, tt := range tests {
		c := mustLoad(t, nil, map[string]string{"MAILLON_BASE_URL": tt.url})
		if c.BaseURL != tt.wantURL || c.SecureCookies() != tt.secure {
			t.Errorf("base URL %q: BaseURL %q, SecureCookies %v; want %q, %v", tt.url, c.BaseURL, c.SecureCookies(), tt.wantURL, tt.secure)
		}
	}
}

func TestDumpRedactsSecrets(t *testing.T) {
	tests := []struct {
		name      string
		db        string
		wantValue string
	}{
		{"password in the user info", "postgres://maillon:Tr0ub4dor@db.exemple.fr:5432/maillon?sslmode=require",
			"postgres://maillon:xxxxx@db.exemple.fr:5432/maillon?sslmode=require"},
		{"password as a query parameter", "postgres://maillon@db.exemple.fr/maillon?password=Tr0ub4dor&sslmode=require",
			"postgres://maillon@db.exemple.fr/maillon?password=xxxxx&sslmode=require"},
		{"no password", "postgres://maillon@db.exemple.fr/maillon", "postgres://maillon@db.exemple.fr/maillon"},
		{"SQLite path", "sqlite:/var/lib/maillon/maillon.db", "sqlite:/var/lib/maillon/maillon.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, []string{"--db", tt.db}, map[string]string{"MAILLON_METRICS_TOKEN": "Tr0ub4dor-token"})
			d := dump(c)
			if got := d["db"].Value; got != tt.wantValue {
				t.Errorf("db = %q, want %q", got, tt.wantValue)
			}
			if got := d["metrics-token"].Value; got != "(masqué)" {
				t.Errorf("metrics-token = %q, want (masqué)", got)
			}
			for _, s := range c.Dump() {
				if strings.Contains(s.Value, "Tr0ub4dor") {
					t.Errorf("%s leaks a secret: %q", s.Name, s.Value)
				}
			}
			if d["db"].Source != "option" || d["metrics-token"].Source != "environnement" {
				t.Errorf("sources = %q, %q", d["db"].Source, d["metrics-token"].Source)
			}
			if c.DB != tt.db {
				t.Errorf("Dump changed the configuration: DB = %q", c.DB)
			}
		})
	}
	t.Run("empty token stays empty", func(t *testing.T) {
		if v := dump(mustLoad(t, nil, nil))["metrics-token"].Value; v != "" {
			t.Fatalf("metrics-token = %q", v)
		}
	})
}

func TestDumpListsEveryOptionWithItsVariable(t *testing.T) {
	d := config.Default()
	settings := d.Dump()
	if len(settings) != len(allOptions) {
		t.Fatalf("Dump lists %d settings, want %d", len(settings), len(allOptions))
	}
	for i, s := range settings {
		if s.Name != allOptions[i] {
			t.Errorf("setting %d = %q, want %q", i, s.Name, allOptions[i])
		}
		if want := "MAILLON_" + strings.ToUpper(strings.ReplaceAll(s.Name, "-", "_")); s.Env != want {
			t.Errorf("%s: variable %q, want %q", s.Name, s.Env, want)
		}
	}
}

func TestBooleanOptionAlone(t *testing.T) {
	if c := mustLoad(t, []string{"--dev"}, nil); !c.Dev {
		t.Error("--dev alone did not enable dev mode")
	}
	if c := mustLoad(t, []string{"--dev=false"}, map[string]string{"MAILLON_DEV": "true"}); c.Dev {
		t.Error("--dev=false did not override the environment")
	}
}
