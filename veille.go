package maillon

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The veille sociale records what mediators observe on their territory,
// the public online risks they come across, the technical problems they
// report to partners, and the obstacles met in accompanied procedures that
// the structure reports to the institutions. None of it names anybody.

// VeilleObservationID identifies an observation of the veille sociale.
type VeilleObservationID int64

// RiskReportID identifies a social-network risk report.
type RiskReportID int64

// TechReportID identifies a technical report (veille technique).
type TechReportID int64

// RemonteeReportID identifies a saved remontées report.
type RemonteeReportID int64

// Vocabularies of the veille.
var (
	VeilleKinds = Choices{
		{"besoin", "Besoin non couvert"}, {"isolement", "Isolement"}, {"tension", "Tension"},
		{"tendance", "Tendance sociale"}, {"service", "Dysfonctionnement d'un service"},
		{"demarche_en_ligne", "Dysfonctionnement d'une démarche en ligne"}, {"risque_en_ligne", "Risque en ligne"},
	}
	VeilleSources = Choices{
		{"terrain", "Terrain (observation directe)"}, {"partenaire", "Partenaire"}, {"habitant", "Habitant ou habitante"},
		{"reseaux", "Réseaux sociaux"}, {"medias", "Médias"},
	}
	Reliabilities = Choices{{"verifiee", "Vérifiée"}, {"a_confirmer", "À confirmer"}}
	// VeilleObservationStatuses: a new observation is examined by the
	// coordination, followed, then closed.
	VeilleObservationStatuses = Choices{{"nouvelle", "Nouvelle"}, {"en_suivi", "En suivi"}, {"close", "Close"}}

	RiskPlatforms = Choices{
		{"facebook", "Facebook"}, {"instagram", "Instagram"}, {"tiktok", "TikTok"}, {"snapchat", "Snapchat"},
		{"x", "X (Twitter)"}, {"youtube", "YouTube"}, {"messagerie", "Messagerie de groupe (WhatsApp, Telegram…)"},
		{"autre", "Autre plateforme"},
	}
	RiskCategories = Choices{
		{"cyberharcelement", "Cyberharcèlement"}, {"rumeur", "Rumeur"},
		{"appel_rassemblement", "Appel à un rassemblement"}, {"violence_annoncee", "Violence annoncée"},
	}
	// RiskSeriousness is the 1–4 scale of a risk report.
	RiskSeriousness = Choices{
		{"1", "1 – Faible : à surveiller"}, {"2", "2 – Modérée : à signaler"},
		{"3", "3 – Grave : action rapide"}, {"4", "4 – Très grave : danger imminent"},
	}
	RiskPublics = Choices{
		{"mineurs", "Mineurs"}, {"jeunes", "Jeunes majeurs"}, {"habitants", "Habitants du quartier"},
		{"professionnels", "Professionnels ou structure"}, {"tout_public", "Tout public"},
	}
	// RiskActions are what was done: the national numbers first.
	RiskActions = Choices{
		{"3018", "Appel ou signalement au 3018"}, {"pharos", "Signalement sur PHAROS"},
		{"etablissement", "Établissement scolaire prévenu"}, {"police", "Police ou gendarmerie prévenue"},
		{"parents", "Parents prévenus"}, {"partenaire", "Partenaire prévenu"},
	}
	RiskStatuses = Choices{{"signale", "Signalé"}, {"en_cours", "En cours de traitement"}, {"clos", "Clos"}}

	TechCategories = Choices{
		{"eclairage", "Éclairage"}, {"ascenseur", "Ascenseur"}, {"degradation", "Dégradation"},
		{"proprete", "Propreté"}, {"securite", "Sécurité"}, {"autre", "Autre"},
	}
	// TechPartnerKinds say which kind of partner is responsible.
	TechPartnerKinds = Choices{
		{"bailleur", "Bailleur"}, {"mairie", "Mairie"}, {"transport", "Opérateur de transport"},
		{"autre", "Autre partenaire"},
	}
	TechStatuses = Choices{{"signale", "Signalé"}, {"pris_en_compte", "Pris en compte"}, {"resolu", "Résolu"}}
)

