package maillon

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Report templates ("modèles de bilan"): a structure's own reports for a
// funder, made of chosen indicators in a chosen order with free text. The
// figures come from ActivityReport like every other report.

// ReportTemplateID identifies a structure's template.
type ReportTemplateID int64

// TemplateSection is one indicator of a template, with an optional
// heading replacing its label and a free text printed before it.
type TemplateSection struct {
	Indicator string `json:"indicator"`
	Heading   string `json:"heading,omitempty"`
	Text      string `json:"text,omitempty"`
}

// ReportTemplate is a template of a structure, or a shipped example (ID
// zero, Key set) that administrators copy and edit.
type ReportTemplate struct {
	ID          ReportTemplateID
	StructureID StructureID
	Key         string // shipped examples only
	Title       string
	Intro       string
	Sections    []TemplateSection
	// External reports are shared outside the structure: small cells are
	// suppressed. Funders' reports are, by default.
	External  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IndicatorIDs lists the template's indicators in order.
func (rt *ReportTemplate) IndicatorIDs() []string {
	out := make([]string, len(rt.Sections))
	for i, s := range rt.Sections {
		out[i] = s.Indicator
	}
	return out
}

// Section returns the section of an indicator, or nil.
func (rt *ReportTemplate) Section(id string) *TemplateSection {
	for i := range rt.Sections {
		if rt.Sections[i].Indicator == id {
			return &rt.Sections[i]
		}
	}
	return nil
}

// Limits of a template.
const (
	MaxTemplateTitleLen   = 120
	MaxTemplateTextLen    = 2000
	MaxTemplateHeadingLen = 120
	MaxTemplatesPerStruct = 50
)

// ReportTemplateInput is a template as its form sends it: per indicator,
// its position (empty: left out), heading and text.
type ReportTemplateInput struct {
	Title    string
	Intro    string
	External bool
	Order    map[string]string // indicator ID → position ("1", "2"…)
	Headings map[string]string
	Texts    map[string]string
}

// TemplateField names the form field of an indicator's part.
func TemplateField(part, indicator string) string {
	return part + "_" + strings.ReplaceAll(indicator, ".", "_")
}

// Validate cleans the input and returns the sections in their order
// (ties keep the registry order).
func (in *ReportTemplateInput) Validate() ([]TemplateSection, error) {
	var fe FieldErrors
	in.Title = optionalText(&fe, "title", in.Title, MaxTemplateTitleLen, false)
	if in.Title == "" {
		fe.Add("title", "Indiquez le titre du bilan.")
	}
	in.Intro = optionalText(&fe, "intro", in.Intro, MaxTemplateTextLen, true)
	type placed struct {
		pos int
		sec TemplateSection
	}
	var list []placed
	for _, ind := range Indicators() {
		v := strings.TrimSpace(in.Order[ind.ID])
		if v == "" {
			continue
		}
		pos, err := strconv.Atoi(v)
		if err != nil || pos < 1 || pos > 999 {
			fe.Add(TemplateField("order", ind.ID), "Indiquez un rang entre 1 et 999, ou laissez vide pour ne pas inclure l'indicateur.")
			continue
		}
		sec := TemplateSection{Indicator: ind.ID}
		sec.Heading = optionalText(&fe, TemplateField("heading", ind.ID), in.Headings[ind.ID], MaxTemplateHeadingLen, false)
		sec.Text = optionalText(&fe, TemplateField("text", ind.ID), in.Texts[ind.ID], MaxTemplateTextLen, true)
		list = append(list, placed{pos, sec})
	}
	for k := range in.Order {
		if _, ok := IndicatorByID(k); !ok {
			fe.Add("sections", "Choisissez les indicateurs dans la liste.")
		}
	}
	if len(list) == 0 && fe == nil {
		fe.Add("sections", "Choisissez au moins un indicateur en lui donnant un rang.")
	}
	// A stable insertion sort: a few dozen sections at most.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].pos < list[j-1].pos; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	out := make([]TemplateSection, len(list))
	for i, p := range list {
		out[i] = p.sec
	}
	return out, fe.Err()
}

// Audit actions of report templates.
const (
	AuditReportTemplateCreate AuditAction = "rapports.template_create"
	AuditReportTemplateUpdate AuditAction = "rapports.template_update"
	AuditReportTemplateDelete AuditAction = "rapports.template_delete"
)

func init() {
	for _, a := range []struct {
		action AuditAction
		label  string
	}{
		{AuditReportTemplateCreate, "Modèle de bilan créé"},
		{AuditReportTemplateUpdate, "Modèle de bilan modifié"},
		{AuditReportTemplateDelete, "Modèle de bilan supprimé"},
	} {
		auditLabels[a.action] = a.label
		auditActionOrder = append(auditActionOrder, a.action)
	}
}

func sections(ids ...string) []TemplateSection {
	out := make([]TemplateSection, len(ids))
	for i, id := range ids {
		out[i] = TemplateSection{Indicator: id}
	}
	return out
}

// TemplateExamples are the shipped examples, by key.
var TemplateExamples = []ReportTemplate{
	{Key: "annuel", Title: "Bilan annuel d'activité", External: true,
		Intro: "Ce bilan présente l'activité de médiation sociale de l'année : volume et nature des interventions, publics rencontrés, accompagnements, médiations, orientations, actions collectives et veille.",
		Sections: sections("interventions.nombre", "interventions.mois", "interventions.registre", "interventions.lieu",
			"interventions.thematique", "temps.registre", "interventions.hors_horaires", "personnes.identifiees", "personnes.anonymes",
			"tournees.nombre", "tournees.comptages", "demarches.organisme", "demarches.mode", "autonomie.evolution",
			"mediations.type", "mediations.issue", "mediations.duree", "orientations.statut", "orientations.retour",
			"activites.seances_type", "activites.participations", "activites.participants", "activites.objectifs",
			"activites.satisfaction_positive", "veille.observations", "veille.technique", "veille.technique_delai", "annuaire.fraicheur")},
	{Key: "adultes_relais", Title: "Bilan adultes-relais", External: true,
		Intro: "Bilan de l'activité des postes adultes-relais : présence de proximité, lien entre les habitants et les institutions, prévention et gestion des conflits.",
		Sections: sections("interventions.nombre", "interventions.registre", "temps.registre", "interventions.hors_horaires",
			"personnes.identifiees", "personnes.anonymes", "tournees.nombre", "tournees.duree", "tournees.comptages",
			"mediations.type", "mediations.issue", "orientations.statut", "orientations.retour")},
	{Key: "contrat_de_ville", Title: "Bilan contrat de ville", External: true,
		Intro: "Bilan de l'action de médiation sociale dans les quartiers prioritaires de la politique de la ville, à produire avec le filtre « Quartiers prioritaires (QPV) seulement ».",
		Sections: sections("interventions.nombre", "interventions.lieu", "interventions.thematique", "personnes.identifiees",
			"personnes.anonymes", "demarches.organisme", "demarches.obstacle", "mediations.type", "activites.seances_type",
			"activites.participations", "activites.participants", "activites.objectifs", "veille.observations",
			"veille.technique", "veille.technique_resolus")},
	{Key: "bailleur", Title: "Bilan bailleur", External: true,
		Intro: "Bilan pour le bailleur social : tranquillité résidentielle, conflits de voisinage, signalements techniques et accompagnement des locataires.",
		Sections: sections("interventions.nombre", "interventions.lieu", "mediations.type", "mediations.issue", "mediations.duree",
			"veille.technique", "veille.technique_resolus", "veille.technique_delai", "tournees.nombre", "tournees.comptages",
			"demarches.organisme")},
}

// TemplateExample finds a shipped example by key.
func TemplateExample(key string) (ReportTemplate, bool) {
	for _, t := range TemplateExamples {
		if t.Key == key {
			t.Sections = append([]TemplateSection(nil), t.Sections...)
			return t, true
		}
	}
	return ReportTemplate{}, false
}

// ReportTemplateService manages a structure's report templates. Any
// member reads them and produces their reports; administrators create,
// change and delete them (ErrForbidden otherwise), audited.
type ReportTemplateService interface {
	FindReportTemplates(ctx context.Context, actor Actor) ([]ReportTemplate, error)
	// FindReportTemplate reads one; ErrNotFound for another structure's.
	FindReportTemplate(ctx context.Context, actor Actor, id ReportTemplateID) (*ReportTemplate, error)
	// CreateReportTemplate copies a shipped example (key) or, with an
	// empty key, creates an empty template to edit; ErrInvalid for an
	// unknown key or when the structure has 50 templates.
	CreateReportTemplate(ctx context.Context, actor Actor, key string) (*ReportTemplate, error)
	UpdateReportTemplate(ctx context.Context, actor Actor, id ReportTemplateID, in ReportTemplateInput) error
	DeleteReportTemplate(ctx context.Context, actor Actor, id ReportTemplateID) error
}
