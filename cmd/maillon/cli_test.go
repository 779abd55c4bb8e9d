package main

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"maillon"
)

func TestMainUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout bool // the usage goes to stdout, else to stderr
	}{
		{"no arguments is a usage error", nil, 2, true},
		{"help", []string{"help"}, 0, true},
		{"-h", []string{"-h"}, 0, true},
		{"--help", []string{"--help"}, 0, true},
		{"--debug alone is a usage error", []string{"--debug"}, 2, true},
		{"unknown command", []string{"frobnicate"}, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := cli(t, nil, "", tt.args...)
			if o.code != tt.code {
				t.Fatalf("want exit %d, got %s", tt.code, o)
			}
			usage := o.stderr
			if tt.inStdout {
				usage = o.stdout
			}
			for _, want := range []string{"Usage : maillon", "Commandes :", "Exemples :", "serve", "db", "demo", "user", "structure", "config", "version"} {
				if !strings.Contains(usage, want) {
					t.Errorf("usage lacks %q:\n%s", want, o)
				}
			}
		})
	}
	o := cli(t, nil, "", "frobnicate")
	if !strings.Contains(o.stderr, `commande inconnue "frobnicate"`) {
		t.Errorf("unknown command: want a French message naming it, got %s", o)
	}
}

// Ensure every subcommand answers -h with a French usage and examples, and
// exit status 0, without touching a database.
func TestSubcommandHelp(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "-h"},
		{"serve", "--help"},
		{"db", "-h"},
		{"db", "migrate", "-h"},
		{"db", "status", "-h"},
		{"db", "backup", "-h"},
		{"demo", "-h"},
		{"user", "-h"},
		{"user", "help"},
		{"user", "add", "-h"},
		{"user", "reset-password", "-h"},
		{"user", "deactivate", "-h"},
		{"user", "list", "-h"},
		{"structure", "-h"},
		{"structure", "add", "-h"},
		{"structure", "list", "-h"},
		{"config", "-h"},
		{"version", "-h"},
		{"export", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// A database that cannot be opened proves -h never tries.
			o := cli(t, map[string]string{"MAILLON_DB": "sqlite:/nonexistent/dir/maillon.db"}, "", args...)
			if o.code != 0 {
				t.Fatalf("want exit 0, got %s", o)
			}
			// Asked for, the help goes to standard output (maillon serve -h | less).
			for _, want := range []string{"Usage : maillon " + args[0], "Exemples :"} {
				if !strings.Contains(o.stdout, want) {
					t.Errorf("help lacks %q:\n%s", want, o)
				}
			}
			if o.stderr != "" {
				t.Errorf("help wrote to standard error: %s", o)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want string // in stderr
	}{
		{"db without a subcommand", []string{"db"}, nil, "db migrate"},
		{"db with an unknown subcommand", []string{"db", "vacuum"}, nil, "db migrate"},
		{"db backup without a file", []string{"db", "backup"}, nil, "--to est obligatoire"},
		{"user without a subcommand", []string{"user"}, nil, "sous-commande"},
		{"user with an unknown subcommand", []string{"user", "create"}, nil, "sous-commande inconnue « create »"},
		{"structure with an unknown subcommand", []string{"structure", "remove"}, nil, "sous-commande inconnue « remove »"},
		{"unknown option", []string{"version", "--verbose"}, nil, "maillon version : option inconnue : -verbose (aide : « maillon version -h »)\n"},
		{"option without its value", []string{"user", "list", "--structure"}, nil, "l'option -structure attend une valeur (aide : « maillon user list -h »)"},
		{"bad boolean", []string{"user", "add", "--temporary=peut-être"}, nil, `valeur invalide "peut-être" pour l'option -temporary (true ou false)`},
		{"unexpected argument", []string{"config", "extra"}, nil, "argument inattendu : extra"},
		{"bad duration option", []string{"config", "--session-idle", "10x"}, nil, "--session-idle"},
		{"bad duration variable", []string{"config"}, map[string]string{"MAILLON_SESSION_IDLE": "10x"}, "MAILLON_SESSION_IDLE"},
		{"bad listen address", []string{"config", "--addr", "nowhere"}, nil, "adresse d'écoute"},
		{"bad database URL", []string{"config", "--db", "mysql://x"}, nil, "sqlite:chemin.db"},
		{"serve with a bad duration", []string{"serve", "--session-idle", "10x", "--addr", "127.0.0.1:0"}, nil, "--session-idle"},
		{"serve with a bad log level", []string{"serve", "--log-level", "bavard", "--addr", "127.0.0.1:0"}, nil, "niveau des journaux"},
		{"db status with a bad database URL", []string{"db", "status", "--db", "oracle:x"}, nil, "base de données"},
		{"demo with an unknown scale", []string{"demo", "--scale", "huge"}, nil, "--scale vaut small ou large"},
		{"demo with no people", []string{"demo", "--scale", "large", "--people", "0"}, nil, "--people vaut au moins 1"},
		{"demo with a bad seed", []string{"demo", "--seed", "abc"}, nil, `valeur invalide "abc" pour l'option -seed`},
		{"user add without e-mail", []string{"user", "add", "--name", "X", "--role", "admin"}, nil, "--email, --name et --role sont obligatoires"},
		{"user reset-password without e-mail", []string{"user", "reset-password", "--generate"}, nil, "--email est obligatoire"},
		{"user deactivate without e-mail", []string{"user", "deactivate"}, nil, "--email est obligatoire"},
		{"structure add without name", []string{"structure", "add"}, nil, "--name est obligatoire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"MAILLON_DB": "sqlite:/nonexistent/dir/maillon.db"}
			for k, v := range tt.vars {
				vars[k] = v
			}
			o := cli(t, vars, "", tt.args...)
			if o.code != 2 {
				t.Fatalf("want exit 2, got %s", o)
			}
			if !strings.Contains(o.stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, o)
			}
			if o.stdout != "" {
				t.Errorf("a usage error wrote to standard output: %s", o)
			}
			for _, english := range []string{"flag provided", "invalid value", "needs an argument"} {
				if strings.Contains(o.stderr, english) {
					t.Errorf("English message from the flag package: %s", o)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	o := mustRun(t, 0, nil, "", "version")
	if !strings.HasPrefix(o.stdout, "maillon ") || !strings.Contains(o.stdout, runtime.Version()) ||
		!strings.Contains(o.stdout, runtime.GOOS+"/"+runtime.GOARCH) {
		t.Errorf("unexpected version line: %s", o)
	}
	old := version
	version = "v1.2.3"
	defer func() { version = old }()
	if o := mustRun(t, 0, nil, "", "version"); !strings.HasPrefix(o.stdout, "maillon v1.2.3 (") {
		t.Errorf("the linker-set version is not shown: %s", o)
	}
}

func TestDBMigrateAndStatus(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		o := mustRun(t, 1, nil, "", "db", "status", "--db", dsn)
		if !strings.Contains(o.stdout, "en attente  2026") {
			t.Errorf("db status should list pending migrations: %s", o)
		}
		if strings.Contains(o.stdout, "appliquée") {
			t.Errorf("a fresh database has no applied migration: %s", o)
		}
		if !strings.Contains(o.stderr, "migration(s) en attente : lancez « maillon db migrate »") {
			t.Errorf("db status should say what to do: %s", o)
		}
		pending := strings.Count(o.stdout, "en attente  ")

		// Other commands refuse an unmigrated database and say why.
		o = mustRun(t, 1, nil, "", "structure", "list", "--db", dsn)
		if !strings.Contains(o.stderr, "lancez d'abord « maillon db migrate »") {
			t.Errorf("structure list on an unmigrated database: %s", o)
		}

		// The variable works as well as the option.
		o = mustRun(t, 0, map[string]string{"MAILLON_DB": dsn}, "", "db", "migrate")
		if n := strings.Count(o.stdout, "appliquée : "); n != pending {
			t.Errorf("db migrate applied %d migrations, want %d: %s", n, pending, o)
		}
		o = mustRun(t, 0, nil, "", "db", "migrate", "--db", dsn)
		if !strings.Contains(o.stdout, "aucune migration en attente") {
			t.Errorf("a second db migrate should have nothing to do: %s", o)
		}
		o = mustRun(t, 0, nil, "", "db", "status", "--db", dsn)
		if strings.Contains(o.stdout, "en attente") || strings.Count(o.stdout, "appliquée   ") != pending ||
			!strings.Contains(o.stdout, "Base à jour.") {
			t.Errorf("db status after migrate: %s", o)
		}
	})
}

var demoSummary = regexp.MustCompile(`^Jeu de démonstration chargé : (\d+) structure\(s\), (\d+) équipe\(s\), (\d+) compte\(s\), (\d+) commune\(s\), (\d+) quartier\(s\)\.\nActivité : .*\.\nDurée : [^\n]+\.\n$`)

func TestDemo(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		o := mustRun(t, 0, nil, "", "demo", "--db", dsn, "--seed", "7")
		m := demoSummary.FindStringSubmatch(o.stdout)
		if m == nil {
			t.Fatalf("unexpected demo summary: %s", o)
		}
		for i, what := range []string{"structures", "teams", "users", "communes", "zones"} {
			if n, _ := strconv.Atoi(m[i+1]); n == 0 {
				t.Errorf("the demo dataset has no %s: %s", what, o)
			}
		}
		if m[1] != "1" {
			t.Errorf("the small demo dataset has one structure, got %s", m[1])
		}
		list := mustRun(t, 0, nil, "", "user", "list", "--db", dsn)
		if got := strings.Count(list.stdout, "\n") - 1; strconv.Itoa(got) != m[3] {
			t.Errorf("user list shows %d accounts, the summary said %s:\n%s", got, m[3], list.stdout)
		}
		for _, email := range []string{"admin@demo.maillon.test", "coordination@demo.maillon.test", "mediation@demo.maillon.test"} {
			if !strings.Contains(list.stdout, email) {
				t.Errorf("user list lacks demo account %s:\n%s", email, list.stdout)
			}
		}
		structures := mustRun(t, 0, nil, "", "structure", "list", "--db", dsn)
		if !strings.Contains(structures.stdout, "Médiation Sud-Est (démo)") {
			t.Errorf("structure list lacks the demo structure: %s", structures)
		}

		// The demo accounts log in with the documented password.
		st := openTestStore(t, dsn)
		if _, u, err := st.Login(context.Background(), maillon.LoginInput{Email: "admin@demo.maillon.test", Password: "maillon-demo-2026",
			ClientIP: "192.0.2.1", Channel: maillon.ChannelWeb}); err != nil || u.Role != maillon.RoleAdmin {
			t.Errorf("demo admin login: %v", err)
		}

		// A second load is refused: the database is not empty.
		o = mustRun(t, 1, nil, "", "demo", "--db", dsn)
		if !strings.Contains(o.stderr, "La base contient déjà des données") {
			t.Errorf("demo on a non-empty database: want a French refusal, got %s", o)
		}
		if again := mustRun(t, 0, nil, "", "user", "list", "--db", dsn); again.stdout != list.stdout {
			t.Errorf("the refused demo changed the accounts:\n%s\nthen\n%s", list.stdout, again.stdout)
		}
	})
}

