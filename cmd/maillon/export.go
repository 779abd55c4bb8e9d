package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/config"
	"maillon/internal/export"
)

// cmdExport writes the per-fact export of a structure to a file, as the
// /exports page does, streaming: the memory used does not grow with the
// number of rows.
func cmdExport(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "export", "export --kind TYPE --from AAAA-MM-JJ --to AAAA-MM-JJ --out FICHIER [options]",
		"Écrit une ligne par fait (interventions, demarches, tournees, mediations, orientations,\n"+
			"ou toutes en XLSX, une feuille par table) pour la période [--from, --to[ en dates de Paris.\n"+
			"Les colonnes sont décrites dans docs/exports.md. Les colonnes nominatives (noms des\n"+
			"personnes, textes libres) ne sont écrites qu'avec --nominative, et chaque export est\n"+
			"inscrit au journal d'audit avec ses options. Avec --diffuser, le fichier est à diffuser hors\n"+
			"de la structure : sans colonne qui identifie une personne ou un membre de l'équipe ni texte\n"+
			"libre, et un effectif de 1 à 4 personnes écrit « < 5 » (incompatible avec --nominative).",
		"maillon export --kind interventions --from 2026-01-01 --to 2027-01-01 --format csv --out interventions.csv",
		"maillon export --kind toutes --from 2026-01-01 --to 2027-01-01 --format xlsx --structure 2 --out bilan.xlsx",
		"maillon export --kind seances --from 2026-01-01 --to 2027-01-01 --diffuser --out seances-diffusion.csv")
	cf := config.Register(fs, "db")
	kind := fs.String("kind", "", "interventions, demarches, tournees, mediations, orientations ou toutes (XLSX)")
	from := fs.String("from", "", "premier jour de la période (AAAA-MM-JJ, inclus)")
	to := fs.String("to", "", "jour qui suit la période (AAAA-MM-JJ, exclu)")
	format := fs.String("format", "csv", "csv ou xlsx")
	sep := fs.String("sep", ";", "séparateur du CSV : « ; » ou « , »")
	structure := fs.String("structure", "", "numéro de la structure (obligatoire s'il y en a plusieurs), ou « toutes »")
	team := fs.Int64("team", 0, "seulement les faits d'une équipe (numéro)")
	mediator := fs.Int64("mediator", 0, "seulement les faits d'un membre de l'équipe (numéro du compte)")
	nominative := fs.Bool("nominative", false, "inclure les colonnes nominatives")
	shared := fs.Bool("diffuser", false, "export à diffuser hors de la structure (sans colonne identifiante, petits effectifs masqués)")
	out := fs.String("out", "", "fichier à écrire (remplacé s'il existe)")
	quiet := fs.Bool("quiet", false, "sans barre de progression")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *kind == "" || *from == "" || *to == "" || *out == "" {
		return usageError{"--kind, --from, --to et --out sont obligatoires"}
	}
	o, err := maillon.ExportInput{Kind: *kind, From: *from, To: *to, TeamID: maillon.TeamID(*team),
		MediatorID: maillon.UserID(*mediator), Format: *format, Separator: *sep, Nominative: *nominative,
		Shared: *shared}.Validate()
	if err != nil {
		return usageError{exportFlagErrors(err)}
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	actor := maillon.OperatorActor()
	switch *structure {
	case "toutes":
		o.AllStructures = true
	case "":
		list, err := st.FindStructures(ctx, actor)
		if err != nil {
			return err
		}
		if len(list) != 1 {
			return usageError{fmt.Sprintf("%d structures : précisez --structure N (maillon structure list) ou --structure toutes", len(list))}
		}
		o.StructureID = list[0].ID
	default:
		id, err := strconv.ParseInt(*structure, 10, 64)
		if err != nil || id <= 0 {
			return usageError{"--structure : un numéro de structure, ou « toutes »"}
		}
		o.StructureID = maillon.StructureID(id)
		if _, err := st.FindStructureByID(ctx, actor, o.StructureID); err != nil {
			return err
		}
	}
	counts, err := st.CountExport(ctx, actor, o)
	if err != nil {
		return fieldsAsText(err)
	}
	total := 0
	for i, n := range counts {
		if o.Format == "xlsx" && n > maillon.MaxXLSXRows {
			return export.TooManyRows(o.Tables[i].Label)
		}
		total += n
	}
	start := time.Now()
	rows := 0
	err = writeAtomically(*out, func(f io.Writer) error {
		w, err := export.New(f, o)
		if err != nil {
			return err
		}
		var sink maillon.ExportSink = w
		if !*quiet && total > 0 {
			sink = &progressSink{ExportSink: w, total: total, draw: func(done int) { drawProgress(e.stderr, done, total) }}
		}
		if err := st.Export(ctx, actor, o, sink); err != nil {
			return err
		}
		rows = w.Rows()
		return w.Close()
	})
	if err != nil {
		return fieldsAsText(err)
	}
	d := time.Since(start)
	fmt.Fprintf(e.stdout, "%d ligne(s) écrite(s) dans %s en %s (%.0f lignes/s).\n", rows, *out, d.Round(time.Millisecond),
		float64(rows)/max(d.Seconds(), 1e-3))
	return nil
}

// progressSink redraws the progress bar every 1 % of the rows and at the
// end.
type progressSink struct {
	maillon.ExportSink
	total, done, next int
	draw              func(done int)
}

func (p *progressSink) Row(v []any) error {
	if err := p.ExportSink.Row(v); err != nil {
		return err
	}
	p.done++
	if p.done >= p.next || p.done == p.total {
		p.draw(p.done)
		p.next = p.done + max(p.total/100, 1)
	}
	return nil
}

// exportFlags names the flag of each field of maillon.ExportInput.
var exportFlags = map[string]string{"kind": "--kind", "from": "--from", "to": "--to", "format": "--format",
	"separator": "--sep", "team_id": "--team", "mediator_id": "--mediator", "nominative": "--nominative",
	"external": "--diffuser"}

// exportFlagErrors prints the per-field messages of a validation error
// with the flag each concerns, in the order of the form.
func exportFlagErrors(err error) string {
	fe := maillon.FieldsOf(err)
	var lines []string
	for _, field := range maillon.ExportFields {
		if m, ok := fe[field]; ok {
			lines = append(lines, exportFlags[field]+" : "+m)
		}
	}
	if len(lines) == 0 {
		return err.Error()
	}
	return strings.Join(lines, "\n")
}
