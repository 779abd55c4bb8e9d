package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"maillon/internal/config"
)

func cmdConfig(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "config", "config [options de serve]",
		"Affiche la configuration effective et l'origine de chaque valeur (défaut, fichier,\n"+
			"environnement, option). Les secrets sont masqués et le mot de passe de la base retiré.",
		"maillon config", "MAILLON_DB=postgres://maillon:secret@db/maillon maillon config")
	cf := config.Register(fs, serveOptions...)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(cf, e)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPTION\tVARIABLE\tVALEUR\tORIGINE")
	for _, s := range cfg.Dump() {
		fmt.Fprintf(tw, "--%s\t%s\t%s\t%s\n", s.Name, s.Env, s.Value, s.Source)
	}
	return tw.Flush()
}