// Ensure the same seed gives the same dataset: the large scale draws names
// at random, so it shows the seed at work.
func TestDemoIsDeterministic(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the large demo dataset several times")
	}
	forEachEngine(t, func(t *testing.T, dsn string) {
		engine := "sqlite"
		if strings.HasPrefix(dsn, "postgres") {
			engine = "postgres"
		}
		load := func(dsn, seed string) string {
			// A reduced network: the default size is for benchmarks, and
			// the determinism of the generator shows at any size.
			mustRun(t, 0, nil, "", "demo", "--db", dsn, "--scale", "large", "--seed", seed, "--people", "500")
			var b strings.Builder
			b.WriteString(mustRun(t, 0, nil, "", "structure", "list", "--db", dsn).stdout)
			for sid := 1; sid <= 5; sid++ {
				b.WriteString(mustRun(t, 0, nil, "", "user", "list", "--db", dsn, "--structure", strconv.Itoa(sid)).stdout)
			}
			return b.String()
		}
		first := load(dsn, "42")
		if strings.Count(first, "\n") < 90 {
			t.Fatalf("the large demo dataset looks too small:\n%s", first)
		}
		if second := load(emptyDatabase(t, engine), "42"); second != first {
			t.Errorf("same seed, different data:\n%s\n----\n%s", first, second)
		}
		// The generator does not depend on the engine: one check of
		// another seed is enough.
		if engine == "sqlite" {
			if other := load(emptyDatabase(t, engine), "43"); other == first {
				t.Errorf("another seed gave exactly the same data: is the seed used?")
			}
		}
	})
}

