package maillon

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Exports give funders' spreadsheets one row per fact (an intervention, a
// procedure, a tournée, a mediation, an orientation), with stable column
// names: users complained of exports with one row per appointment that
// could not be counted (anchors.md §4.2). The tables, their columns and
// definitions live here so that the store, the writers, the web page, the
// command line and docs/exports.md agree.

// ExportColumnType tells the writers how to format a value.
type ExportColumnType int

// The types of export columns. The store gives a value of the matching
// Go type (or nil for an empty cell): string, int64, bool, time.Time.
const (
	ExportText     ExportColumnType = iota
	ExportInt                       // int64
	ExportBool                      // bool, written "oui" / "non"
	ExportDate                      // time.Time, a Paris day, written 2026-03-04
	ExportDateTime                  // time.Time, written in Paris time, 2026-03-04T14:30:00+01:00
)

// ExportColumn is one column of an export table. Its name never changes
// once shipped: spreadsheets and scripts refer to it.
type ExportColumn struct {
	Name       string
	Type       ExportColumnType
	Definition string
	// Nominative columns identify people (names, free text about them):
	// only coordinators and administrators get them, and only when they
	// ask for them explicitly.
	Nominative bool
	// Identifying columns name a person or a member of staff, or hold
	// text typed freely (which may name someone): an export to share
	// outside the structure leaves them out (ExportOptions.Shared).
	Identifying bool
	// People columns count people: a shared export shows 1 to 4 as
	// "< 5" (issue 7's small-cell rule).
	People bool
	// Sum and Breakdown tie People columns that add up within a row, so
	// that a shared export hides what would let a reader recompute a
	// hidden cell. Columns with the same Sum count the same people: the
	// one with an empty Breakdown is their total (it may be missing),
	// the others the cells of breakdown Breakdown (by age, by gender…).
	Sum, Breakdown string
}

// ExportTable is a kind of fact that can be exported, one row each.
type ExportTable struct {
	Kind  string // code used in forms, on the command line and in file names
	Label string // French, also the XLSX sheet name (at most 31 characters)
	// Fact says what one row is; Period which date the period applies to.
	Fact    string
	Period  string
	Columns []ExportColumn
	// RowGroup names a column whose consecutive equal values make the
	// rows the cells of one total shown elsewhere (the anonymous
	// tallies of a séance add up to its presents_anonymes): a shared
	// export suppresses the People column of such rows together.
	RowGroup string
}

// ColumnsFor returns the columns of an export, without the nominative
// ones unless asked.
func (t *ExportTable) ColumnsFor(nominative bool) []ExportColumn {
	out := make([]ExportColumn, 0, len(t.Columns))
	for _, c := range t.Columns {
		if c.Nominative && !nominative {
			continue
		}
		out = append(out, c)
	}
	return out
}

// SharedColumns returns the columns of an export to share outside the
// structure: neither nominative nor identifying ones.
func (t *ExportTable) SharedColumns() []ExportColumn {
	out := make([]ExportColumn, 0, len(t.Columns))
	for _, c := range t.Columns {
		if !c.Nominative && !c.Identifying {
			out = append(out, c)
		}
	}
	return out
}

// Columns returns the columns the options export from table t, in the
// order of the file.
func (o ExportOptions) Columns(t *ExportTable) []ExportColumn {
	if o.Shared {
		return t.SharedColumns()
	}
	return t.ColumnsFor(o.Nominative)
}

// The kinds of export.
const (
	ExportInterventions = "interventions"
	ExportProcedures    = "demarches"
	ExportTournees      = "tournees"
	ExportMediations    = "mediations"
	ExportOrientations  = "orientations"
	ExportSeances       = "seances"
	ExportTallies       = "participants_anonymes"
)

// ExportAll asks for every table at once; only the XLSX format, which has
// one sheet per table, can hold them.
const ExportAll = "toutes"

// Column helpers keep the table definitions short.
func textCol(name, def string) ExportColumn { return ExportColumn{Name: name, Definition: def} }
func intCol(name, def string) ExportColumn {
	return ExportColumn{Name: name, Type: ExportInt, Definition: def}
}
func boolCol(name, def string) ExportColumn {
	return ExportColumn{Name: name, Type: ExportBool, Definition: def}
}
func dateCol(name, def string) ExportColumn {
	return ExportColumn{Name: name, Type: ExportDate, Definition: def}
}
func timeColumn(name, def string) ExportColumn {
	return ExportColumn{Name: name, Type: ExportDateTime, Definition: def}
}
func nominativeCol(name, def string) ExportColumn {
	return ExportColumn{Name: name, Definition: def, Nominative: true}
}