// Limits of the veille, stated in forms.
const (
	MaxVeilleTextLen     = 2000
	RemonteeMaxDays      = 731 // a report covers at most two years
	RemonteeSmallCell    = 5   // counts below are shown "< 5" outside the structure
	MaxRemonteeReports   = 50  // reports listed on the page
	MaxTechDelayReports  = 20000
	VeilleConfirmField   = "confirm_no_personal_data"
	veilleConfirmMessage = " Retirez-la, ou cochez « J'ai vérifié : pas de donnée personnelle » si ce n'en est pas une."
)

var (
	phonePattern = regexp.MustCompile(`(?:\+33[\s.\-]?|\b0)[1-9](?:[\s.\-]?[0-9]{2}){4}\b`)
	emailPattern = regexp.MustCompile(`[\p{L}0-9._%+\-]+@[\p{L}0-9\-]+(?:\.[\p{L}0-9\-]+)+`)
)

// notNames are capitalised words of places and institutions: two of them
// in a row ("Maison France", "Rue Gambetta") are not a person's name.
var notNames = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`rue avenue boulevard bd place allee impasse chemin route quai cours square parc jardin
		quartier cite residence immeuble batiment tour hall gare station ligne tram bus metro
		mairie ville commune metropole departement region prefecture conseil ccas caf cpam
		maison france services travail emploi pole mission locale centre social sociale point justice
		ecole college lycee universite police nationale municipale gendarmerie hopital clinique pharos
		office habitat bailleur grand lyon paris venissieux saint sainte priest minguettes
		tilleuls epicerie solidaire secours populaire catholique croix rouge restos coeur
		nord sud est ouest haut bas vieux nouveau
		lundi mardi mercredi jeudi vendredi samedi dimanche
		janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
		noel ramadan aid facebook instagram tiktok snapchat youtube whatsapp telegram twitter`) {
		notNames[w] = true
	}
}

// PersonalDataHints looks for what may be personal data in a text meant
// to name nobody: a phone number, an e-mail address, or two capitalised
// words in a row that do not start a sentence and are not place or
// institution words ("Mme Martin", "Karim Benali"). It returns the French
// descriptions of what it saw, for a warning the user may override: the
// check is a reminder, not a filter.
func PersonalDataHints(s string) []string {
	var out []string
	if phonePattern.MatchString(s) {
		out = append(out, "un numéro de téléphone")
	}
	if emailPattern.MatchString(s) {
		out = append(out, "une adresse e-mail")
	}
	if n := namePair(s); n != "" {
		out = append(out, "un nom de personne (« "+n+" »)")
	}
	return out
}

// namePair returns the first pair of consecutive capitalised words that
// does not start a sentence, or "".
func namePair(s string) string {
	for _, line := range strings.Split(s, "\n") {
		toks := strings.Fields(line)
		for i := 0; i+1 < len(toks); i++ {
			sentenceStart := i == 0 || strings.ContainsAny(toks[i-1][len(toks[i-1])-1:], ".!?:…")
			a, aEnd := nameWord(toks[i])
			b, _ := nameWord(toks[i+1])
			if sentenceStart || aEnd || a == "" || b == "" {
				continue
			}
			if notNames[FoldText(a)] || notNames[FoldText(b)] {
				continue
			}
			return a + " " + b
		}
	}
	return ""
}

// nameWord returns tok without surrounding punctuation when it looks like
// a capitalised name ("Benali", "Jean-Pierre", "Mme"), and whether
// punctuation ends it (a comma separates two words).
func nameWord(tok string) (string, bool) {
	t := strings.TrimLeft(tok, "(«\"'“")
	trimmed := strings.TrimRight(t, ",;:.!?)»\"'”…")
	ends := trimmed != t
	rs := []rune(trimmed)
	if len(rs) < 2 || !unicode.IsUpper(rs[0]) {
		return "", ends
	}
	lower := false
	for _, r := range rs[1:] {
		switch {
		case unicode.IsLower(r):
			lower = true
		case r == '-' || r == '\'' || r == '’':
		case unicode.IsUpper(r):
		default:
			return "", ends
		}
	}
	if !lower {
		return "", ends // "CAF", "QPV": acronyms
	}
	return trimmed, ends
}

