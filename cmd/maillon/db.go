package main

import (
	"context"
	"fmt"
	"io"

	"maillon/internal/config"
	"maillon/internal/ui"
)

func cmdDB(ctx context.Context, args []string, e env) error {
	if len(args) > 0 && args[0] == "backup" {
		return dbBackup(ctx, args[1:], e)
	}
	if len(args) == 0 || (args[0] != "migrate" && args[0] != "status") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			// Not Fprintln: vet reads the "%F" of the example as a directive.
			io.WriteString(e.stdout, dbHelp+"\n")
			return nil
		}
		return usageError{"précisez « db migrate », « db status » ou « db backup »\n\n" + dbHelp}
	}
	sub := args[0]
	fs := newFlagSet(e, "db "+sub, "db "+sub+" [--db URL]", map[string]string{
		"migrate": "Applique les migrations en attente, chacune dans sa transaction.",
		"status":  "Liste les migrations ; code de sortie 1 s'il en reste à appliquer.",
	}[sub], "maillon db "+sub, "maillon db "+sub+" --db postgres://maillon@localhost/maillon")
	cf := config.Register(fs, "db")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := openFromFlags(ctx, cf, e, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "migrate" {
		applied, err := st.Migrate(ctx)
		for _, m := range applied {
			fmt.Fprintf(e.stdout, "appliquée : %s\n", m)
		}
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(e.stdout, "Base à jour : aucune migration en attente.")
		}
		return nil
	}
	ms, err := st.Migrations(ctx)
	if err != nil {
		return err
	}
	pending := 0
	for _, m := range ms {
		if m.Applied {
			fmt.Fprintf(e.stdout, "appliquée   %s  (%s)\n", m.Name, ui.DateTime(m.AppliedAt))
		} else {
			pending++
			fmt.Fprintf(e.stdout, "en attente  %s\n", m.Name)
		}
	}
	if pending > 0 {
		return fmt.Errorf("%d migration(s) en attente : lancez « maillon db migrate »", pending)
	}
	fmt.Fprintln(e.stdout, "Base à jour.")
	return nil
}

const dbHelp = `Usage : maillon db migrate|status|backup [--db URL]

  migrate   applique les migrations en attente
  status    liste les migrations ; sort avec le code 1 s'il en reste à appliquer
  backup    copie une base SQLite en service dans un fichier (PostgreSQL : pg_dump)

Exemples :
  maillon db status --db sqlite:/var/lib/maillon/maillon.db
  maillon db migrate --db postgres://maillon@localhost/maillon
  maillon db backup --to /var/backups/maillon-$(date +%F).db`

func dbBackup(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "db backup", "db backup --to FICHIER [--db URL]",
		"Copie la base SQLite dans un fichier pendant que Maillon fonctionne (instantané\n"+
			"cohérent, compacté). Avec PostgreSQL, utilisez pg_dump.",
		"maillon db backup --to /var/backups/maillon-$(date +%F).db")
	cf := config.Register(fs, "db")
	to := fs.String("to", "", "fichier de sauvegarde à créer (il ne doit pas exister)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return usageError{"--to est obligatoire"}
	}
	st, err := openFromFlags(ctx, cf, e, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sauvegarde écrite dans %s.\n", *to)
	return nil
}
