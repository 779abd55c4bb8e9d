package maillon

import "strconv"

// ProcedureID identifies an accompanied procedure (démarche).
type ProcedureID int64

// ProcedureTypeID identifies an entry of a structure's procedure
// catalogue.
type ProcedureTypeID int64

// Vocabularies of accompanied procedures.
var (
	Organismes = Choices{
		{"caf", "CAF"}, {"cpam", "CPAM / ameli"}, {"france_travail", "France Travail"}, {"impots", "impots.gouv"},
		{"ants", "ANTS"}, {"prefecture", "Préfecture / ANEF"}, {"msa", "MSA"}, {"retraite", "Caisse de retraite"},
		{"bailleur", "Bailleur"}, {"energie", "Fournisseur d'énergie"}, {"ecole", "Établissement scolaire"},
		{"mairie", "Mairie / CCAS"}, {"autre", "Autre organisme"},
	}
	Channels = Choices{{"en_ligne", "En ligne"}, {"guichet", "Au guichet"}, {"telephone", "Par téléphone"}, {"courrier", "Par courrier"}}
	// ProcedureModes say who did the procedure: the job is to do with
	// the person ("faire avec"), acting for them only under a mandate.
	ProcedureModes = Choices{
		{"seule_guidee", "La personne seule, guidée"},
		{"faire_avec", "Faire avec la personne"},
		{"faire_pour", "Faire pour la personne"},
	}
	Obstacles = Choices{
		{"equipement", "Pas d'équipement"}, {"connexion", "Pas de connexion"}, {"competences", "Compétences numériques"},
		{"email", "Pas d'adresse e-mail"}, {"identification", "Identification / FranceConnect"},
		{"site", "Site indisponible ou en panne"}, {"formulaire", "Formulaire difficile à comprendre"},
		{"numerisation", "Document à numériser"}, {"langue", "Langue"}, {"accessibilite", "Accessibilité du site"},
		{"delai", "Délai de l'institution"}, {"contact", "Aucun interlocuteur joignable"}, {"autre", "Autre obstacle"},
	}
	ProcedureOutcomes = Choices{
		{"realisee", "Réalisée"}, {"attente", "En attente auprès de l'institution"}, {"bloquee", "Bloquée"},
		{"abandonnee", "Abandonnée"},
	}
)

// ProcedureType is an entry of the procedure catalogue of a structure,
// grouped by organisme and editable by its administrators.
type ProcedureType struct {
	ID          ProcedureTypeID
	StructureID StructureID
	Organisme   string
	Label       string
	Active      bool
}

// DefaultProcedureTypes seed the catalogue of a new structure: frequent
// procedures per organisme.
var DefaultProcedureTypes = map[string][]string{
	"caf":            {"Demande de RSA", "Prime d'activité", "Aide au logement", "Déclaration trimestrielle", "Création du compte en ligne"},
	"cpam":           {"Complémentaire santé solidaire", "Carte Vitale", "Création du compte ameli", "Déclaration de médecin traitant"},
	"france_travail": {"Inscription", "Actualisation mensuelle", "Mise à jour du profil"},
	"impots":         {"Déclaration de revenus", "Avis d'imposition", "Création de l'espace particulier"},
	"ants":           {"Carte d'identité ou passeport (pré-demande)", "Permis de conduire", "Certificat d'immatriculation"},
	"prefecture":     {"Titre de séjour (ANEF)", "Renouvellement de titre de séjour", "Naturalisation"},
	"msa":            {"Prestations familiales MSA"},
	"retraite":       {"Demande de retraite", "Relevé de carrière"},
	"bailleur":       {"Demande de logement social", "Plan d'apurement", "Demande de mutation"},
	"energie":        {"Chèque énergie", "Échéancier de paiement"},
	"ecole":          {"Inscription scolaire", "Cantine et périscolaire", "Bourse"},
	"mairie":         {"Aide du CCAS", "Domiciliation", "Inscription sur les listes électorales"},
}

// Procedure is a procedure accompanied during an intervention.
type Procedure struct {
	ID             ProcedureID
	InterventionID InterventionID
	PersonID       PersonID
	Organisme      string
	TypeID         ProcedureTypeID
	TypeLabel      string // the catalogue label, filled by queries
	Label          string // free text, alone or completing the type
	Channel        string
	Mode           string
	// Mandate tells whether an Aidants Connect mandate covered a
	// procedure done for the person. Only this yes/no is kept: login
	// credentials are never stored.
	Mandate       bool
	Obstacles     []string
	Outcome       string
	AutonomyLevel int // 0 when not observed

	// Directory is the directory structure the procedure was done with
	// (a local office of the organisme, a partner), filled when one
	// intervention is read.
	Directory DirectoryRef
}

// Title names the procedure for lists.
func (p Procedure) Title() string {
	t := Organismes.Label(p.Organisme)
	switch {
	case p.TypeLabel != "" && p.Label != "":
		return t + " – " + p.TypeLabel + " (" + p.Label + ")"
	case p.TypeLabel != "":
		return t + " – " + p.TypeLabel
	case p.Label != "":
		return t + " – " + p.Label
	}
	return t
}

// ProcedureInput is a procedure as a form sends it.
type ProcedureInput struct {
	PersonID      PersonID
	Organisme     string
	TypeID        ProcedureTypeID
	Label         string
	Channel       string
	Mode          string
	Mandate       bool
	Obstacles     []string
	Outcome       string
	AutonomyLevel string

	// DirectoryStructureID is the directory structure the procedure was
	// done with, if any; one not in the actor's directory is dropped.
	DirectoryStructureID DirectoryStructureID
}

// ProcedureField names the form field of the i-th procedure.
func ProcedureField(i int, name string) string { return "proc" + strconv.Itoa(i) + "_" + name }

func (in *ProcedureInput) validate(fe *FieldErrors, i int) {
	f := func(name string) string { return ProcedureField(i, name) }
	if !Organismes.Valid(in.Organisme) {
		fe.Add(f("organisme"), "Choisissez l'organisme de la démarche.")
	}
	in.Label = optionalText(fe, f("label"), in.Label, MaxShortTextLen, false)
	if in.TypeID == 0 && in.Label == "" && (*fe)[f("label")] == "" {
		fe.Add(f("label"), "Choisissez la démarche dans la liste ou décrivez-la.")
	}
	if in.TypeID < 0 {
		fe.Add(f("type_id"), "Choisissez une démarche du catalogue.")
	}
	if !Channels.Valid(in.Channel) {
		fe.Add(f("channel"), "Choisissez le canal de la démarche.")
	}
	if !ProcedureModes.Valid(in.Mode) {
		fe.Add(f("mode"), "Indiquez qui a réalisé la démarche.")
	}
	if in.Mandate && in.Mode != "faire_pour" {
		in.Mandate = false
	}
	obs, unknown := Obstacles.CleanSet(in.Obstacles)
	if unknown {
		fe.Add(f("obstacles"), "Choisissez les obstacles dans la liste.")
	}
	in.Obstacles = obs
	if in.Outcome == "" {
		in.Outcome = "attente"
	}
	if !ProcedureOutcomes.Valid(in.Outcome) {
		fe.Add(f("outcome"), "Choisissez l'issue de la démarche.")
	}
	if in.AutonomyLevel != "" && !AutonomyLevels.Valid(in.AutonomyLevel) {
		fe.Add(f("autonomy_level"), "Choisissez le niveau d'autonomie observé.")
	}
}
