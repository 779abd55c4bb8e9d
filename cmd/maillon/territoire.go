package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"maillon"
	"maillon/internal/config"
)

const territoireHelp = `Usage : maillon territoire import-communes FICHIER --structure N [options]

  import-communes   importe les communes d'un fichier CSV du code officiel
                    géographique de l'INSEE dans le territoire d'une structure

Exemples :
  maillon territoire import-communes v_commune_2024.csv --structure 1 --departement 69
  maillon territoire import-communes communes.csv --structure 2

« maillon territoire import-communes -h » détaille les options.`

func cmdTerritoire(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError{"précisez une sous-commande\n\n" + territoireHelp}
	}
	switch args[0] {
	case "import-communes":
		return territoireImportCommunes(ctx, args[1:], e)
	case "-h", "--help", "help":
		fmt.Fprintln(e.stdout, territoireHelp)
		return nil
	}
	return usageError{"sous-commande inconnue « " + args[0] + " »\n\n" + territoireHelp}
}

func territoireImportCommunes(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "territoire import-communes", "territoire import-communes FICHIER --structure N [--departement D]",
		"Importe les communes d'un fichier CSV (séparateur « ; » ou « , », UTF-8 avec ou sans BOM)\n"+
			"dans le territoire de la structure N. Colonnes reconnues : COM (ou CODGEO, DEPCOM, code_insee)\n"+
			"pour le code INSEE, LIBELLE (ou NCCENR, LIBGEO, nom) pour le nom, DEP pour le département,\n"+
			"PMUN (ou population, PTOT) pour la population. Les lignes dont TYPECOM n'est pas COM\n"+
			"(communes associées ou déléguées, arrondissements) sont ignorées. Les communes déjà\n"+
			"présentes sont mises à jour, les autres ajoutées ; tout ou rien.",
		"maillon territoire import-communes v_commune_2024.csv --structure 1 --departement 69")
	cf := config.Register(fs, "db")
	sid := fs.Int64("structure", 0, "numéro de la structure (voir « maillon structure list »)")
	dep := fs.String("departement", "", "ne garder que les communes de ce département (69, 2A, 974…)")
	// The file comes first, then the options.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case file == "":
		return usageError{"indiquez le fichier CSV des communes"}
	case *sid <= 0:
		return usageError{"--structure est obligatoire (voir « maillon structure list »)"}
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("lecture de %s : %w", file, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maillon.MaxImportBytes+1))
	if err != nil {
		return fmt.Errorf("lecture de %s : %w", file, err)
	}
	rows, err := maillon.ParseCommunesCSV(data, *dep)
	if rep := maillon.ReportOf(err); rep != nil {
		msg := "le fichier contient des erreurs ; rien n'a été importé :\n  " + strings.Join(rep.Lines, "\n  ")
		if rep.More > 0 {
			msg += "\n  … et " + strconv.Itoa(rep.More) + " autres lignes en erreur"
		}
		return errors.New(msg)
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.ImportCommunes(ctx, maillon.OperatorActor(), maillon.StructureID(*sid), rows)
	if err != nil {
		return fieldsAsText(err)
	}
	plural := func(n int, one, many string) string {
		if n > 1 {
			return strconv.Itoa(n) + " " + many
		}
		return strconv.Itoa(n) + " " + one
	}
	fmt.Fprintf(e.stdout, "%s, %s dans le territoire de la structure n° %d.\n", plural(res.Added, "commune ajoutée", "communes ajoutées"),
		plural(res.Updated, "mise à jour", "mises à jour"), *sid)
	return nil
}