// identifying marks a column left out of shared exports; people marks a
// count of people, part of sum (when not empty) in breakdown by.
func identifying(c ExportColumn) ExportColumn { c.Identifying = true; return c }
func people(c ExportColumn, sum, by string) ExportColumn {
	c.People, c.Sum, c.Breakdown = true, sum, by
	return c
}

// ExportTables lists the tables in the order of the form and of the XLSX
// sheets. A module adds its facts by appending one block (collective
// activities will add their sessions and attendance tallies), and the
// store one query of the same name.
var ExportTables = []*ExportTable{
	{
		Kind: ExportInterventions, Label: "Interventions",
		Fact:   "une intervention (un acte de médiation, individuel ou collectif)",
		Period: "la date de début de l'intervention, comme la liste des interventions",
		Columns: []ExportColumn{
			intCol("intervention_id", "Numéro de l'intervention dans Maillon."),
			dateCol("date", "Jour de l'intervention (heure de Paris)."),
			timeColumn("debut", "Date et heure de début (heure de Paris, ISO 8601)."),
			intCol("duree_minutes", "Durée en minutes."),
			boolCol("hors_horaires", "« oui » si l'intervention a commencé hors des horaires d'ouverture de la structure (soir, week-end, jour férié)."),
			textCol("registre", "Type principal d'intervention (code de la liste des registres)."),
			textCol("autres_registres", "Autres types d'intervention, codes séparés par « | »."),
			textCol("thematiques", "Thématiques abordées, codes séparés par « | »."),
			textCol("type_lieu", "Type de lieu (permanence, domicile, espace_public…)."),
			textCol("commune", "Commune du lieu, si elle est indiquée."),
			textCol("quartier", "Quartier du lieu, si indiqué."),
			textCol("initiative", "Qui est à l'origine du contact : personne, mediation (aller vers) ou partenaire."),
			textCol("resultat", "Résultat de l'intervention (code)."),
			identifying(textCol("commanditaire", "Commanditaire ou financeur indiqué sur l'intervention.")),
			identifying(textCol("institutions", "Institutions concernées, telles que saisies.")),
			identifying(textCol("mediateurs", "Médiateurs et médiatrices de l'intervention, séparés par « | ».")),
			people(intCol("nb_personnes_identifiees", "Nombre de personnes avec un dossier rattachées à l'intervention."), "", ""),
			people(intCol("nb_personnes_anonymes", "Nombre de personnes comptées de façon anonyme."), "", ""),
			intCol("nb_demarches", "Nombre de démarches accompagnées pendant l'intervention (détail dans la table des démarches)."),
			dateCol("relance_le", "Date de relance prévue, vide s'il n'y en a pas."),
			boolCol("relance_faite", "« oui » si la relance a été faite."),
			nominativeCol("personnes", "Export nominatif seulement : noms (ou pseudonymes) des personnes identifiées, séparés par « | »."),
			nominativeCol("description", "Export nominatif seulement : description libre de l'intervention."),
		},
	},
	{
		Kind: ExportProcedures, Label: "Démarches",
		Fact:   "une démarche accompagnée pendant une intervention",
		Period: "la date de début de l'intervention pendant laquelle la démarche a été accompagnée",
		Columns: []ExportColumn{
			intCol("demarche_id", "Numéro de la démarche dans Maillon."),
			intCol("intervention_id", "Numéro de l'intervention (table des interventions)."),
			dateCol("date", "Jour de l'intervention (heure de Paris)."),
			textCol("organisme", "Organisme concerné (caf, cpam, france_travail…)."),
			textCol("type", "Démarche du catalogue de la structure, si choisie."),
			identifying(textCol("precision", "Précision saisie sur la démarche (libellé court).")),
			textCol("canal", "Canal : en_ligne, guichet, telephone ou courrier."),
			textCol("mode", "Qui a fait la démarche : seule_guidee, faire_avec ou faire_pour."),
			boolCol("mandat", "« oui » si un mandat Aidants Connect couvrait la démarche faite pour la personne."),
			textCol("obstacles", "Obstacles rencontrés, codes séparés par « | »."),
			textCol("resultat", "Résultat de la démarche : realisee, attente, bloquee ou abandonnee."),
			intCol("niveau_autonomie", "Niveau d'autonomie numérique observé (1 à 3), vide s'il n'a pas été observé."),
			boolCol("personne_identifiee", "« oui » si la démarche est rattachée à une personne avec un dossier."),
			identifying(textCol("mediateurs", "Médiateurs et médiatrices de l'intervention, séparés par « | ».")),
			nominativeCol("personne", "Export nominatif seulement : nom (ou pseudonyme) de la personne."),
		},
	},
	{
		Kind: ExportTournees, Label: "Tournées",
		Fact:   "une tournée (présence de proximité) avec ses compteurs",
		Period: "la date de début de la tournée",
		Columns: append([]ExportColumn{
			intCol("tournee_id", "Numéro de la tournée dans Maillon."),
			dateCol("date", "Jour de la tournée (heure de Paris)."),
			timeColumn("debut", "Date et heure de début (heure de Paris, ISO 8601)."),
			timeColumn("fin", "Date et heure de fin, vide si la tournée est en cours."),
			intCol("duree_minutes", "Durée en minutes, vide si la tournée est en cours."),
			boolCol("hors_horaires", "« oui » si la tournée a commencé hors des horaires d'ouverture."),
			textCol("commune", "Commune de la tournée."),
			textCol("quartier", "Quartier de la tournée, si indiqué."),
			identifying(textCol("membres", "Membres de l'équipe de tournée, séparés par « | ».")),
			intCol("nb_observations", "Nombre d'observations notées (leur texte n'est jamais exporté)."),
			intCol("nb_incidents", "Nombre d'incidents notés (leur texte n'est jamais exporté)."),
		}, tourneeCounterColumns()...),
	},
	{
		Kind: ExportMediations, Label: "Médiations",
		Fact:   "une médiation (un conflit ou une relation avec une institution suivie jusqu'à son issue)",
		Period: "la date de saisine de la médiation, comme la liste des médiations",
		Columns: []ExportColumn{
			intCol("mediation_id", "Numéro de la médiation dans Maillon."),
			dateCol("date_saisine", "Jour de la saisine."),
			textCol("type", "conflit (entre personnes ou groupes) ou institution (personne ↔ institution)."),
			textCol("sujet", "Sujet du conflit ou de la difficulté avec l'institution (code)."),
			textCol("origine", "Qui a saisi la médiation (code)."),
			textCol("statut", "ouverte, en_cours, suspendue ou cloturee."),
			textCol("issue", "Issue à la clôture (apaisement, accord, accord_partiel, echec, refus, relais), vide si non clôturée."),
			textCol("relais_vers", "Intervenant vers qui la situation a été relayée, le cas échéant."),
			textCol("hors_champ", "Raisons de sortie du champ de la médiation constatées à l'ouverture, codes séparés par « | »."),
			dateCol("date_cloture", "Jour de la clôture (heure de Paris), vide si non clôturée."),
			intCol("duree_jours", "Jours entre la saisine et la clôture, vide si non clôturée."),
			textCol("equipe", "Équipe chargée de la médiation."),
			identifying(textCol("mediateur", "Médiateur ou médiatrice référent.")),
			textCol("commune", "Commune, si indiquée."),
			textCol("quartier", "Quartier, si indiqué."),
			people(intCol("nb_parties", "Nombre de parties."), "", ""),
			intCol("nb_etapes", "Nombre d'étapes (chacune est une intervention)."),
			intCol("nb_engagements", "Nombre d'engagements pris par les parties."),
			dateCol("suivi_le", "Date du suivi prévu après la clôture."),
			textCol("resultat_suivi", "Résultat du suivi : tenu, partiel ou rompu."),
			nominativeCol("objet", "Export nominatif seulement : objet de la médiation en quelques mots."),
			nominativeCol("parties", "Export nominatif seulement : parties (noms des personnes identifiées, libellés des autres), séparées par « | »."),
		},
	},
	{
		Kind: ExportOrientations, Label: "Orientations",
		Fact:   "une orientation (mise en relation avec un service partenaire)",
		Period: "la date de création de l'orientation",
		Columns: []ExportColumn{
			intCol("orientation_id", "Numéro de l'orientation dans Maillon."),
			dateCol("date", "Jour de création de l'orientation (heure de Paris)."),
			identifying(textCol("partenaire", "Nom du partenaire ou du service.")),
			textCol("mode", "Qui prend contact : personne, mediation, rendez_vous ou accompagnement."),
			textCol("statut", "proposee, transmise, prise_en_charge, refusee ou sans_suite."),
			textCol("elements_partages", "Éléments transmis au partenaire (codes, jamais leur contenu), séparés par « | »."),
			dateCol("date_transmission", "Jour de la transmission au partenaire."),
			dateCol("retour_attendu_le", "Date à laquelle un retour était attendu."),
			dateCol("date_issue", "Jour où l'issue (prise en charge, refus, sans suite) a été enregistrée."),
			textCol("source_issue", "Qui a fait connaître l'issue (partenaire_lien, partenaire, personne, mediation)."),
			boolCol("retour_partenaire", "« oui » si l'issue vient du partenaire (c'est ce que compte le taux de retour)."),
			intCol("delai_issue_jours", "Jours entre la création et l'issue, vide sans issue."),
			textCol("motif_cloture", "Motif de refus ou de non-suite (code)."),
			intCol("intervention_id", "Intervention d'où vient l'orientation, le cas échéant."),
			boolCol("personne_identifiee", "« oui » si l'orientation concerne une personne avec un dossier ; « non » pour une orientation anonyme."),
			identifying(textCol("auteur", "Membre de l'équipe qui a fait l'orientation.")),
			nominativeCol("personne", "Export nominatif seulement : nom (ou pseudonyme) de la personne orientée."),
			nominativeCol("motif", "Export nominatif seulement : motif de l'orientation, tel que saisi."),
		},
	},
}