func TestStructureAndUserCommands(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		db := map[string]string{"MAILLON_DB": dsn}
		mustRun(t, 0, db, "", "db", "migrate")

		o := mustRun(t, 1, db, "", "user", "list")
		if !strings.Contains(o.stderr, "aucune structure : créez-en une avec « maillon structure add »") {
			t.Errorf("user list without a structure: %s", o)
		}

		// structure add validates the SIRET.
		o = mustRun(t, 1, db, "", "structure", "add", "--name", "Médiation Nord", "--siret", "12345678900008")
		if !strings.Contains(o.stderr, "--siret : Ce numéro SIRET n'est pas valide") {
			t.Errorf("bad SIRET: want a French message naming the option, got %s", o)
		}
		o = mustRun(t, 0, db, "", "structure", "add", "--name", "Médiation Nord", "--siret", "12345678900007", "--city", "Roubaix", "--postal-code", "59100")
		if o.stdout != "Structure n° 1 créée : Médiation Nord.\n" {
			t.Errorf("structure add: %s", o)
		}

		// user add with --password-file.
		pwFile := writeFile(t, "pw", "une phrase de passe solide\n")
		o = mustRun(t, 0, db, "", "user", "add", "--email", "Nadia.Benali@Exemple.fr", "--name", "Nadia Benali", "--role", "admin", "--password-file", pwFile)
		if o.stdout != "Compte n° 1 créé : nadia.benali@exemple.fr (Administration de la structure).\n" {
			t.Errorf("user add: %s", o)
		}
		// user add with the password on standard input.
		o = mustRun(t, 0, db, "un autre mot de passe long\n", "user", "add", "--email", "karim@exemple.fr", "--name", "Karim Diallo", "--role", "mediateur")
		if !strings.Contains(o.stdout, "karim@exemple.fr (Médiation)") {
			t.Errorf("user add from stdin: %s", o)
		}
		for _, s := range []string{o.stdout, o.stderr} {
			if strings.Contains(s, "un autre mot de passe long") {
				t.Errorf("the password was printed: %s", o)
			}
		}
		st := openTestStore(t, dsn)
		ctx := context.Background()
		login := func(email, pw string) (*maillon.User, error) {
			t.Helper()
			_, u, err := st.Login(ctx, maillon.LoginInput{Email: email, Password: pw, ClientIP: "192.0.2.7", Channel: maillon.ChannelWeb})
			return u, err
		}
		if u, err := login("nadia.benali@exemple.fr", "une phrase de passe solide"); err != nil || u.MustChangePassword {
			t.Errorf("login with the password from the file (trailing newline dropped): %v %+v", err, u)
		}
		if _, err := login("karim@exemple.fr", "un autre mot de passe long"); err != nil {
			t.Errorf("login with the password from stdin: %v", err)
		}

		// Refusals.
		o = mustRun(t, 1, db, "court\n", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "mediateur")
		if !strings.Contains(o.stderr, "mot de passe : Le mot de passe doit comporter au moins 12 caractères") {
			t.Errorf("weak password: want a French message naming the field, got %s", o)
		}
		o = mustRun(t, 1, db, "motdepasse123\n", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "mediateur")
		if !strings.Contains(o.stderr, "mot de passe : ") {
			t.Errorf("weak password: want a French message naming the field, got %s", o)
		}
		o = mustRun(t, 1, db, "une phrase de passe solide\n", "user", "add", "--email", "NADIA.benali@exemple.fr", "--name", "Autre Nadia", "--role", "mediateur")
		if !strings.Contains(o.stderr, "Un compte utilise déjà cette adresse e-mail.") || !strings.Contains(o.stderr, "--email : ") {
			t.Errorf("duplicate e-mail: %s", o)
		}
		o = mustRun(t, 1, db, "une phrase de passe solide\n", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "chef")
		if !strings.Contains(o.stderr, "--role : ") {
			t.Errorf("unknown role: %s", o)
		}
		o = mustRun(t, 1, db, "une phrase de passe solide\n", "user", "add", "--email", "pas-une-adresse", "--name", "Sophie Martin", "--role", "mediateur")
		if !strings.Contains(o.stderr, "--email : ") {
			t.Errorf("bad e-mail: %s", o)
		}
		o = mustRun(t, 2, db, "", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "mediateur")
		if !strings.Contains(o.stderr, "aucun mot de passe") {
			t.Errorf("no password at all: %s", o)
		}
		o = mustRun(t, 1, db, "", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "mediateur", "--password-file", "/nonexistent/pw")
		if !strings.Contains(o.stderr, "lecture du fichier de mot de passe") {
			t.Errorf("missing password file: %s", o)
		}

		// With several structures, --structure is required.
		mustRun(t, 0, db, "", "structure", "add", "--name", "Médiation Sud")
		o = mustRun(t, 2, db, "une phrase de passe solide\n", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "admin")
		if !strings.Contains(o.stderr, "plusieurs structures existent : précisez --structure") {
			t.Errorf("user add with two structures and no --structure: %s", o)
		}
		mustRun(t, 2, db, "une phrase de passe solide\n", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "admin", "--structure", "deux")
		mustRun(t, 1, db, "une phrase de passe solide\n", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "admin", "--structure", "99")
		o = mustRun(t, 0, db, "une phrase de passe solide\n", "user", "add", "--email", "sophie@exemple.fr", "--name", "Sophie Martin", "--role", "admin", "--structure", "2", "--temporary")
		if !strings.Contains(o.stdout, "sophie@exemple.fr") {
			t.Errorf("user add --structure 2: %s", o)
		}
		if u, err := login("sophie@exemple.fr", "une phrase de passe solide"); err != nil || !u.MustChangePassword || u.StructureID != 2 {
			t.Errorf("user added with --temporary in structure 2: %v %+v", err, u)
		}

		o = mustRun(t, 0, db, "", "structure", "list")
		lines := strings.Split(strings.TrimSpace(o.stdout), "\n")
		if len(lines) != 3 || !strings.Contains(lines[0], "NOM") || !strings.Contains(lines[1], "Médiation Nord") ||
			!strings.Contains(lines[1], "12345678900007") || !strings.Contains(lines[1], "Roubaix") || !strings.Contains(lines[2], "Médiation Sud") {
			t.Errorf("structure list: %s", o)
		}

		// user list: one structure at a time.
		mustRun(t, 2, db, "", "user", "list")
		o = mustRun(t, 0, db, "", "user", "list", "--structure", "1")
		lines = strings.Split(strings.TrimSpace(o.stdout), "\n")
		if len(lines) != 3 || !strings.Contains(o.stdout, "nadia.benali@exemple.fr") || !strings.Contains(o.stdout, "Karim Diallo") ||
			strings.Contains(o.stdout, "sophie") || strings.Contains(o.stdout, "désactivé") {
			t.Errorf("user list --structure 1: %s", o)
		}

		// reset-password --generate prints a temporary password that works
		// once and must be changed.
		o = mustRun(t, 0, db, "", "user", "reset-password", "--email", "karim@exemple.fr", "--generate")
		m := regexp.MustCompile(`^Mot de passe provisoire de karim@exemple\.fr : (\S+)\n$`).FindStringSubmatch(o.stdout)
		if m == nil {
			t.Fatalf("reset-password --generate: %s", o)
		}
		if u, err := login("karim@exemple.fr", m[1]); err != nil || !u.MustChangePassword {
			t.Errorf("login with the generated password: %v %+v", err, u)
		}
		if _, err := login("karim@exemple.fr", "un autre mot de passe long"); err == nil {
			t.Errorf("the old password still works after reset-password")
		}
		// reset-password from a file.
		o = mustRun(t, 0, db, "", "user", "reset-password", "--email", "karim@exemple.fr", "--password-file", writeFile(t, "new", "encore un mot de passe"))
		if !strings.Contains(o.stdout, "remplacé") || strings.Contains(o.stdout, "encore un mot de passe") {
			t.Errorf("reset-password --password-file: %s", o)
		}
		if u, err := login("karim@exemple.fr", "encore un mot de passe"); err != nil || !u.MustChangePassword {
			t.Errorf("login after reset-password --password-file: %v %+v", err, u)
		}
		o = mustRun(t, 1, db, "court\n", "user", "reset-password", "--email", "karim@exemple.fr")
		if !strings.Contains(o.stderr, "mot de passe : ") {
			t.Errorf("reset-password with a weak password: %s", o)
		}
		o = mustRun(t, 1, db, "", "user", "reset-password", "--email", "personne@exemple.fr", "--generate")
		if !strings.Contains(o.stderr, "introuvable") {
			t.Errorf("reset-password of an unknown account: %s", o)
		}

		// deactivate: refused for the last administrator.
		o = mustRun(t, 1, db, "", "user", "deactivate", "--email", "nadia.benali@exemple.fr")
		if !strings.Contains(o.stderr, "dernier compte d'administration actif") {
			t.Errorf("deactivating the last administrator: %s", o)
		}
		o = mustRun(t, 0, db, "", "user", "deactivate", "--email", "karim@exemple.fr")
		if o.stdout != "Compte karim@exemple.fr désactivé.\n" {
			t.Errorf("deactivate: %s", o)
		}
		if _, err := login("karim@exemple.fr", "encore un mot de passe"); err == nil {
			t.Errorf("a deactivated account can still log in")
		}
		o = mustRun(t, 0, db, "", "user", "list", "--structure", "1")
		for _, line := range strings.Split(o.stdout, "\n") {
			if strings.Contains(line, "karim@") && !strings.HasSuffix(strings.TrimSpace(line), "désactivé") {
				t.Errorf("user list should show karim as deactivated: %s", o)
			}
		}
		mustRun(t, 1, db, "", "user", "deactivate", "--email", "personne@exemple.fr")
	})
}

