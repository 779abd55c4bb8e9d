package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"maillon"
	"maillon/internal/config"
)

const structureHelp = `Usage : maillon structure add|list [options]

  add    crée une structure (réseau de structures sur une même instance)
  list   liste les structures de l'instance

Exemples :
  maillon structure add --name "Médiation Nord" --siret 12345678900007 --city Roubaix
  maillon structure list

« maillon structure <sous-commande> -h » détaille les options.`

func cmdStructure(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError{"précisez une sous-commande\n\n" + structureHelp}
	}
	switch args[0] {
	case "add":
		return structureAdd(ctx, args[1:], e)
	case "list":
		return structureList(ctx, args[1:], e)
	case "-h", "--help", "help":
		fmt.Fprintln(e.stdout, structureHelp)
		return nil
	}
	return usageError{"sous-commande inconnue « " + args[0] + " »\n\n" + structureHelp}
}

func structureAdd(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "structure add", "structure add --name NOM [--siret N] [--city VILLE] [--postal-code CP]",
		"Crée une structure de médiation. Ajoutez ensuite son premier compte d'administration\n"+
			"avec « maillon user add --structure N --role admin ».",
		"maillon structure add --name \"Médiation Nord\" --siret 12345678900007")
	cf := config.Register(fs, "db")
	name := fs.String("name", "", "nom de la structure")
	siret := fs.String("siret", "", "numéro SIRET (14 chiffres)")
	city := fs.String("city", "", "ville")
	postal := fs.String("postal-code", "", "code postal")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		return usageError{"--name est obligatoire"}
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.CreateStructure(ctx, maillon.OperatorActor(), maillon.StructureInput{
		Name: *name, SIRET: *siret, Address: maillon.Address{City: *city, PostalCode: *postal},
	})
	if err != nil {
		return fieldsAsText(err)
	}
	fmt.Fprintf(e.stdout, "Structure n° %d créée : %s.\n", s.ID, s.Name)
	return nil
}

func structureList(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "structure list", "structure list", "Liste les structures de l'instance.", "maillon structure list")
	cf := config.Register(fs, "db")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	all, err := st.FindStructures(ctx, maillon.OperatorActor())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "N°\tNOM\tSIRET\tVILLE")
	for _, s := range all {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", s.ID, s.Name, s.SIRET, s.Address.City)
	}
	return tw.Flush()
}
