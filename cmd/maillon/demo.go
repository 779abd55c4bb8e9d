package main

import (
	"context"
	"fmt"

	"maillon/internal/config"
	"maillon/internal/demo"
)

func cmdDemo(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "demo", "demo [--db URL] [--scale small|large] [--seed N]",
		"Remplit une base vide avec un jeu de données fictif mais réaliste : la structure\n"+
			"« Médiation Sud-Est (démo) », ses équipes, son territoire et des comptes de chaque rôle\n"+
			"(mot de passe "+demo.Password+"). Le même --seed donne toujours les mêmes données.\n"+
			"--scale large ajoute d'autres structures du réseau, pour les mesures de performance.",
		"maillon demo",
		"maillon demo --db sqlite:/tmp/bench.db --scale large --seed 42")
	cf := config.Register(fs, "db")
	scale := fs.String("scale", "small", "taille du jeu : small ou large")
	seed := fs.Uint64("seed", 1, "graine du générateur")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *scale != "small" && *scale != "large" {
		return usageError{"--scale vaut small ou large"}
	}
	st, err := openFromFlags(ctx, cf, e, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	sum, err := demo.Load(ctx, st.Services(), demo.Options{Scale: demo.Scale(*scale), Seed: *seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Jeu de démonstration chargé : %s.\n", sum)
	fmt.Fprintf(e.stdout, "Activité : %s.\n", sum.Activity())
	return nil
}