func TestConfig(t *testing.T) {
	const token = "jeton-metrics-7f3a9c"
	tokenFile := writeFile(t, "token", token+"\n")
	confFile := writeFile(t, "maillon.conf", "# réglages\nMAILLON_LOG_FORMAT=json\nMAILLON_SESSION_MAX=\"8h\"\n")

	tests := []struct {
		name   string
		vars   map[string]string
		args   []string
		want   []string // lines of the form "--option value source", spaces collapsed
		absent []string
	}{
		{
			name: "defaults",
			want: []string{"--addr MAILLON_ADDR 127.0.0.1:8080 défaut", "--db MAILLON_DB sqlite:maillon.db défaut",
				"--session-idle MAILLON_SESSION_IDLE 30m0s défaut", "--session-max MAILLON_SESSION_MAX 12h0m0s défaut"},
		},
		{
			name: "database password and metrics token from the environment",
			vars: map[string]string{"MAILLON_DB": "postgres://maillon:secret@db.interne:5432/maillon?sslmode=require", "MAILLON_METRICS_TOKEN": token},
			want: []string{"--db MAILLON_DB postgres://maillon:xxxxx@db.interne:5432/maillon?sslmode=require environnement",
				"--metrics-token MAILLON_METRICS_TOKEN (masqué) environnement"},
			absent: []string{"secret", token},
		},
		{
			name:   "metrics token from a secret file",
			vars:   map[string]string{"MAILLON_METRICS_TOKEN_FILE": tokenFile},
			want:   []string{"--metrics-token MAILLON_METRICS_TOKEN (masqué) fichier secret"},
			absent: []string{token},
		},
		{
			name:   "database URL from a secret file",
			vars:   map[string]string{"MAILLON_DB_FILE": writeFile(t, "db", "postgres://maillon:s3cr3t-db@db.interne/maillon\n")},
			want:   []string{"--db MAILLON_DB postgres://maillon:xxxxx@db.interne/maillon fichier secret"},
			absent: []string{"s3cr3t-db"},
		},
		{
			name: "options override the environment",
			vars: map[string]string{"MAILLON_ADDR": "127.0.0.1:9000", "MAILLON_SESSION_IDLE": "20m"},
			args: []string{"--addr", "0.0.0.0:8081", "--metrics-token", token, "--base-url", "https://maillon.exemple.fr/"},
			want: []string{"--addr MAILLON_ADDR 0.0.0.0:8081 option", "--session-idle MAILLON_SESSION_IDLE 20m0s environnement",
				"--metrics-token MAILLON_METRICS_TOKEN (masqué) option", "--base-url MAILLON_BASE_URL https://maillon.exemple.fr option"},
			absent: []string{token},
		},
		{
			name: "configuration file",
			args: []string{"--config", confFile},
			want: []string{"--log-format MAILLON_LOG_FORMAT json fichier " + confFile, "--session-max MAILLON_SESSION_MAX 8h0m0s fichier " + confFile},
		},
	}
	space := regexp.MustCompile(` +`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := mustRun(t, 0, tt.vars, "", append([]string{"config"}, tt.args...)...)
			if !strings.HasPrefix(o.stdout, "OPTION") {
				t.Errorf("config lacks its header: %s", o)
			}
			lines := map[string]bool{}
			for _, l := range strings.Split(o.stdout, "\n") {
				lines[space.ReplaceAllString(strings.TrimSpace(l), " ")] = true
			}
			for _, w := range tt.want {
				if !lines[w] {
					t.Errorf("config lacks the line %q:\n%s", w, o.stdout)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(o.stdout+o.stderr, a) {
					t.Errorf("config shows the secret %q:\n%s", a, o)
				}
			}
		})
	}
}