// Collective actions: their sessions, and the anonymous tallies of
// participants (ExportTables is extended here, like a module's block).
func init() {
	ExportTables = append(ExportTables, &ExportTable{
		Kind: ExportSeances, Label: "Séances",
		Fact:   "une séance d'une action collective, avec ses inscriptions et sa participation",
		Period: "la date de début de la séance",
		Columns: []ExportColumn{
			intCol("seance_id", "Numéro de la séance dans Maillon."),
			intCol("action_id", "Numéro de l'action collective."),
			identifying(textCol("action", "Titre de l'action collective.")),
			textCol("type_action", "Type d'action (atelier, cafe_rencontre, sortie…)."),
			textCol("statut_action", "Statut de l'action (idee, preparation, validee, en_cours, terminee, evaluee, annulee)."),
			dateCol("date", "Jour de la séance (heure de Paris)."),
			timeColumn("debut", "Date et heure de début (heure de Paris, ISO 8601)."),
			intCol("duree_minutes", "Durée prévue en minutes."),
			identifying(textCol("lieu", "Lieu de la séance.")),
			intCol("capacite", "Nombre de places."),
			people(intCol("inscrits", "Places prises par les inscriptions (nominatives ou en nombre)."), "", ""),
			people(intCol("liste_attente", "Places demandées en liste d'attente."), "", ""),
			boolCol("presences_saisies", "« oui » si les présences ont été saisies après la séance."),
			people(intCol("presents", "Participants présents : inscrits présents et participants comptés sans nom."), "presents", ""),
			people(intCol("presents_anonymes", "Participants comptés sans nom (détail dans la table des participants anonymes)."), "presents", "sans_nom"),
			people(intCol("reponses_questionnaire", "Réponses au questionnaire de satisfaction (lien public ou papier)."), "", ""),
		},
	}, &ExportTable{
		Kind: ExportTallies, Label: "Participants anonymes",
		RowGroup: "seance_id",
		Fact:     "un groupe de participants comptés sans nom à une séance (tranche d'âge, genre, quartier, nouveau ou non)",
		Period:   "la date de début de la séance",
		Columns: []ExportColumn{
			intCol("seance_id", "Numéro de la séance (table des séances)."),
			intCol("action_id", "Numéro de l'action collective."),
			dateCol("date", "Jour de la séance (heure de Paris)."),
			textCol("tranche_age", "Tranche d'âge (code)."),
			textCol("genre", "Genre (code)."),
			textCol("quartier", "Quartier d'habitation, si indiqué."),
			boolCol("nouveau", "« oui » pour une première venue aux actions de la structure."),
			people(intCol("nombre", "Nombre de participants du groupe."), "", ""),
		},
	})
}

