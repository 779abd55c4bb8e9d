// Command maillon is the single binary of Maillon: the web server, database
// migrations, the demo dataset and the administration commands of the
// hosting technician.
//
// Each subcommand is a plain function taking a context, its arguments and
// an environment (standard streams, environment variables), so the whole
// binary runs in-process in tests. This is the only package that imports
// every other one; a test checks the import rules of the others.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"maillon"
)

// env is what a subcommand may use of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTerminal reports whether stdin is an interactive terminal, for
	// password prompts.
	isTerminal func() bool
	// readPassword reads a line from the terminal without echo.
	readPassword func() (string, error)
}

// usageError makes the process exit with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"serve", "lance le serveur web", cmdServe},
		{"db", "base de données : db migrate, db status, db backup", cmdDB},
		{"demo", "remplit une base vide avec le jeu de démonstration", cmdDemo},
		{"user", "comptes : user add, user reset-password, user deactivate, user list", cmdUser},
		{"structure", "structures : structure add, structure list", cmdStructure},
		{"territoire", "territoire : territoire import-communes (code officiel géographique)", cmdTerritoire},
		{"annuaire", "annuaire partenarial : annuaire import, annuaire export (data·inclusion)", cmdAnnuaire},
		{"config", "affiche la configuration effective (secrets masqués)", cmdConfig},
		{"version", "affiche la version", cmdVersion},
		// Exports.
		{"export", "exporte une ligne par fait (CSV, XLSX) : interventions, démarches, tournées…", cmdExport},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		isTerminal: stdinIsTerminal, readPassword: readTerminalPassword}
	os.Exit(run(ctx, os.Args[1:], e))
}

// run dispatches to a subcommand and turns its error into an exit code:
// 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, e env) int {
	debug := false
	if len(args) > 0 && args[0] == "--debug" {
		debug, args = true, args[1:]
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		mainUsage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], e)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(e.stderr, "maillon %s : %s\n", c.name, ue.msg)
			return 2
		}
		if debug {
			fmt.Fprintf(e.stderr, "maillon %s : %+v\n", c.name, err)
		} else {
			fmt.Fprintf(e.stderr, "maillon %s : %s\n", c.name, maillon.ErrorMessage(err, err.Error()))
		}
		return 1
	}
	fmt.Fprintf(e.stderr, "maillon : commande inconnue %q\n\n", args[0])
	mainUsage(e.stderr)
	return 2
}

func mainUsage(w io.Writer) {
	fmt.Fprintln(w, "Maillon – la plateforme des services de médiation sociale.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage : maillon [--debug] <commande> [options]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commandes :")
	cs := commands()
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exemples :")
	fmt.Fprintln(w, "  maillon serve --demo                 # démarre avec des données de démonstration")
	fmt.Fprintln(w, "  maillon serve --db postgres://maillon@localhost/maillon")
	fmt.Fprintln(w, "  maillon user add --email nadia@exemple.fr --name \"Nadia B.\" --role coordinateur")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "« maillon <commande> -h » détaille chaque commande. --debug affiche les erreurs complètes.")
}

// newFlagSet returns a flag set that prints a French usage with examples.
// The usage goes to standard output, since it is printed only when asked
// for with -h; parse reports other problems in French.
func newFlagSet(e env, name, synopsis, description string, examples ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage : maillon %s\n\n%s\n", synopsis, description)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(w, "\nOptions :")
			fs.PrintDefaults()
		}
		if len(examples) > 0 {
			fmt.Fprintln(w, "\nExemples :")
			for _, ex := range examples {
				fmt.Fprintln(w, "  "+ex)
			}
		}
	}
	return fs
}

// parse parses flags; -h prints the usage and returns flag.ErrHelp (exit
// 0), other problems a usage error in French.
func parse(fs *flag.FlagSet, args []string) error {
	// The flag package prints its own English messages and the whole
	// usage on any error: keep them quiet and say it once, in French.
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return err
		}
		return usageError{flagError(err.Error()) + " (aide : « maillon " + fs.Name() + " -h »)"}
	}
	if fs.NArg() > 0 {
		return usageError{"argument inattendu : " + strings.Join(fs.Args(), " ")}
	}
	return nil
}

// flagError translates the messages of the flag package.
func flagError(msg string) string {
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "option inconnue : " + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "l'option " + name + " attend une valeur"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		// invalid value "abc" for flag -seed: parse error
		if value, flagPart, ok := strings.Cut(rest, " for flag "); ok {
			name, _, _ := strings.Cut(flagPart, ":")
			return "valeur invalide " + value + " pour l'option " + name
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if value, flagPart, ok := strings.Cut(rest, " for "); ok {
			name, _, _ := strings.Cut(flagPart, ":")
			return "valeur invalide " + value + " pour l'option " + name + " (true ou false)"
		}
	}
	return msg
}