func TestDBBackup(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		mustRun(t, 0, nil, "", "demo", "--db", dsn)
		to := filepath.Join(t.TempDir(), "copie.db")
		if strings.HasPrefix(dsn, "postgres") {
			o := mustRun(t, 1, nil, "", "db", "backup", "--db", dsn, "--to", to)
			if !strings.Contains(o.stderr, "pg_dump") {
				t.Errorf("db backup on PostgreSQL should point to pg_dump: %s", o)
			}
			return
		}
		o := mustRun(t, 0, nil, "", "db", "backup", "--db", dsn, "--to", to)
		if o.stdout != "Sauvegarde écrite dans "+to+".\n" {
			t.Errorf("db backup: %s", o)
		}
		// The copy is a complete, migrated database with the same data.
		mustRun(t, 0, nil, "", "db", "status", "--db", "sqlite:"+to)
		want := mustRun(t, 0, nil, "", "user", "list", "--db", dsn).stdout
		if got := mustRun(t, 0, nil, "", "user", "list", "--db", "sqlite:"+to).stdout; got != want {
			t.Errorf("the backup holds other accounts:\n%s\nwant\n%s", got, want)
		}
		o = mustRun(t, 1, nil, "", "db", "backup", "--db", dsn, "--to", to)
		if !strings.Contains(o.stderr, "existe déjà") {
			t.Errorf("db backup over an existing file: %s", o)
		}
	})
}