// tourneeCounterColumns gives one column per counter of a tournée, named
// by its code, so that tallies add up in a spreadsheet.
func tourneeCounterColumns() []ExportColumn {
	var out []ExportColumn
	for _, code := range TourneeCounterCodes() {
		c := intCol(code, "Compteur « "+TourneeCounterLabel(code)+" » de la tournée.")
		// The tallies by age band and by gender count the same people
		// twice over; the activity counters count acts, not people.
		switch {
		case strings.HasPrefix(code, tallyAgePrefix):
			c = people(c, "comptage", "age")
		case strings.HasPrefix(code, tallyGenderPrefix):
			c = people(c, "comptage", "genre")
		}
		out = append(out, c)
	}
	return out
}

// ExportTableOf finds a table by kind.
func ExportTableOf(kind string) (*ExportTable, bool) {
	for _, t := range ExportTables {
		if t.Kind == kind {
			return t, true
		}
	}
	return nil, false
}

// ExportKinds are the choices of the form, "toutes" last.
func ExportKinds() Choices {
	out := make(Choices, 0, len(ExportTables)+1)
	for _, t := range ExportTables {
		out = append(out, Choice{t.Kind, t.Label})
	}
	return append(out, Choice{ExportAll, "Toutes les tables (XLSX seulement, une feuille par table)"})
}

