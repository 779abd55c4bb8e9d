// Command maillon-load is the load tool of Maillon: it logs N clients in
// through the real login form of a running server, has each of them request
// a set of pages in a loop for a fixed time, and reports throughput and
// latency percentiles (p50, p95, p99, max) per page and overall.
//
// It is a black-box client: it speaks HTTP to the server and uses only the
// standard library, never Maillon's own packages, so it measures exactly
// what a browser would get. The figures of docs/performance.md come from it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Defaults: the demo mediator account of "maillon serve --demo".
const (
	defaultEmail    = "mediation@demo.maillon.test"
	defaultPassword = "maillon-demo-2026"
)

// config is the parsed command line.
type config struct {
	baseURL  string
	clients  int
	duration time.Duration
	warmup   time.Duration
	timeout  time.Duration
	paths    []string
	emails   []string
	password string
	json     bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// errHelp is returned by parseArgs when -h was asked for.
var errHelp = flag.ErrHelp

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `Usage : maillon-load [options]

Test de charge d'un serveur Maillon en marche. Chaque client se connecte par
le vrai formulaire de connexion (GET /login, jeton csrf_token, POST /login,
réponse 303 attendue), puis demande les pages en boucle jusqu'à la fin de la
durée. Seules les requêtes terminées après la chauffe sont comptées.

Le rapport donne, par page et pour l'ensemble : nombre de requêtes, erreurs
(statut hors 2xx ou erreur de transport, avec le détail des statuts), débit
(requêtes par seconde) et latences p50, p95, p99 et max, calculées exactement
sur toutes les mesures (rang le plus proche).

Code de sortie : 0 si la mesure a eu lieu, 1 si un client n'a pas pu se
connecter (rien n'est mesuré alors), 2 en cas d'option invalide.

Options :
`)
	fs.VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", map[string]string{"duration": "durée", "int": "n", "string": "texte"}[name])
		}
		fmt.Fprintf(w, "\n      %s", help)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (défaut : %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
	fmt.Fprint(w, `
Exemples :
  maillon serve --demo --db sqlite:/tmp/bench.db --addr 127.0.0.1:18181 --log-level warn &
  maillon-load --url http://127.0.0.1:18181
  maillon-load --url http://127.0.0.1:18181 --clients 32 --duration 30s --paths /,/account
  maillon-load --url http://127.0.0.1:18181 --email admin@demo.maillon.test,coordination@demo.maillon.test --json > resultat.json
`)
}

// parseArgs reads the command line. Errors are written to stderr.
func parseArgs(args []string, stdout, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("maillon-load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.baseURL, "url", "http://127.0.0.1:8080", "adresse de base du serveur Maillon")
	fs.IntVar(&c.clients, "clients", 32, "nombre de clients simultanés (chacun avec sa session)")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "durée de la mesure, après la chauffe")
	fs.DurationVar(&c.warmup, "warmup", 5*time.Second, "durée de chauffe, non comptée")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "délai maximal d'une requête")
	paths := fs.String("paths", "/", "pages à demander, séparées par des virgules (chaque client les parcourt à tour de rôle)")
	emails := fs.String("email", defaultEmail, "compte(s) de connexion, séparés par des virgules : les clients sont répartis entre eux")
	fs.StringVar(&c.password, "password", defaultPassword, "mot de passe (le même pour tous les comptes)")
	fs.BoolVar(&c.json, "json", false, "écrire le résultat en JSON sur la sortie standard")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return c, errHelp
		}
		fmt.Fprintf(stderr, "maillon-load : %v\n\n", err)
		usage(stderr, fs)
		return c, err
	}
	fail := func(format string, a ...any) (config, error) {
		err := fmt.Errorf(format, a...)
		fmt.Fprintf(stderr, "maillon-load : %v (voir maillon-load -h)\n", err)
		return c, err
	}
	if fs.NArg() > 0 {
		return fail("argument inattendu %q", fs.Arg(0))
	}
	u, err := url.Parse(c.baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail("--url doit être une adresse http(s)://hôte[:port], pas %q", c.baseURL)
	}
	c.baseURL = strings.TrimRight(c.baseURL, "/")
	if c.clients < 1 {
		return fail("--clients doit valoir au moins 1")
	}
	if c.duration <= 0 {
		return fail("--duration doit être positive")
	}
	if c.warmup < 0 {
		return fail("--warmup ne peut pas être négative")
	}
	if c.timeout <= 0 {
		return fail("--timeout doit être positif")
	}
	c.paths = splitList(*paths)
	if len(c.paths) == 0 {
		return fail("--paths est vide")
	}
	for _, p := range c.paths {
		if !strings.HasPrefix(p, "/") {
			return fail("chaque page de --paths doit commencer par / : %q", p)
		}
	}
	c.emails = splitList(*emails)
	if len(c.emails) == 0 {
		return fail("--email est vide")
	}
	return c, nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// run is the whole command; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args, stdout, stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if !c.json {
		fmt.Fprintf(stderr, "Connexion de %d client(s) à %s…\n", c.clients, c.baseURL)
	}
	res, err := loadTest(ctx, c, func(format string, a ...any) {
		if !c.json {
			fmt.Fprintf(stderr, format, a...)
		}
	})
	if err != nil {
		fmt.Fprintf(stderr, "maillon-load : %v\n", err)
		return 1
	}
	if c.json {
		if err := res.writeJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "maillon-load : %v\n", err)
			return 1
		}
	} else {
		res.writeText(stdout)
	}
	return 0
}
