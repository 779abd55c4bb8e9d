package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"maillon"
	"maillon/internal/config"
)

const annuaireHelp = `Usage : maillon annuaire import|export [options]

  import   importe un fichier data·inclusion (JSON ou CSV, schéma v1 ou v0)
           dans l'annuaire partenarial d'une structure
  export   écrit l'annuaire d'une structure au format data·inclusion v1

Exemples :
  maillon annuaire import --structure 1 --format data-inclusion services.json
  maillon annuaire export --structure 1 --format data-inclusion --out ./export

« maillon annuaire <sous-commande> -h » détaille les options.`

func cmdAnnuaire(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError{"précisez une sous-commande\n\n" + annuaireHelp}
	}
	switch args[0] {
	case "import":
		return annuaireImport(ctx, args[1:], e)
	case "export":
		return annuaireExport(ctx, args[1:], e)
	case "-h", "--help", "help":
		fmt.Fprintln(e.stdout, annuaireHelp)
		return nil
	}
	return usageError{"sous-commande inconnue « " + args[0] + " »\n\n" + annuaireHelp}
}

// maxImportFile bounds the file read in memory: 100,000 services of the
// open data weigh about 150 MB.
const maxImportFile = 1 << 30

func annuaireImport(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "annuaire import", "annuaire import --structure N [--format data-inclusion] [--csv] FICHIER",
		"Importe des structures et des services au format data·inclusion (JSON : liste, ou objet avec\n"+
			"« structures », « services » ou « items » ; CSV : une ligne d'en-tête aux noms des champs).\n"+
			"Les noms de champs de la version 0 du schéma sont convertis. Chaque entrée est rapprochée\n"+
			"par (source, id) : une nouvelle importation met à jour les champs data·inclusion et garde\n"+
			"les contacts, relations et vérifications de la structure. Un fichier illisible n'importe\n"+
			"rien ; les lignes invalides sont listées avec leur numéro et le reste est importé.",
		"maillon annuaire import --structure 1 --format data-inclusion services.json")
	cf := config.Register(fs, "db")
	sid := fs.Int64("structure", 0, "numéro de la structure dont l'annuaire reçoit les données")
	format := fs.String("format", "data-inclusion", "format du fichier (data-inclusion)")
	asCSV := fs.Bool("csv", false, "le fichier est un CSV (sinon déduit de l'extension .csv)")
	quiet := fs.Bool("quiet", false, "sans barre de progression")
	// The file comes last, after the options.
	path := ""
	if n := len(args); n > 0 && !strings.HasPrefix(args[n-1], "-") {
		path, args = args[n-1], args[:n-1]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "data-inclusion" {
		return usageError{"format inconnu « " + *format + " » : seul data-inclusion est pris en charge"}
	}
	if *sid <= 0 || path == "" {
		return usageError{"--structure et un fichier sont obligatoires"}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("lecture de %s : %w", path, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxImportFile+1))
	f.Close()
	if err != nil {
		return fmt.Errorf("lecture de %s : %w", path, err)
	}
	if len(data) > maxImportFile {
		return fmt.Errorf("%s dépasse 1 Gio", path)
	}
	start := time.Now()
	var ds *maillon.DirectoryDataset
	if *asCSV || strings.EqualFold(filepath.Ext(path), ".csv") {
		ds, err = maillon.ParseDataInclusionCSV(data)
	} else {
		ds, err = maillon.ParseDataInclusionJSON(data)
	}
	if err != nil {
		return err
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	var progress func(done, total int)
	if !*quiet {
		progress = func(done, total int) { drawProgress(e.stderr, done, total) }
	}
	rep, err := st.ImportDirectory(ctx, maillon.OperatorActor(), maillon.StructureID(*sid), ds, progress)
	if err != nil {
		return fieldsAsText(err)
	}
	fmt.Fprintf(e.stdout, "Structures : %d créées, %d mises à jour. Services : %d créés, %d mis à jour. %d ligne(s) rejetée(s). Durée : %s.\n",
		rep.StructuresCreated, rep.StructuresUpdated, rep.ServicesCreated, rep.ServicesUpdated, len(rep.Rejected),
		time.Since(start).Round(time.Millisecond))
	for _, r := range rep.Rejected {
		id := ""
		if r.ID != "" {
			id = " (" + r.ID + ")"
		}
		fmt.Fprintf(e.stdout, "Ligne %d%s : %s\n", r.Line, id, r.Reason)
	}
	return nil
}

// drawProgress redraws a one-line progress bar.
func drawProgress(w io.Writer, done, total int) {
	if total == 0 {
		return
	}
	const width = 30
	n := done * width / total
	fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
	if done == total {
		fmt.Fprintln(w)
	}
}

func annuaireExport(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "annuaire export", "annuaire export --structure N --out DOSSIER [--format data-inclusion|csv]",
		"Écrit structures.json et services.json (listes d'objets data·inclusion v1), ou\n"+
			"structures.csv et services.csv avec --format csv. Les contacts et relations internes\n"+
			"ne sont jamais exportés.",
		"maillon annuaire export --structure 1 --out ./export")
	cf := config.Register(fs, "db")
	sid := fs.Int64("structure", 0, "numéro de la structure dont l'annuaire est exporté")
	format := fs.String("format", "data-inclusion", "data-inclusion (JSON) ou csv")
	out := fs.String("out", "", "dossier où écrire les fichiers (créé au besoin)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "data-inclusion" && *format != "csv" {
		return usageError{"format inconnu « " + *format + " » : data-inclusion ou csv"}
	}
	if *sid <= 0 || *out == "" {
		return usageError{"--structure et --out sont obligatoires"}
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	sts, svs, err := st.ExportDirectory(ctx, maillon.OperatorActor(), maillon.StructureID(*sid))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	ext, writeS, writeV := ".json", maillon.WriteStructuresJSON, maillon.WriteServicesJSON
	if *format == "csv" {
		ext, writeS, writeV = ".csv", maillon.WriteStructuresCSV, maillon.WriteServicesCSV
	}
	if err := writeAtomically(filepath.Join(*out, "structures"+ext), func(w io.Writer) error { return writeS(w, sts) }); err != nil {
		return err
	}
	if err := writeAtomically(filepath.Join(*out, "services"+ext), func(w io.Writer) error { return writeV(w, svs) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d structures et %d services écrits dans %s.\n", len(sts), len(svs), *out)
	return nil
}

// writeAtomically writes through a temporary file renamed at the end, so that
// an interrupted export leaves no half file.
func writeAtomically(path string, fn func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