// Export formats and separators.
var (
	ExportFormats    = Choices{{"csv", "CSV (tableur, UTF-8)"}, {"xlsx", "XLSX (Excel, LibreOffice)"}}
	ExportSeparators = Choices{{";", "Point-virgule ; (Excel en français)"}, {",", "Virgule ,"}}
)

// MaxXLSXRows is the number of data rows a sheet can hold (1,048,576
// rows, one for the header).
const MaxXLSXRows = 1048575

// ExportInput is an export request as a form or the command line sends it.
type ExportInput struct {
	Kind       string
	From, To   string // yyyy-mm-dd, Paris days; To is excluded
	TeamID     TeamID
	MediatorID UserID
	Format     string
	Separator  string
	Nominative bool
	// Shared asks for the variant to share outside the structure.
	Shared bool
}

// ExportOptions is a validated export request.
type ExportOptions struct {
	// StructureID is the structure exported: the actor's, or the one the
	// operator names on the command line.
	StructureID StructureID
	// AllStructures exports every structure of the instance at once: the
	// operator only (a network sharing one instance, or measurements).
	AllStructures bool
	Tables        []*ExportTable
	From, To      time.Time // Paris midnights, [From, To)
	TeamID        TeamID
	MediatorID    UserID
	Format        string
	Separator     rune
	Nominative    bool
	// Shared is the variant "à diffuser hors de la structure": no
	// identifying column, small counts of people suppressed (see
	// SuppressExportRows). It excludes Nominative.
	Shared bool
}

// ExportFields are the form fields, in form order.
var ExportFields = []string{"kind", "from", "to", "team_id", "mediator_id", "format", "separator", "nominative", "external"}

// Validate checks the request and returns the options.
func (in ExportInput) Validate() (ExportOptions, error) {
	var fe FieldErrors
	var o ExportOptions
	switch t, ok := ExportTableOf(in.Kind); {
	case ok:
		o.Tables = []*ExportTable{t}
	case in.Kind == ExportAll:
		o.Tables = ExportTables
	default:
		fe.Add("kind", "Choisissez ce que vous voulez exporter.")
	}
	var err error
	if o.From, err = exportDay(in.From); err != nil {
		fe.Add("from", "Indiquez la date de début au format jj/mm/aaaa.")
	}
	if o.To, err = exportDay(in.To); err != nil {
		fe.Add("to", "Indiquez la date de fin au format jj/mm/aaaa.")
	} else if !o.From.IsZero() && !o.To.After(o.From) {
		fe.Add("to", "La date de fin doit suivre la date de début.")
	}
	if in.TeamID < 0 {
		fe.Add("team_id", "Choisissez une équipe dans la liste.")
	}
	if in.MediatorID < 0 {
		fe.Add("mediator_id", "Choisissez une personne dans la liste.")
	}
	o.TeamID, o.MediatorID = in.TeamID, in.MediatorID
	o.Format = in.Format
	if o.Format == "" {
		o.Format = "csv"
	}
	if !ExportFormats.Valid(o.Format) {
		fe.Add("format", "Choisissez le format CSV ou XLSX.")
	} else if o.Format == "csv" && in.Kind == ExportAll {
		fe.Add("kind", "Un fichier CSV ne contient qu'une table : choisissez-en une, ou le format XLSX.")
	}
	switch in.Separator {
	case "", ";":
		o.Separator = ';'
	case ",":
		o.Separator = ','
	default:
		fe.Add("separator", "Choisissez le point-virgule ou la virgule.")
	}
	o.Nominative, o.Shared = in.Nominative, in.Shared
	if in.Shared && in.Nominative {
		fe.Add("external", "Un export à diffuser hors de la structure ne peut pas être nominatif : décochez l'une des deux options.")
	}
	return o, fe.Err()
}

