package maillon

import (
	"context"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The partner directory (annuaire partenarial) holds the structures and
// services a mediation structure orients people to, in the data·inclusion
// v1 model so that it can be filled from and compared with the national
// open data. Each mediation structure has its own directory: entries, and
// the internal contacts and relations kept beside them, are never shared
// with another structure.

// DirectoryStructureID identifies a structure of a directory.
type DirectoryStructureID int64

// DirectoryServiceID identifies a service of a directory.
type DirectoryServiceID int64

// LocalSource is the data·inclusion source of entries typed in Maillon.
const LocalSource = "maillon"

// Limits of directory entries, from the data·inclusion schema where it
// states one.
const (
	DINameMin        = 3
	DINameMax        = 150
	DIDescriptionMin = 5
	DIDescriptionMax = 10000
	DIURLMax         = 2083
	DIIDMax          = 300
	DIListMax        = 200 // items of one list field
)

// DirectoryStructure is a structure in the data·inclusion v1 model (field
// names in comments), plus what the directory keeps for its own use:
// verification and temporary information.
type DirectoryStructure struct {
	ID                DirectoryStructureID
	OwnerID           StructureID // the mediation structure whose directory holds it
	Source            string      // source
	DIID              string      // id
	Nom               string      // nom
	Siret             string      // siret
	Telephone         string      // telephone
	Courriel          string      // courriel
	SiteWeb           string      // site_web
	LienSource        string      // lien_source
	HorairesAccueil   string      // horaires_accueil (OSM opening_hours)
	AccessibiliteLieu string      // accessibilite_lieu
	ReseauxPorteurs   []string    // reseaux_porteurs
	Description       string      // description
	Adresse           string      // adresse
	ComplementAdresse string      // complement_adresse
	Commune           string      // commune
	CodePostal        string      // code_postal
	CodeInsee         string      // code_insee
	Latitude          *float64    // latitude
	Longitude         *float64    // longitude
	DateMaj           time.Time   // date_maj, Paris midnight

	Verification
	Temporary TemporaryInfo
	// Filled by the store on a structure's page.
	Services        []DirectoryService
	LastInteraction time.Time
}

// Verification is when and by whom an entry was last checked.
type Verification struct {
	VerifiedAt     time.Time
	VerifiedBy     UserID
	VerifiedByName string
}

// DirectoryService is a service in the data·inclusion v1 model.
type DirectoryService struct {
	ID                        DirectoryServiceID
	OwnerID                   StructureID
	StructureID               DirectoryStructureID // the directory structure it belongs to
	StructureName             string               // filled by queries
	Source                    string               // source
	DIID                      string               // id
	DIStructureID             string               // structure_id
	Nom                       string               // nom
	Description               string               // description
	Type                      string               // type
	Thematiques               []string             // thematiques
	Frais                     string               // frais
	FraisPrecisions           string               // frais_precisions
	Publics                   []string             // publics
	PublicsPrecisions         string               // publics_precisions
	ConditionsAcces           string               // conditions_acces
	Telephone                 string               // telephone
	Courriel                  string               // courriel
	ContactNomPrenom          string               // contact_nom_prenom
	LienMobilisation          string               // lien_mobilisation
	LienSource                string               // lien_source
	ModesAccueil              []string             // modes_accueil
	ModesMobilisation         []string             // modes_mobilisation
	MobilisablePar            []string             // mobilisable_par
	MobilisationPrecisions    string               // mobilisation_precisions
	ZoneEligibilite           []string             // zone_eligibilite
	HorairesAccueil           string               // horaires_accueil
	NombreSemaines            *int                 // nombre_semaines
	VolumeHoraireHebdomadaire *float64             // volume_horaire_hebdomadaire
	Adresse                   string               // adresse
	ComplementAdresse         string               // complement_adresse
	Commune                   string               // commune
	CodePostal                string               // code_postal
	CodeInsee                 string               // code_insee
	Latitude                  *float64             // latitude
	Longitude                 *float64             // longitude
	DateMaj                   time.Time            // date_maj

	Verification
	// DistanceKm is set by a search from a point; -1 when unknown.
	DistanceKm float64
}

// ThematiqueLabel gives the French label of a thématique of either level.
func ThematiqueLabel(code string) string {
	if cat, _, ok := strings.Cut(code, "--"); ok {
		return DIThematiqueCategories.Label(cat) + " › " + DIThematiques.Label(code)
	}
	return DIThematiqueCategories.Label(code)
}

var (
	reSiret      = regexp.MustCompile(`^[0-9]{14}$`)
	reCodeInsee  = regexp.MustCompile(`^(?:[0-9]{2}|2[AB])[0-9]{3}$`)
	reCodePostal = regexp.MustCompile(`^[0-9]{5}$`)
	// Zone codes: commune (5), département (2–3), EPCI (9 digits), or
	// "france" (the schema's patterns, restricted to real shapes).
	reZone = regexp.MustCompile(`^(?:(?:[0-9]{2}|2[AB])[0-9]{3}|[0-9]{2}|2[AB]|97[1-6]|[0-9]{9}|99[0-5][0-9]{2}|france)$`)
	reDIID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:\-]*$`)
)

// ValidSiret checks a SIRET: 14 digits with the Luhn key. La Poste's
// establishments (SIREN 356000000) follow another rule and are taken on
// their 14 digits.
func ValidSiret(s string) bool {
	if !reSiret.MatchString(s) {
		return false
	}
	if strings.HasPrefix(s, "356000000") {
		return true
	}
	sum := 0
	for i := range 14 {
		d := int(s[13-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// validURL accepts absolute http(s) URLs of at most DIURLMax bytes.
func validURL(s string) bool {
	if len(s) > DIURLMax || strings.ContainsAny(s, " \t\n\"<>") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// diText cleans an optional one-line or multi-line text of a directory
// entry.
func diText(fe *FieldErrors, field string, v *string, max int, multiline bool) {
	*v = optionalText(fe, field, *v, max, multiline)
}

func diURL(fe *FieldErrors, field string, v *string) {
	diText(fe, field, v, DIURLMax, false)
	if *v != "" && !validURL(*v) {
		fe.Add(field, "Indiquez une adresse web complète, commençant par https://.")
	}
}

func diEmail(fe *FieldErrors, field string, v *string) {
	*v = NormalizeEmail(*v)
	if *v != "" {
		if msg := ValidateEmail(*v); msg != "" {
			fe.Add(field, msg)
		}
	}
}

func diPhone(fe *FieldErrors, field string, v *string) {
	diText(fe, field, v, 40, false)
	if *v != "" {
		if msg := ValidatePhone(*v); msg != "" {
			fe.Add(field, msg)
		}
	}
}

func diName(fe *FieldErrors, v *string, what string) {
	*v = requiredText(fe, "nom", "le nom "+what, *v, DINameMax)
	if n := utf8.RuneCountInString(*v); *v != "" && n < DINameMin {
		fe.Add("nom", "Le nom "+what+" doit compter au moins 3 caractères.")
	}
}

func diKey(fe *FieldErrors, field string, v *string) {
	*v = strings.TrimSpace(*v)
	switch {
	case *v == "":
		fe.Add(field, "Indiquez l'identifiant ("+field+").")
	case len(*v) > DIIDMax || !reDIID.MatchString(*v):
		fe.Add(field, "L'identifiant ("+field+") ne peut contenir que des lettres sans accent, des chiffres et « - _ . : », 300 caractères au plus.")
	}
}

// diSet keeps the valid distinct codes of a list field, in list order;
// unknown codes are an error that names them.
func diSet(fe *FieldErrors, field string, cs Choices, v *[]string, what string) {
	if len(*v) > DIListMax {
		fe.Add(field, "La liste "+what+" compte trop d'éléments.")
		return
	}
	var unknown []string
	for _, c := range *v {
		if c = strings.TrimSpace(c); c != "" && !cs.Valid(c) {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) > 0 {
		if len(unknown) > 3 {
			unknown = append(unknown[:3], "…")
		}
		fe.Add(field, "Valeur inconnue dans la liste "+what+" : "+strings.Join(unknown, ", ")+".")
	}
	*v, _ = cs.CleanSet(*v)
}

func diAddress(fe *FieldErrors, adresse, complement, commune, cp, insee *string, lat, lon *float64) {
	diText(fe, "adresse", adresse, MaxShortTextLen, false)
	diText(fe, "complement_adresse", complement, MaxShortTextLen, false)
	diText(fe, "commune", commune, MaxNameLen, false)
	*cp = strings.TrimSpace(*cp)
	if *cp != "" && !reCodePostal.MatchString(*cp) {
		fe.Add("code_postal", "Le code postal compte 5 chiffres.")
	}
	*insee = strings.ToUpper(strings.TrimSpace(*insee))
	if *insee != "" && !reCodeInsee.MatchString(*insee) {
		fe.Add("code_insee", "Le code INSEE de la commune compte 5 caractères (chiffres, ou 2A/2B pour la Corse), par exemple 69123.")
	}
	if (lat == nil) != (lon == nil) {
		fe.Add("latitude", "Indiquez la latitude et la longitude ensemble, ou aucune des deux.")
	}
	if lat != nil && (math.IsNaN(*lat) || *lat < -90 || *lat > 90) {
		fe.Add("latitude", "La latitude est comprise entre -90 et 90.")
	}
	if lon != nil && (math.IsNaN(*lon) || *lon < -180 || *lon > 180) {
		fe.Add("longitude", "La longitude est comprise entre -180 et 180.")
	}
}

func diHours(fe *FieldErrors, v *string) {
	*v = strings.TrimSpace(*v)
	if _, err := ParseOpeningHours(*v); err != nil {
		fe.Add("horaires_accueil", FieldsOf(err)["horaires_accueil"])
	}
}

func diDate(fe *FieldErrors, d time.Time) {
	if d.IsZero() {
		fe.Add("date_maj", "Indiquez la date de dernière mise à jour (date_maj).")
	}
}

// Validate cleans the structure and checks it against the data·inclusion
// v1 schema and the French identifiers' formats. Field names are the
// schema's, so an import report and a form show the same names.
func (s *DirectoryStructure) Validate() error {
	var fe FieldErrors
	diKey(&fe, "source", &s.Source)
	diKey(&fe, "id", &s.DIID)
	diName(&fe, &s.Nom, "de la structure")
	s.Siret = strings.ReplaceAll(strings.TrimSpace(s.Siret), " ", "")
	if s.Siret != "" && !ValidSiret(s.Siret) {
		fe.Add("siret", "Le SIRET compte 14 chiffres et sa clé de contrôle doit être juste.")
	}
	diPhone(&fe, "telephone", &s.Telephone)
	diEmail(&fe, "courriel", &s.Courriel)
	diURL(&fe, "site_web", &s.SiteWeb)
	diURL(&fe, "lien_source", &s.LienSource)
	diURL(&fe, "accessibilite_lieu", &s.AccessibiliteLieu)
	diHours(&fe, &s.HorairesAccueil)
	diSet(&fe, "reseaux_porteurs", DIReseauxPorteurs, &s.ReseauxPorteurs, "des réseaux porteurs")
	diText(&fe, "description", &s.Description, DIDescriptionMax, true)
	if s.Description != "" && utf8.RuneCountInString(s.Description) < DIDescriptionMin {
		fe.Add("description", "La description doit compter au moins 5 caractères.")
	}
	diAddress(&fe, &s.Adresse, &s.ComplementAdresse, &s.Commune, &s.CodePostal, &s.CodeInsee, s.Latitude, s.Longitude)
	diDate(&fe, s.DateMaj)
	s.Temporary.validate(&fe)
	return fe.Err()
}

// Validate cleans the service and checks it against the data·inclusion v1
// schema.
func (s *DirectoryService) Validate() error {
	var fe FieldErrors
	diKey(&fe, "source", &s.Source)
	diKey(&fe, "id", &s.DIID)
	diKey(&fe, "structure_id", &s.DIStructureID)
	diName(&fe, &s.Nom, "du service")
	diText(&fe, "description", &s.Description, DIDescriptionMax, true)
	if s.Description == "" {
		fe.Add("description", "Décrivez le service.")
	} else if utf8.RuneCountInString(s.Description) < DIDescriptionMin {
		fe.Add("description", "La description doit compter au moins 5 caractères.")
	}
	if s.Type != "" && !DITypesService.Valid(s.Type) {
		fe.Add("type", "Type de service inconnu : "+truncate(s.Type, 40)+".")
	}
	if s.Frais != "" && !DIFrais.Valid(s.Frais) {
		fe.Add("frais", "Frais : choisissez « gratuit » ou « payant ».")
	}
	diSet(&fe, "thematiques", DIThematiques, &s.Thematiques, "des thématiques")
	diSet(&fe, "publics", DIPublics, &s.Publics, "des publics")
	diSet(&fe, "modes_accueil", DIModesAccueil, &s.ModesAccueil, "des modes d'accueil")
	diSet(&fe, "modes_mobilisation", DIModesMobilisation, &s.ModesMobilisation, "des modes de mobilisation")
	diSet(&fe, "mobilisable_par", DIMobilisablePar, &s.MobilisablePar, "« mobilisable par »")
	diText(&fe, "frais_precisions", &s.FraisPrecisions, MaxLongTextLen, true)
	diText(&fe, "publics_precisions", &s.PublicsPrecisions, MaxLongTextLen, true)
	diText(&fe, "conditions_acces", &s.ConditionsAcces, MaxLongTextLen, true)
	diText(&fe, "mobilisation_precisions", &s.MobilisationPrecisions, MaxLongTextLen, true)
	diText(&fe, "contact_nom_prenom", &s.ContactNomPrenom, MaxNameLen, false)
	diPhone(&fe, "telephone", &s.Telephone)
	diEmail(&fe, "courriel", &s.Courriel)
	diURL(&fe, "lien_mobilisation", &s.LienMobilisation)
	diURL(&fe, "lien_source", &s.LienSource)
	diHours(&fe, &s.HorairesAccueil)
	if len(s.ZoneEligibilite) > DIListMax {
		fe.Add("zone_eligibilite", "La zone d'éligibilité compte trop de codes.")
	}
	var zones []string
	for _, z := range s.ZoneEligibilite {
		z = strings.TrimSpace(z)
		if z == "" {
			continue
		}
		if !reZone.MatchString(z) {
			fe.Add("zone_eligibilite", "Code de zone d'éligibilité inconnu : "+truncate(z, 20)+" (code commune, département, EPCI ou « france »).")
		}
		zones = append(zones, z)
	}
	s.ZoneEligibilite = zones
	if s.NombreSemaines != nil && *s.NombreSemaines < 1 {
		fe.Add("nombre_semaines", "Le nombre de semaines est au moins 1.")
	}
	if v := s.VolumeHoraireHebdomadaire; v != nil && (math.IsNaN(*v) || *v < 0 || *v > 168) {
		fe.Add("volume_horaire_hebdomadaire", "Le volume horaire hebdomadaire est compris entre 0 et 168 heures.")
	}
	diAddress(&fe, &s.Adresse, &s.ComplementAdresse, &s.Commune, &s.CodePostal, &s.CodeInsee, s.Latitude, s.Longitude)
	diDate(&fe, s.DateMaj)
	return fe.Err()
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Temporary information kinds.
var TemporaryKinds = Choices{
	{"fermeture", "Fermeture temporaire"},
	{"horaires", "Horaires modifiés"},
	{"message", "Information"},
}

// TemporaryInfo is a notice valid for a period: a closure, changed hours
// or a message ("fermé pour travaux jusqu'au 3 mars").
type TemporaryInfo struct {
	Kind    string // a TemporaryKinds code; "" when none
	Message string
	Hours   string // opening_hours during the period (kind "horaires")
	From    time.Time
	Until   time.Time // Paris midnight, inclusive
}

// Active reports whether the notice applies at now.
func (ti TemporaryInfo) Active(now time.Time) bool {
	if ti.Kind == "" {
		return false
	}
	day, _ := ParseDay("", now)
	return !day.Before(ti.From) && !day.After(ti.Until)
}

func (ti *TemporaryInfo) validate(fe *FieldErrors) {
	if ti.Kind == "" {
		*ti = TemporaryInfo{}
		return
	}
	if !TemporaryKinds.Valid(ti.Kind) {
		fe.Add("temp_kind", "Choisissez le type d'information temporaire.")
	}
	diText(fe, "temp_message", &ti.Message, MaxShortTextLen*2, true)
	if ti.Message == "" {
		fe.Add("temp_message", "Écrivez le message à afficher.")
	}
	if ti.Kind == "horaires" {
		ti.Hours = strings.TrimSpace(ti.Hours)
		if ti.Hours == "" {
			fe.Add("temp_hours", "Indiquez les horaires de la période.")
		} else if _, err := ParseOpeningHours(ti.Hours); err != nil {
			fe.Add("temp_hours", FieldsOf(err)["horaires_accueil"])
		}
	} else {
		ti.Hours = ""
	}
	if ti.From.IsZero() || ti.Until.IsZero() {
		fe.Add("temp_from", "Indiquez les dates de début et de fin.")
	} else if ti.Until.Before(ti.From) {
		fe.Add("temp_until", "La date de fin doit suivre la date de début.")
	}
}

// TemporaryInput is the temporary information form.
type TemporaryInput struct {
	Kind, Message, Hours, From, Until string
}

// TemporaryFields are the form's fields.
var TemporaryFields = []string{"temp_kind", "temp_message", "temp_hours", "temp_from", "temp_until"}

// Validate checks the form; an empty kind clears the notice.
func (in TemporaryInput) Validate(now time.Time) (TemporaryInfo, error) {
	ti := TemporaryInfo{Kind: in.Kind, Message: in.Message, Hours: in.Hours}
	if in.Kind == "" {
		return TemporaryInfo{}, nil
	}
	var fe FieldErrors
	for _, d := range []struct {
		field, value string
		dst          *time.Time
	}{{"temp_from", in.From, &ti.From}, {"temp_until", in.Until, &ti.Until}} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		day, err := ParseDay(d.value, now)
		if err != nil {
			fe.Add(d.field, "Indiquez la date au format jj/mm/aaaa.")
			continue
		}
		*d.dst = day
	}
	ti.validate(&fe)
	return ti, fe.Err()
}

// Freshness statuses of a directory entry.
const (
	FreshUpToDate = "a_jour"
	FreshToCheck  = "a_verifier"
	FreshObsolete = "obsolete"
)

// FreshnessStatuses label the statuses.
var FreshnessStatuses = Choices{
	{FreshUpToDate, "À jour"}, {FreshToCheck, "À vérifier"}, {FreshObsolete, "Obsolète"},
}

// DirectorySettings are a structure's freshness thresholds, in months.
type DirectorySettings struct {
	ToCheckMonths  int
	ObsoleteMonths int
}

// DefaultDirectorySettings: à vérifier after 6 months, obsolète after 12.
var DefaultDirectorySettings = DirectorySettings{ToCheckMonths: 6, ObsoleteMonths: 12}

// Validate checks the thresholds: 1 to 60 months, obsolete after to-check.
func (ds DirectorySettings) Validate() error {
	var fe FieldErrors
	if ds.ToCheckMonths < 1 || ds.ToCheckMonths > 60 {
		fe.Add("to_check_months", "Le délai « à vérifier » est compris entre 1 et 60 mois.")
	}
	if ds.ObsoleteMonths <= ds.ToCheckMonths || ds.ObsoleteMonths > 120 {
		fe.Add("obsolete_months", "Le délai « obsolète » dépasse le délai « à vérifier », dans la limite de 120 mois.")
	}
	return fe.Err()
}

// FreshSince is the reference date of freshness: the later of the last
// verification and the producer's date_maj.
func FreshSince(v Verification, dateMaj time.Time) time.Time {
	if v.VerifiedAt.After(dateMaj) {
		return v.VerifiedAt
	}
	return dateMaj
}

// Freshness gives the status of an entry checked (or updated) at since.
func (ds DirectorySettings) Freshness(since, now time.Time) string {
	switch {
	case since.IsZero() || !since.After(now.AddDate(0, -ds.ObsoleteMonths, 0)):
		return FreshObsolete
	case !since.After(now.AddDate(0, -ds.ToCheckMonths, 0)):
		return FreshToCheck
	}
	return FreshUpToDate
}

// Bounds gives the limits of a status for a search: entries fresh since
// after `after` and at or before `upTo` (zero: unbounded).
func (ds DirectorySettings) Bounds(status string, now time.Time) (after, upTo time.Time) {
	check, obsolete := now.AddDate(0, -ds.ToCheckMonths, 0), now.AddDate(0, -ds.ObsoleteMonths, 0)
	switch status {
	case FreshUpToDate:
		return check, time.Time{}
	case FreshToCheck:
		return obsolete, check
	case FreshObsolete:
		return time.Time{}, obsolete
	}
	return time.Time{}, time.Time{}
}

// DirectoryContactID identifies an internal contact.
type DirectoryContactID int64

// DirectoryContact is a named professional of a partner, for the
// structure's own use: never exported.
type DirectoryContact struct {
	ID          DirectoryContactID
	StructureID DirectoryStructureID
	Name        string
	Role        string
	Phone       string
	Email       string
	CreatedAt   time.Time
}

// DirectoryContactFields are the contact form's fields.
var DirectoryContactFields = []string{"name", "role", "phone", "email"}

// Validate cleans a contact.
func (c *DirectoryContact) Validate() error {
	var fe FieldErrors
	c.Name = requiredText(&fe, "name", "le nom du contact", c.Name, MaxNameLen)
	c.Role = optionalText(&fe, "role", c.Role, MaxShortTextLen, false)
	diPhone(&fe, "phone", &c.Phone)
	diEmail(&fe, "email", &c.Email)
	if c.Phone == "" && c.Email == "" && fe["phone"] == "" && fe["email"] == "" {
		fe.Add("phone", "Indiquez un téléphone ou une adresse e-mail.")
	}
	return fe.Err()
}

// DirectoryRelationID identifies a relation entry.
type DirectoryRelationID int64

// Relation kinds with a partner.
const (
	RelationMeeting   = "rencontre"
	RelationEvent     = "evenement"
	RelationAgreement = "convention"
)

// RelationKinds label the kinds.
var RelationKinds = Choices{
	{RelationMeeting, "Rencontre"}, {RelationEvent, "Événement partenarial"}, {RelationAgreement, "Convention"},
}

// DirectoryRelation is a meeting, a partner event or an agreement with a
// directory structure. Internal: never exported.
type DirectoryRelation struct {
	ID           DirectoryRelationID
	StructureID  DirectoryStructureID
	Kind         string
	Title        string    // object of the meeting or agreement
	Date         time.Time // meeting day, or agreement start
	EndDate      time.Time // agreement end; zero otherwise
	Participants string    // by organisation, one per line
	Decisions    string
	FollowUps    string
	Documents    string // references of the agreement's documents
	CreatedBy    UserID
	CreatedAt    time.Time
}

// DirectoryRelationInput is the relation form.
type DirectoryRelationInput struct {
	Kind, Title, Date, EndDate, Participants, Decisions, FollowUps, Documents string
}

// DirectoryRelationFields are the relation form's fields.
var DirectoryRelationFields = []string{"kind", "title", "date", "end_date", "participants", "decisions", "follow_ups", "documents"}

// Validate checks the input and returns the relation it describes.
func (in *DirectoryRelationInput) Validate(now time.Time) (DirectoryRelation, error) {
	var fe FieldErrors
	r := DirectoryRelation{Kind: in.Kind}
	if !RelationKinds.Valid(in.Kind) {
		fe.Add("kind", "Choisissez le type : rencontre, événement ou convention.")
	}
	r.Title = requiredText(&fe, "title", "l'objet", in.Title, MaxShortTextLen)
	if d, err := ParseDay(in.Date, now); strings.TrimSpace(in.Date) == "" || err != nil {
		fe.Add("date", "Indiquez la date au format jj/mm/aaaa.")
	} else {
		r.Date = d
	}
	if strings.TrimSpace(in.EndDate) != "" {
		d, err := ParseDay(in.EndDate, now)
		switch {
		case err != nil:
			fe.Add("end_date", "Indiquez la date de fin au format jj/mm/aaaa.")
		case in.Kind != RelationAgreement:
			fe.Add("end_date", "Seule une convention a une date de fin.")
		case !r.Date.IsZero() && d.Before(r.Date):
			fe.Add("end_date", "La date de fin doit suivre la date de début.")
		default:
			r.EndDate = d
		}
	}
	r.Participants = optionalText(&fe, "participants", in.Participants, MaxLongTextLen, true)
	r.Decisions = optionalText(&fe, "decisions", in.Decisions, MaxLongTextLen, true)
	r.FollowUps = optionalText(&fe, "follow_ups", in.FollowUps, MaxLongTextLen, true)
	r.Documents = optionalText(&fe, "documents", in.Documents, MaxLongTextLen, true)
	return r, fe.Err()
}

// DirectoryProposalID identifies a proposed update.
type DirectoryProposalID int64

// DirectoryProposal is a change a mediator proposes to an entry; a
// coordinator applies it (or not) and closes it.
type DirectoryProposal struct {
	ID             DirectoryProposalID
	StructureID    DirectoryStructureID
	StructureName  string
	Text           string
	ProposedBy     UserID
	ProposedByName string
	CreatedAt      time.Time
	ClosedAt       time.Time
	Accepted       bool
}

// DirectoryFilter selects services of the directory.
type DirectoryFilter struct {
	Query       string // words of the name, description, thématiques or structure
	Thematique  string // a category or a sub-thématique
	Public      string
	CodeInsee   string // commune of the service
	ModeAccueil string
	Frais       string
	Freshness   string
	// Origin of the distance sort: a point, or a commune of the
	// directory (the mean position of its entries).
	Lat, Lon  *float64
	NearInsee string
	Offset    int
	Limit     int
}

// Validate checks the filter's codes; unknown ones are ErrInvalid.
func (f *DirectoryFilter) Validate() error {
	var fe FieldErrors
	if f.Thematique != "" && !DIThematiques.Valid(f.Thematique) && !DIThematiqueCategories.Valid(f.Thematique) {
		fe.Add("thematique", "Thématique inconnue.")
	}
	if f.Public != "" && !DIPublics.Valid(f.Public) {
		fe.Add("public", "Public inconnu.")
	}
	if f.ModeAccueil != "" && !DIModesAccueil.Valid(f.ModeAccueil) {
		fe.Add("mode_accueil", "Mode d'accueil inconnu.")
	}
	if f.Frais != "" && !DIFrais.Valid(f.Frais) {
		fe.Add("frais", "Frais : gratuit ou payant.")
	}
	if f.Freshness != "" && !FreshnessStatuses.Valid(f.Freshness) {
		fe.Add("freshness", "Fraîcheur inconnue.")
	}
	f.CodeInsee = strings.ToUpper(strings.TrimSpace(f.CodeInsee))
	if f.CodeInsee != "" && !reCodeInsee.MatchString(f.CodeInsee) {
		fe.Add("commune", "Commune inconnue.")
	}
	f.NearInsee = strings.ToUpper(strings.TrimSpace(f.NearInsee))
	if f.NearInsee != "" && !reCodeInsee.MatchString(f.NearInsee) {
		fe.Add("near", "Commune inconnue.")
	}
	if (f.Lat == nil) != (f.Lon == nil) || (f.Lat != nil && (*f.Lat < -90 || *f.Lat > 90 || *f.Lon < -180 || *f.Lon > 180)) {
		fe.Add("near", "Point de départ invalide.")
	}
	if len(f.Query) > MaxShortTextLen {
		fe.Add("q", tooLong(MaxShortTextLen, utf8.RuneCountInString(f.Query)))
	}
	return fe.Err()
}

// DistanceKm is the great-circle (haversine) distance between two points.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// FormatDistance writes 0.42 as "420 m" and 12.3 as "12,3 km".
func FormatDistance(km float64) string {
	switch {
	case km < 0:
		return ""
	case km < 1:
		return strconv.Itoa(int(math.Round(km*100))*10) + " m"
	case km < 10:
		return strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1) + " km"
	}
	return strconv.Itoa(int(math.Round(km))) + " km"
}

// DirectoryImportReport says what an import did.
type DirectoryImportReport struct {
	StructuresCreated, StructuresUpdated int
	ServicesCreated, ServicesUpdated     int
	Rejected                             []RejectedRow
}

// RejectedRow is a row an import refused, with its line and the reasons.
type RejectedRow struct {
	Line   int    // 1-based line of the file where the row starts
	Kind   string // "structure" or "service"
	ID     string // the row's id when readable
	Reason string // French
}

// DirectoryDataset is a parsed file: structures and services in the v1
// model, with the line each came from, and the rows already refused.
type DirectoryDataset struct {
	Structures     []DirectoryStructure
	StructureLines []int
	Services       []DirectoryService
	ServiceLines   []int
	Rejected       []RejectedRow
}

// DirectoryManager manages the partner directory of the actor's
// structure. Every member reads it; coordinators and administrators
// change it; mediators propose changes. Another structure's entries answer
// ErrNotFound.
type DirectoryManager interface {
	// SearchDirectory finds services; with an origin, sorted by distance.
	SearchDirectory(ctx context.Context, actor Actor, f DirectoryFilter) ([]DirectoryService, int, error)
	// FindDirectoryStructures lists structures by name (query optional),
	// with the total.
	FindDirectoryStructures(ctx context.Context, actor Actor, query string, offset, limit int) ([]DirectoryStructure, int, error)
	// FindDirectoryStructure reads one structure with its services.
	FindDirectoryStructure(ctx context.Context, actor Actor, id DirectoryStructureID) (*DirectoryStructure, error)
	FindDirectoryService(ctx context.Context, actor Actor, id DirectoryServiceID) (*DirectoryService, error)
	// SaveDirectoryStructure creates (ID zero) or updates a structure
	// typed in Maillon; coordinators and administrators.
	SaveDirectoryStructure(ctx context.Context, actor Actor, s DirectoryStructure) (DirectoryStructureID, error)
	SaveDirectoryService(ctx context.Context, actor Actor, s DirectoryService) (DirectoryServiceID, error)
	// VerifyDirectoryStructure records that the actor checked the entry
	// and its services today.
	VerifyDirectoryStructure(ctx context.Context, actor Actor, id DirectoryStructureID) error
	// FindDirectoryReviewQueue lists the structures to check or
	// obsolete, oldest first.
	FindDirectoryReviewQueue(ctx context.Context, actor Actor, limit int) ([]DirectoryStructure, error)
	DirectorySettings(ctx context.Context, actor Actor) (DirectorySettings, error)
	SetDirectorySettings(ctx context.Context, actor Actor, ds DirectorySettings) error

	// SetDirectoryTemporary sets (or, with a zero Kind, clears) the
	// temporary information of a structure.
	SetDirectoryTemporary(ctx context.Context, actor Actor, id DirectoryStructureID, in TemporaryInput) error

	FindDirectoryContacts(ctx context.Context, actor Actor, id DirectoryStructureID) ([]DirectoryContact, error)
	AddDirectoryContact(ctx context.Context, actor Actor, c DirectoryContact) error
	DeleteDirectoryContact(ctx context.Context, actor Actor, id DirectoryContactID) error
	FindDirectoryRelations(ctx context.Context, actor Actor, id DirectoryStructureID) ([]DirectoryRelation, error)
	AddDirectoryRelation(ctx context.Context, actor Actor, id DirectoryStructureID, in DirectoryRelationInput) error

	// ProposeDirectoryUpdate records a mediator's proposed change.
	ProposeDirectoryUpdate(ctx context.Context, actor Actor, id DirectoryStructureID, text string) error
	FindDirectoryProposals(ctx context.Context, actor Actor) ([]DirectoryProposal, error)
	// CloseDirectoryProposal marks a proposal applied or dismissed;
	// coordinators and administrators.
	CloseDirectoryProposal(ctx context.Context, actor Actor, id DirectoryProposalID, accepted bool) error

	// ImportDirectory upserts a parsed dataset by (source, id): fields
	// of the v1 model are replaced, local additions (contacts,
	// relations, verification, temporary information) kept. Rows whose
	// structure is unknown are rejected; the rest is written in one
	// transaction. progress, when not nil, is called as rows are
	// written. Coordinators, administrators and the operator (with
	// owner set).
	ImportDirectory(ctx context.Context, actor Actor, owner StructureID, ds *DirectoryDataset, progress func(done, total int)) (DirectoryImportReport, error)
	// ExportDirectory reads every structure and service in the v1 model
	// (no contacts, no relations).
	ExportDirectory(ctx context.Context, actor Actor, owner StructureID) ([]DirectoryStructure, []DirectoryService, error)

	// FindDirectoryStructuresIn lists the structures located in the
	// commune of INSEE code insee (for the territory pages), by name,
	// with the total.
	FindDirectoryStructuresIn(ctx context.Context, actor Actor, insee string, limit int) ([]DirectoryStructure, int, error)
}

// Audit actions of the directory, registered here so the module stays in
// its own files.
const (
	AuditDirectoryImport        AuditAction = "annuaire.import"
	AuditDirectoryStructureSave AuditAction = "annuaire.structure_save"
	AuditDirectoryServiceSave   AuditAction = "annuaire.service_save"
	AuditDirectoryVerify        AuditAction = "annuaire.verify"
	AuditDirectoryContact       AuditAction = "annuaire.contact"
	AuditDirectoryRelation      AuditAction = "annuaire.relation"
	AuditDirectoryProposal      AuditAction = "annuaire.proposal"
	AuditDirectoryProposalClose AuditAction = "annuaire.proposal_close"
	AuditDirectorySettings      AuditAction = "annuaire.settings"
)

func init() {
	for _, a := range []struct {
		action AuditAction
		label  string
	}{
		{AuditDirectoryImport, "Annuaire : import de données"},
		{AuditDirectoryStructureSave, "Annuaire : structure enregistrée"},
		{AuditDirectoryServiceSave, "Annuaire : service enregistré"},
		{AuditDirectoryVerify, "Annuaire : fiche vérifiée"},
		{AuditDirectoryContact, "Annuaire : contact ajouté ou retiré"},
		{AuditDirectoryRelation, "Annuaire : relation partenariale enregistrée"},
		{AuditDirectoryProposal, "Annuaire : modification proposée"},
		{AuditDirectoryProposalClose, "Annuaire : proposition traitée"},
		{AuditDirectorySettings, "Annuaire : seuils de fraîcheur modifiés"},
	} {
		auditLabels[a.action] = a.label
		auditActionOrder = append(auditActionOrder, a.action)
	}
}