// checkPersonalData adds a warning on field when text may hold personal
// data and the user did not confirm it holds none.
func checkPersonalData(fe *FieldErrors, field, text string, confirmed bool) {
	if confirmed || (*fe)[field] != "" {
		return
	}
	if hints := PersonalDataHints(text); len(hints) > 0 {
		fe.Add(field, "Le texte semble contenir "+strings.Join(hints, ", ")+" : aucune donnée personnelle ici."+veilleConfirmMessage)
		fe.Add(VeilleConfirmField, "Vérifiez le texte, puis cochez cette case si rien ne permet d'identifier une personne.")
	}
}

// requiredMultiline cleans a required text of several lines.
func requiredMultiline(fe *FieldErrors, field, label, value string) string {
	v := optionalText(fe, field, value, MaxVeilleTextLen, true)
	if v == "" && (*fe)[field] == "" {
		fe.Add(field, "Indiquez "+label+".")
	}
	return v
}

// PersonalDataWarning reports whether err is the warning of the check, so
// that the form shows the confirmation box.
func PersonalDataWarning(err error) bool {
	return FieldsOf(err)[VeilleConfirmField] != ""
}

// parseVeilleDay reads a day that is not in the future and not older than
// five years; empty is today.
func parseVeilleDay(fe *FieldErrors, field, s string, now time.Time) time.Time {
	d, err := ParseDay(s, now)
	today, _ := ParseDay("", now)
	switch {
	case err != nil:
		fe.Add(field, "Indiquez la date au format jj/mm/aaaa.")
	case d.After(today):
		fe.Add(field, "La date ne peut pas être dans le futur.")
	case d.Before(today.AddDate(-5, 0, 0)):
		fe.Add(field, "La date doit être dans les cinq dernières années.")
	default:
		return d
	}
	return time.Time{}
}