// Ensure a password typed at a terminal is asked twice, never echoed, and
// refused when the two entries differ.
func TestUserAddPromptsOnTerminal(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		db := map[string]string{"MAILLON_DB": dsn}
		mustRun(t, 0, db, "", "db", "migrate")
		mustRun(t, 0, db, "", "structure", "add", "--name", "Médiation Nord")
		add := func(email string, typed ...string) outcome {
			t.Helper()
			var out, errb strings.Builder
			e := testEnv(db, "ce qui est sur l'entrée standard n'est pas lu\n", &out, &errb)
			e.isTerminal = func() bool { return true }
			e.readPassword = func() (string, error) {
				if len(typed) == 0 {
					return "", io.EOF
				}
				pw := typed[0]
				typed = typed[1:]
				return pw, nil
			}
			code := run(context.Background(), []string{"user", "add", "--email", email, "--name", "Nadia Benali", "--role", "admin"}, e)
			return outcome{code, out.String(), errb.String()}
		}
		o := add("nadia@exemple.fr", "une phrase de passe solide", "une phrase de passe solide")
		if o.code != 0 || !strings.Contains(o.stderr, "Mot de passe (12 caractères au moins) : ") || !strings.Contains(o.stderr, "Confirmez le mot de passe : ") {
			t.Errorf("user add at a terminal: %s", o)
		}
		if strings.Contains(o.stdout+o.stderr, "une phrase de passe solide") {
			t.Errorf("the typed password was echoed: %s", o)
		}
		o = add("karim@exemple.fr", "une phrase de passe solide", "une phrase de passe solidE")
		if o.code != 1 || !strings.Contains(o.stderr, "les deux mots de passe ne sont pas identiques") {
			t.Errorf("two different entries: %s", o)
		}
		if o = add("karim@exemple.fr"); o.code != 1 {
			t.Errorf("no entry at all (end of input): %s", o)
		}
		if list := mustRun(t, 0, db, "", "user", "list"); strings.Contains(list.stdout, "karim") {
			t.Errorf("a refused account was created: %s", list)
		}
	})
}