// exportDay parses a yyyy-mm-dd day into its Paris midnight; the years
// are bounded so that a typing mistake does not read a century.
func exportDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), Paris)
	if err != nil {
		return time.Time{}, err
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, ErrInvalid
	}
	return t, nil
}

// Kinds returns the table codes of the export, for file names and the
// audit log.
func (o ExportOptions) Kinds() string {
	if len(o.Tables) == len(ExportTables) && len(o.Tables) > 1 {
		return ExportAll
	}
	var k []string
	for _, t := range o.Tables {
		k = append(k, t.Kind)
	}
	return strings.Join(k, "+")
}

// FileName is the name proposed for the downloaded file.
func (o ExportOptions) FileName() string {
	name := "maillon-" + o.Kinds() + "-" + InParis(o.From).Format("2006-01-02") + "-" + InParis(o.To).Format("2006-01-02")
	if o.Nominative {
		name += "-nominatif"
	}
	if o.Shared {
		name += "-diffusion"
	}
	return name + "." + o.Format
}

// AuditFields describe the export in the audit log: the options, never
// the values exported.
func (o ExportOptions) AuditFields() []string {
	f := []string{"type=" + o.Kinds(), "du=" + InParis(o.From).Format("2006-01-02"),
		"au=" + InParis(o.To).Format("2006-01-02"), "format=" + o.Format}
	if o.TeamID != 0 {
		f = append(f, "equipe="+strconv.FormatInt(int64(o.TeamID), 10))
	}
	if o.MediatorID != 0 {
		f = append(f, "mediateur="+strconv.FormatInt(int64(o.MediatorID), 10))
	}
	if o.AllStructures {
		f = append(f, "structures=toutes")
	}
	if o.Nominative {
		f = append(f, "nominatif")
	}
	if o.Shared {
		f = append(f, "diffusion")
	}
	return f
}

// CanExport reports whether the actor may export structure s's facts:
// any member exports (mediators their own and their team's facts, see
// ExportScopeAll).
func (a Actor) CanExport(s StructureID) bool { return a.InStructure(s) && a.Authenticated() }

// ExportScopeAll reports whether the actor exports every fact of the
// structure (coordinators, administrators, the operator) rather than their
// own and their team's.
func (a Actor) ExportScopeAll(s StructureID) bool { return a.CanViewTeamData(s) }

// CanExportNominative reports whether the actor may ask for nominative
// columns: coordinators and administrators (and the operator).
func (a Actor) CanExportNominative(s StructureID) bool { return a.CanViewTeamData(s) }

// ExportSink receives an export: Begin once per table, after the rights
// are checked and before its first row, then each row. The row slice is
// reused between calls (constant memory): a sink copies what it keeps.
type ExportSink interface {
	Begin(t *ExportTable, cols []ExportColumn) error
	Row(values []any) error
}

// ExportService streams exports.
type ExportService interface {
	// Export checks the rights (ErrForbidden for nominative columns asked
	// by a mediator), records the export in the audit log with its
	// options, then streams the rows of each table to sink, oldest first.
	// A shared export (o.Shared; ErrInvalid with Nominative) gives sink
	// the shared columns and suppressed rows of SharedSink.
	Export(ctx context.Context, actor Actor, o ExportOptions, sink ExportSink) error
	// CountExport counts the rows Export would give for each table, in
	// table order (for progress bars and the XLSX row limit); not
	// audited, it reads no values.
	CountExport(ctx context.Context, actor Actor, o ExportOptions) ([]int, error)
}

// Audit action of exports, registered here so the module stays in one
// file.
const AuditExport AuditAction = "export"

func init() {
	auditLabels[AuditExport] = "Export de données (tableur)"
	auditActionOrder = append(auditActionOrder, AuditExport)
}