// VeilleObservation is a fact observed on the territory, without personal data.
type VeilleObservation struct {
	ID            VeilleObservationID
	StructureID   StructureID
	ObservedOn    time.Time // Paris midnight
	ZoneID        ZoneID    // zero: the whole territory
	ZoneName      string    // filled by queries
	Theme         string
	Kind          string
	Description   string
	Source        string
	Reliability   string
	FollowUp      string
	Status        string
	CreatedBy     UserID
	CreatedByName string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// VeilleObservationInput is an observation as a form sends it. Status is
// ignored on creation (a new observation is "nouvelle").
type VeilleObservationInput struct {
	ObservedOn  string
	ZoneID      ZoneID
	Theme       string
	Kind        string
	Description string
	Source      string
	Reliability string
	FollowUp    string
	Status      string
	// Confirmed is the box "J'ai vérifié : pas de donnée personnelle".
	Confirmed bool
}

// VeilleObservationFields are the form fields, in form order.
var VeilleObservationFields = []string{"observed_on", "zone_id", "theme", "kind", "description", VeilleConfirmField, "source",
	"reliability", "follow_up", "status"}

// Validate cleans the input; from is the current status ("" on creation).
func (in *VeilleObservationInput) Validate(from string, now time.Time) (time.Time, error) {
	var fe FieldErrors
	day := parseVeilleDay(&fe, "observed_on", in.ObservedOn, now)
	if in.ZoneID < 0 {
		fe.Add("zone_id", "Choisissez un quartier du territoire de la structure.")
	}
	if !Themes.Valid(in.Theme) {
		fe.Add("theme", "Choisissez le thème de l'observation.")
	}
	if !VeilleKinds.Valid(in.Kind) {
		fe.Add("kind", "Choisissez le type d'observation.")
	}
	in.Description = requiredMultiline(&fe, "description", "la description des faits", in.Description)
	if !VeilleSources.Valid(in.Source) {
		fe.Add("source", "Choisissez la source de l'observation.")
	}
	if !Reliabilities.Valid(in.Reliability) {
		fe.Add("reliability", "Indiquez si l'information est vérifiée ou à confirmer.")
	}
	in.FollowUp = optionalText(&fe, "follow_up", in.FollowUp, MaxVeilleTextLen, true)
	if from == "" {
		in.Status = "nouvelle"
	} else if msg := observationTransition(from, in.Status); msg != "" {
		fe.Add("status", msg)
	}
	checkPersonalData(&fe, "description", in.Description, in.Confirmed)
	if (fe)["description"] == "" {
		checkPersonalData(&fe, "follow_up", in.FollowUp, in.Confirmed)
	}
	return day, fe.Err()
}

// observationTransition returns why an observation may not go from one
// status to another: nouvelle → en suivi → close, close being final.
func observationTransition(from, to string) string {
	switch {
	case !VeilleObservationStatuses.Valid(to):
		return "Choisissez un statut dans la liste."
	case from == "close":
		return "L'observation est close : elle ne peut plus être modifiée."
	case to == "nouvelle" && from != "nouvelle":
		return "Une observation suivie ne peut pas redevenir « nouvelle » : gardez « en suivi » ou close-la."
	}
	return ""
}

// VeilleObservationFilter selects observations.
type VeilleObservationFilter struct {
	Kind   string
	Status string
	Theme  string
	Offset int
	Limit  int

	// Place and period (list filters and territory pages): a zone, or
	// every zone of a commune; observed from From to To included (Paris
	// midnights; zero: unbounded).
	ZoneID    ZoneID
	CommuneID CommuneID
	From, To  time.Time
}

// RiskReport is a public online risk seen by the team. It stores no
// profile, no link to an account and no screenshot: the platform, the
// kind of risk, the public concerned and what was done.
type RiskReport struct {
	ID             RiskReportID
	StructureID    StructureID
	SeenOn         time.Time
	Platform       string
	Category       string
	Seriousness    int
	Public         string
	MinorsInvolved bool
	Description    string
	Actions        []string
	Status         string
	StatusNote     string
	CreatedBy      UserID
	CreatedByName  string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SeriousnessLabel is the label of the report's seriousness.
func (r *RiskReport) SeriousnessLabel() string {
	return RiskSeriousness.Label(strconv.Itoa(r.Seriousness))
}

// ToHandle reports whether the coordination must look at the report:
// minors are involved and nobody took it in hand yet.
func (r *RiskReport) ToHandle() bool { return r.MinorsInvolved && r.Status == "signale" }

// RiskReportInput is a risk report as a form sends it.
type RiskReportInput struct {
	SeenOn         string
	Platform       string
	Category       string
	Seriousness    string
	Public         string
	MinorsInvolved bool
	Description    string
	Actions        []string
	Confirmed      bool
}

// RiskReportFields are the form fields, in form order.
var RiskReportFields = []string{"seen_on", "platform", "category", "seriousness", "public", "minors_involved", "description",
	VeilleConfirmField, "actions"}

// Validate cleans the input and returns the day and the seriousness.
func (in *RiskReportInput) Validate(now time.Time) (time.Time, int, error) {
	var fe FieldErrors
	day := parseVeilleDay(&fe, "seen_on", in.SeenOn, now)
	if !RiskPlatforms.Valid(in.Platform) {
		fe.Add("platform", "Choisissez la plateforme.")
	}
	if !RiskCategories.Valid(in.Category) {
		fe.Add("category", "Choisissez la catégorie du risque.")
	}
	seriousness := 0
	if RiskSeriousness.Valid(in.Seriousness) {
		seriousness, _ = strconv.Atoi(in.Seriousness)
	} else {
		fe.Add("seriousness", "Choisissez la gravité, de 1 (faible) à 4 (très grave).")
	}
	if !RiskPublics.Valid(in.Public) {
		fe.Add("public", "Choisissez le public concerné.")
	}
	if in.Public == "mineurs" {
		in.MinorsInvolved = true
	}
	in.Description = requiredMultiline(&fe, "description", "ce qui a été vu, sans nom ni pseudonyme", in.Description)
	acts, unknown := RiskActions.CleanSet(in.Actions)
	if unknown {
		fe.Add("actions", "Choisissez les actions dans la liste.")
	}
	in.Actions = acts
	checkPersonalData(&fe, "description", in.Description, in.Confirmed)
	return day, seriousness, fe.Err()
}

// RiskStatusInput moves a risk report: signalé → en cours → clos, with
// the actions taken so far.
type RiskStatusInput struct {
	Status  string
	Actions []string
	Note    string
}

// Validate checks the input against the current status.
func (in *RiskStatusInput) Validate(from string) error {
	var fe FieldErrors
	switch {
	case !RiskStatuses.Valid(in.Status):
		fe.Add("status", "Choisissez un statut dans la liste.")
	case from == "clos":
		fe.Add("status", "Le signalement est clos : il ne peut plus être modifié.")
	case in.Status == "signale" && from != "signale":
		fe.Add("status", "Un signalement en cours ne peut pas redevenir « signalé ».")
	}
	acts, unknown := RiskActions.CleanSet(in.Actions)
	if unknown {
		fe.Add("actions", "Choisissez les actions dans la liste.")
	}
	in.Actions = acts
	in.Note = optionalText(&fe, "note", in.Note, MaxShortTextLen, false)
	if in.Status == "clos" && len(acts) == 0 && in.Note == "" {
		fe.Add("note", "Avant de clore, indiquez l'action menée ou pourquoi aucune ne l'a été.")
	}
	return fe.Err()
}

// RiskFilter selects risk reports.
type RiskFilter struct {
	Status   string
	Category string
	ToHandle bool // minors involved and still "signalé"
	Offset   int
	Limit    int
}

// TechReport is a technical problem of the public space or of housing
// reported to the partner responsible for it.
type TechReport struct {
	ID          TechReportID
	StructureID StructureID
	Category    string
	ZoneID      ZoneID
	ZoneName    string
	Location    string
	Description string
	// PartnerName names the responsible partner; the figures group by its
	// folded form. When the partner was picked from the directory,
	// DirectoryStructureID links to its entry and PartnerName is its name.
	PartnerName          string
	DirectoryStructureID DirectoryStructureID
	PartnerKind          string
	Status               string
	ReportedOn           time.Time
	AcknowledgedOn       time.Time // zero until "pris en compte"
	ResolvedOn           time.Time // zero until "résolu"
	StatusNote           string
	CreatedBy            UserID
	CreatedByName        string
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// DaysToAck is the delay from the report to its acknowledgement, -1 when
// not acknowledged.
func (r *TechReport) DaysToAck() int { return daysBetween(r.ReportedOn, r.AcknowledgedOn) }

// DaysToResolve is the delay from the report to its resolution, -1 when
// not resolved.
func (r *TechReport) DaysToResolve() int { return daysBetween(r.ReportedOn, r.ResolvedOn) }

func daysBetween(from, to time.Time) int {
	if from.IsZero() || to.IsZero() {
		return -1
	}
	a, b := InParis(from), InParis(to)
	return int(time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC).Sub(
		time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
}

// TechReportInput is a technical report as a form sends it.
type TechReportInput struct {
	Category    string
	ZoneID      ZoneID
	Location    string
	Description string
	PartnerName string
	PartnerKind string
	ReportedOn  string
	// DirectoryStructureID picks the partner from the directory
	// (optional); PartnerName may then be left empty.
	DirectoryStructureID DirectoryStructureID

	// Confirmed is the box "J'ai vérifié : pas de donnée personnelle",
	// shown after the description raised the warning.
	Confirmed bool
}

// TechReportFields are the form fields, in form order.
var TechReportFields = []string{"category", "zone_id", "location", "description", VeilleConfirmField, "directory_structure_id",
	"partner_name", "partner_kind", "reported_on"}

// Validate cleans the input and returns the day of the report.
func (in *TechReportInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	if !TechCategories.Valid(in.Category) {
		fe.Add("category", "Choisissez la catégorie du problème.")
	}
	if in.ZoneID < 0 {
		fe.Add("zone_id", "Choisissez un quartier du territoire de la structure.")
	}
	in.Location = requiredText(&fe, "location", "le lieu (adresse, bâtiment, arrêt…)", in.Location, MaxShortTextLen)
	in.Description = requiredMultiline(&fe, "description", "la description du problème", in.Description)
	if in.DirectoryStructureID < 0 {
		fe.Add("directory_structure_id", "Choisissez une structure de l'annuaire, ou « Aucune ».")
	}
	if in.DirectoryStructureID > 0 && strings.TrimSpace(in.PartnerName) == "" {
		// The store names the partner after its directory entry.
		in.PartnerName = ""
	} else {
		in.PartnerName = requiredText(&fe, "partner_name", "le partenaire responsable (bailleur, mairie, transporteur…)", in.PartnerName, MaxNameLen)
	}
	if !TechPartnerKinds.Valid(in.PartnerKind) {
		fe.Add("partner_kind", "Choisissez le type de partenaire.")
	}
	day := parseVeilleDay(&fe, "reported_on", in.ReportedOn, now)
	// A report goes to a partner: it names a place, never a resident.
	checkPersonalData(&fe, "description", in.Description, in.Confirmed)
	return day, fe.Err()
}

// TechStatusInput moves a technical report: signalé → pris en compte →
// résolu (or straight to résolu), on a day that may be in the past.
type TechStatusInput struct {
	Status string
	On     string // yyyy-mm-dd; empty: today
	Note   string
}

// Validate checks the move against the report and returns its day.
func (in *TechStatusInput) Validate(r *TechReport, now time.Time) (time.Time, error) {
	var fe FieldErrors
	switch {
	case !TechStatuses.Valid(in.Status):
		fe.Add("status", "Choisissez un statut dans la liste.")
	case r.Status == "resolu":
		fe.Add("status", "Le signalement est résolu : son statut ne peut plus changer.")
	case in.Status == r.Status:
		fe.Add("status", "Le signalement est déjà « "+TechStatuses.Label(in.Status)+" » : choisissez l'étape suivante.")
	case in.Status == "signale":
		fe.Add("status", "Un signalement pris en compte ne peut pas redevenir « signalé ».")
	}
	day := parseVeilleDay(&fe, "on", in.On, now)
	if !day.IsZero() && day.Before(r.ReportedOn) {
		fe.Add("on", "La date ne peut pas précéder celle du signalement ("+InParis(r.ReportedOn).Format("02/01/2006")+").")
	} else if !day.IsZero() && !r.AcknowledgedOn.IsZero() && day.Before(r.AcknowledgedOn) {
		fe.Add("on", "La date ne peut pas précéder la prise en compte ("+InParis(r.AcknowledgedOn).Format("02/01/2006")+").")
	}
	in.Note = optionalText(&fe, "note", in.Note, MaxShortTextLen, false)
	return day, fe.Err()
}

// TechFilter selects technical reports and their delays.
type TechFilter struct {
	From, To time.Time // on the report's day; zero: open
	Partner  string    // part of the partner's name
	Category string
	Status   string
	Offset   int
	Limit    int
}

// TechDelays are the delays of one partner, in days.
type TechDelays struct {
	Partner       string
	Reports       int
	Acknowledged  int
	Resolved      int
	AckMedian     float64 // -1 when none
	AckMean       float64
	ResolveMedian float64
	ResolveMean   float64
}

// Remontee is the aggregated count of obstacles met in accompanied
// procedures over a period: no names, one row per organisme × procedure
// × obstacle.
type Remontee struct {
	From, To   time.Time // Paris midnights; To is included
	Organisme  string    // "" for all
	Procedures int       // procedures accompanied in the period
	Rows       []RemonteeRow
}

// RemonteeRow is one cell of the report. Procedure is the catalogue
// label, or "" for procedures described in free text only, which are
// grouped together so that no free text leaves the structure.
type RemonteeRow struct {
	Organisme string
	Procedure string
	Obstacle  string
	Count     int
}

// CountText shows a count; outside the structure, counts below
// RemonteeSmallCell are shown "< 5".
func CountText(n int, outside bool) string {
	if outside && n > 0 && n < RemonteeSmallCell {
		return "< " + strconv.Itoa(RemonteeSmallCell)
	}
	return strconv.Itoa(n)
}

// RemonteeFilter selects the period and the organisme of a remontée.
type RemonteeFilter struct {
	From, To  string // yyyy-mm-dd; empty: the last twelve months
	Organisme string
}

// RemonteeFilterFields are the filter fields, in form order.
var RemonteeFilterFields = []string{"from", "to", "organisme"}

// Period validates the filter and returns its days (To included).
func (f *RemonteeFilter) Period(now time.Time) (time.Time, time.Time, error) {
	var fe FieldErrors
	today, _ := ParseDay("", now)
	from, to := today.AddDate(-1, 0, 1), today
	if strings.TrimSpace(f.From) != "" {
		d, err := ParseDay(f.From, now)
		if err != nil {
			fe.Add("from", "Indiquez le début de la période au format jj/mm/aaaa.")
		}
		from = d
	}
	if strings.TrimSpace(f.To) != "" {
		d, err := ParseDay(f.To, now)
		if err != nil {
			fe.Add("to", "Indiquez la fin de la période au format jj/mm/aaaa.")
		}
		to = d
	}
	switch {
	case len(fe) > 0:
	case to.Before(from):
		fe.Add("to", "La fin de la période ne peut pas précéder son début.")
	case to.Sub(from) > RemonteeMaxDays*24*time.Hour:
		fe.Add("to", "La période ne peut pas dépasser deux ans.")
	}
	if f.Organisme != "" && !Organismes.Valid(f.Organisme) {
		fe.Add("organisme", "Choisissez l'organisme dans la liste.")
	}
	return from, to, fe.Err()
}

// RemonteeReport is a remontée saved to be sent to an institution: the
// period, the organisme and the structure's comment. Its figures are
// computed again when it is read.
type RemonteeReport struct {
	ID            RemonteeReportID
	StructureID   StructureID
	Comment       string
	CreatedBy     UserID
	CreatedByName string
	CreatedAt     time.Time
	Remontee
}

// RemonteeReportInput is a report as the form sends it.
type RemonteeReportInput struct {
	RemonteeFilter
	Comment string
}

// RemonteeReportFields are the form fields, in form order.
var RemonteeReportFields = []string{"from", "to", "organisme", "comment"}

// Validate checks the report and returns its period.
func (in *RemonteeReportInput) Validate(now time.Time) (time.Time, time.Time, error) {
	from, to, err := in.Period(now)
	fe := FieldErrors{}
	for k, v := range FieldsOf(err) {
		fe.Add(k, v)
	}
	in.Comment = requiredMultiline(&fe, "comment", "le commentaire de la structure", in.Comment)
	return from, to, fe.Err()
}

// VeilleService manages the veille sociale. Every member of a structure
// reads it; every member creates observations and reports; coordinators
// and administrators change them and write the remontées reports
// (ErrForbidden otherwise). Another structure's records are ErrNotFound.
type VeilleService interface {
	CreateObservation(ctx context.Context, actor Actor, in VeilleObservationInput) (*VeilleObservation, error)
	FindObservationByID(ctx context.Context, actor Actor, id VeilleObservationID) (*VeilleObservation, error)
	FindObservations(ctx context.Context, actor Actor, f VeilleObservationFilter) ([]VeilleObservation, int, error)
	// UpdateObservation edits an observation and moves its status;
	// ErrInvalid on a refused transition.
	UpdateObservation(ctx context.Context, actor Actor, id VeilleObservationID, in VeilleObservationInput) error

	CreateRiskReport(ctx context.Context, actor Actor, in RiskReportInput) (*RiskReport, error)
	FindRiskReportByID(ctx context.Context, actor Actor, id RiskReportID) (*RiskReport, error)
	FindRiskReports(ctx context.Context, actor Actor, f RiskFilter) ([]RiskReport, int, error)
	SetRiskReportStatus(ctx context.Context, actor Actor, id RiskReportID, in RiskStatusInput) error

	CreateTechReport(ctx context.Context, actor Actor, in TechReportInput) (*TechReport, error)
	FindTechReportByID(ctx context.Context, actor Actor, id TechReportID) (*TechReport, error)
	FindTechReports(ctx context.Context, actor Actor, f TechFilter) ([]TechReport, int, error)
	SetTechReportStatus(ctx context.Context, actor Actor, id TechReportID, in TechStatusInput) error
	// FindTechDelays gives the median and mean delays per partner of the
	// reports f selects (its Offset and Limit are ignored).
	FindTechDelays(ctx context.Context, actor Actor, f TechFilter) ([]TechDelays, error)

	// FindRemontee counts the obstacles of the procedures accompanied in
	// the period; ErrInvalid on a bad period.
	FindRemontee(ctx context.Context, actor Actor, f RemonteeFilter) (*Remontee, error)
	CreateRemonteeReport(ctx context.Context, actor Actor, in RemonteeReportInput) (*RemonteeReport, error)
	FindRemonteeReportByID(ctx context.Context, actor Actor, id RemonteeReportID) (*RemonteeReport, error)
	// FindRemonteeReports lists the latest reports, newest first.
	FindRemonteeReports(ctx context.Context, actor Actor) ([]RemonteeReport, error)
}
