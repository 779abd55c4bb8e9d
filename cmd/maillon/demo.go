package main

import (
	"context"
	"fmt"
	"time"

	"maillon/internal/config"
	"maillon/internal/demo"
)

func cmdDemo(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "demo", "demo [--db URL] [--scale small|large] [--seed N] [--people N]",
		"Remplit une base vide avec un jeu de données fictif mais réaliste : la structure\n"+
			"« Médiation Sud-Est (démo) », ses équipes, son territoire et des comptes de chaque rôle\n"+
			"(mot de passe "+demo.Password+"). Le même --seed donne toujours les mêmes données.\n"+
			"--scale large ajoute quatre structures du réseau et deux ans d'activité (200 000 personnes\n"+
			"et un million d'interventions par défaut, --people pour une autre taille), pour les\n"+
			"mesures de performance.",
		"maillon demo",
		"maillon demo --db sqlite:/tmp/bench.db --scale large --seed 42")
	cf := config.Register(fs, "db")
	scale := fs.String("scale", "small", "taille du jeu : small ou large")
	seed := fs.Uint64("seed", 1, "graine du générateur")
	people := fs.Int("people", demo.LargePeople, "nombre de personnes du réseau avec --scale large (environ cinq interventions chacune)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *scale != "small" && *scale != "large" {
		return usageError{"--scale vaut small ou large"}
	}
	if *people < 1 {
		return usageError{"--people vaut au moins 1"}
	}
	st, err := openFromFlags(ctx, cf, e, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	sum, err := demo.Load(ctx, st.Services(), demo.Options{Scale: demo.Scale(*scale), Seed: *seed, People: *people})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Jeu de démonstration chargé : %s.\n", sum)
	fmt.Fprintf(e.stdout, "Activité : %s.\n", sum.Activity())
	fmt.Fprintf(e.stdout, "Durée : %s.\n", time.Since(start).Round(100*time.Millisecond))
	return nil
}