func TestTerritoireImportCommunes(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, dsn string) {
		db := map[string]string{"MAILLON_DB": dsn}
		mustRun(t, 0, db, "", "db", "migrate")
		mustRun(t, 0, db, "", "structure", "add", "--name", "Médiation Nord")
		o := mustRun(t, 2, db, "", "territoire", "import-communes", "--structure", "1")
		if !strings.Contains(o.stderr, "indiquez le fichier CSV") {
			t.Errorf("no file: %s", o)
		}
		bad := writeFile(t, "bad.csv", "COM;LIBELLE\n6925;Vénissieux\n")
		o = mustRun(t, 1, db, "", "territoire", "import-communes", bad, "--structure", "1")
		if !strings.Contains(o.stderr, "Ligne 2 : Le code INSEE comporte 5 caractères") {
			t.Errorf("bad file: %s", o)
		}
		good := writeFile(t, "communes.csv", "\ufeffTYPECOM,COM,DEP,LIBELLE,PMUN\nCOM,69259,69,Vénissieux,66506\nCOMD,69258,69,Ancienne,\nCOM,13055,13,Marseille,870000\n")
		o = mustRun(t, 0, db, "", "territoire", "import-communes", good, "--structure", "1", "--departement", "69")
		if o.stdout != "1 commune ajoutée, 0 mise à jour dans le territoire de la structure n° 1.\n" {
			t.Errorf("import: %s", o)
		}
		o = mustRun(t, 0, db, "", "territoire", "import-communes", good, "--structure", "1")
		if !strings.Contains(o.stdout, "1 commune ajoutée, 1 mise à jour") {
			t.Errorf("second import: %s", o)
		}
		o = mustRun(t, 0, db, "", "territoire", "import-communes", "-h")
		if !strings.Contains(o.stdout, "TYPECOM") {
			t.Errorf("help: %s", o)
		}
	})
}
