package maillon

import (
	"time"
)

// AuditAction names what an audit entry records.
type AuditAction string

// Audit actions. The list grows with the modules; every action has a French
// label so the audit page can be read by a structure's administrator.
const (
	AuditLoginSuccess      AuditAction = "login.success"
	AuditLoginFailure      AuditAction = "login.failure"
	AuditLoginThrottled    AuditAction = "login.throttled"
	AuditLogout            AuditAction = "logout"
	AuditLogoutEverywhere  AuditAction = "logout.everywhere"
	AuditPasswordChange    AuditAction = "password.change"
	AuditSetup             AuditAction = "instance.setup"
	AuditStructureCreate   AuditAction = "structure.create"
	AuditStructureUpdate   AuditAction = "structure.update"
	AuditTerritoryChange   AuditAction = "territory.change"
	AuditTeamCreate        AuditAction = "team.create"
	AuditTeamUpdate        AuditAction = "team.update"
	AuditTeamDelete        AuditAction = "team.delete"
	AuditUserCreate        AuditAction = "user.create"
	AuditUserUpdate        AuditAction = "user.update"
	AuditUserDeactivate    AuditAction = "user.deactivate"
	AuditUserReactivate    AuditAction = "user.reactivate"
	AuditUserPasswordReset AuditAction = "user.password_reset"
	AuditAuditPurge        AuditAction = "audit.purge"

	AuditPersonRead          AuditAction = "person.read"
	AuditPersonSearch        AuditAction = "person.search"
	AuditPersonPrint         AuditAction = "person.print"
	AuditPersonCreate        AuditAction = "person.create"
	AuditPersonUpdate        AuditAction = "person.update"
	AuditPersonArchive       AuditAction = "person.archive"
	AuditPersonRestore       AuditAction = "person.restore"
	AuditPersonMerge         AuditAction = "person.merge"
	AuditConsentAdd          AuditAction = "consent.add"
	AuditConsentWithdraw     AuditAction = "consent.withdraw"
	AuditAutonomyAdd         AuditAction = "autonomy.add"
	AuditNoteAdd             AuditAction = "note.add"
	AuditInterventionCreate  AuditAction = "intervention.create"
	AuditInterventionUpdate  AuditAction = "intervention.update"
	AuditInterventionRead    AuditAction = "intervention.read"
	AuditFollowUpChange      AuditAction = "followup.change"
	AuditProcedureTypeChange AuditAction = "procedure_type.change"
	AuditJournalComment      AuditAction = "journal.comment"

	AuditOrientationCreate  AuditAction = "orientation.create"
	AuditOrientationRead    AuditAction = "orientation.read"
	AuditOrientationStatus  AuditAction = "orientation.status"
	AuditPartnerLinkCreate  AuditAction = "orientation.link_create"
	AuditPartnerLinkRevoke  AuditAction = "orientation.link_revoke"
	AuditPartnerLinkView    AuditAction = "orientation.link_view"
	AuditPartnerLinkAnswer  AuditAction = "orientation.link_answer"
	AuditPartnerLinkRefused AuditAction = "orientation.link_refused"
	AuditTourneeCreate      AuditAction = "tournee.create"
	AuditTourneeObservation AuditAction = "tournee.observation"
	AuditTourneeEnd         AuditAction = "tournee.end"
	AuditCheckInStart       AuditAction = "checkin.start"
	AuditCheckInExtend      AuditAction = "checkin.extend"
	AuditCheckOut           AuditAction = "checkin.checkout"
	AuditCheckInAcknowledge AuditAction = "checkin.acknowledge"

	AuditAgendaCreate        AuditAction = "agenda.create"
	AuditAgendaRead          AuditAction = "agenda.read"
	AuditAgendaPrint         AuditAction = "agenda.print"
	AuditAgendaAttendance    AuditAction = "agenda.attendance"
	AuditAgendaCancel        AuditAction = "agenda.cancel_occurrence"
	AuditAgendaFeedCreate    AuditAction = "agenda.feed_create"
	AuditAgendaFeedRevoke    AuditAction = "agenda.feed_revoke"
	AuditAgendaUpdate        AuditAction = "agenda.update"
	AuditAgendaDelete        AuditAction = "agenda.delete"
	AuditMediationCreate     AuditAction = "mediation.create"
	AuditMediationRead       AuditAction = "mediation.read"
	AuditMediationPrint      AuditAction = "mediation.print"
	AuditMediationStatus     AuditAction = "mediation.status"
	AuditMediationParty      AuditAction = "mediation.party"
	AuditMediationConsent    AuditAction = "mediation.consent"
	AuditMediationStep       AuditAction = "mediation.step"
	AuditMediationCommitment AuditAction = "mediation.commitment"
	AuditMediationFollowUp   AuditAction = "mediation.followup"

	AuditVeilleObservationCreate AuditAction = "veille.observation_create"
	AuditVeilleObservationUpdate AuditAction = "veille.observation_update"
	AuditVeilleRiskCreate        AuditAction = "veille.risk_create"
	AuditVeilleRiskStatus        AuditAction = "veille.risk_status"
	AuditVeilleTechCreate        AuditAction = "veille.tech_create"
	AuditVeilleTechStatus        AuditAction = "veille.tech_status"
	AuditVeilleRemonteeCreate    AuditAction = "veille.remontee_create"

	AuditImport AuditAction = "import"

	// The journal of practice: a note's entries carry no record ID and no
	// field, only who acted.
	AuditPracticeNoteCreate    AuditAction = "practice_note.create"
	AuditPracticeNoteUpdate    AuditAction = "practice_note.update"
	AuditPracticeNoteDelete    AuditAction = "practice_note.delete"
	AuditPracticeSessionCreate AuditAction = "practice_session.create"
	AuditPracticeSessionUpdate AuditAction = "practice_session.update"
)

var auditLabels = map[AuditAction]string{
	AuditLoginSuccess:      "Connexion réussie",
	AuditLoginFailure:      "Échec de connexion",
	AuditLoginThrottled:    "Connexion bloquée (trop de tentatives)",
	AuditLogout:            "Déconnexion",
	AuditLogoutEverywhere:  "Déconnexion de tous les appareils",
	AuditPasswordChange:    "Changement de mot de passe",
	AuditSetup:             "Installation initiale",
	AuditStructureCreate:   "Création de la structure",
	AuditStructureUpdate:   "Modification de la structure",
	AuditTerritoryChange:   "Modification du territoire",
	AuditTeamCreate:        "Création d'une équipe",
	AuditTeamUpdate:        "Modification d'une équipe",
	AuditTeamDelete:        "Suppression d'une équipe",
	AuditUserCreate:        "Création d'un compte",
	AuditUserUpdate:        "Modification d'un compte",
	AuditUserDeactivate:    "Désactivation d'un compte",
	AuditUserReactivate:    "Réactivation d'un compte",
	AuditUserPasswordReset: "Réinitialisation d'un mot de passe",
	AuditAuditPurge:        "Purge du journal (durée de conservation)",

	AuditPersonRead:          "Consultation d'un dossier",
	AuditPersonSearch:        "Recherche de personnes",
	AuditPersonPrint:         "Impression d'une synthèse pour la personne",
	AuditPersonCreate:        "Création d'un dossier",
	AuditPersonUpdate:        "Modification d'un dossier",
	AuditPersonArchive:       "Archivage d'un dossier",
	AuditPersonRestore:       "Réouverture d'un dossier",
	AuditPersonMerge:         "Fusion de deux dossiers",
	AuditConsentAdd:          "Enregistrement d'un consentement",
	AuditConsentWithdraw:     "Retrait d'un consentement",
	AuditAutonomyAdd:         "Profil d'autonomie numérique",
	AuditNoteAdd:             "Ajout d'une note",
	AuditInterventionCreate:  "Saisie d'une intervention",
	AuditInterventionUpdate:  "Modification d'une intervention",
	AuditInterventionRead:    "Consultation d'une intervention",
	AuditFollowUpChange:      "Relance traitée ou rouverte",
	AuditProcedureTypeChange: "Modification du catalogue des démarches",
	AuditJournalComment:      "Commentaire de main courante",

	AuditOrientationCreate:  "Saisie d'une orientation",
	AuditOrientationRead:    "Consultation d'une orientation",
	AuditOrientationStatus:  "Changement de statut d'une orientation",
	AuditPartnerLinkCreate:  "Création d'un lien de réponse partenaire",
	AuditPartnerLinkRevoke:  "Retrait d'un lien de réponse partenaire",
	AuditPartnerLinkView:    "Consultation d'une orientation par le partenaire (lien)",
	AuditPartnerLinkAnswer:  "Réponse du partenaire par le lien",
	AuditPartnerLinkRefused: "Lien partenaire expiré, retiré ou déjà utilisé",
	AuditTourneeCreate:      "Début d'une tournée",
	AuditTourneeObservation: "Observation ou incident de tournée",
	AuditTourneeEnd:         "Fin d'une tournée",
	AuditCheckInStart:       "Départ seul ou seule (heure de retour prévue)",
	AuditCheckInExtend:      "Départ seul ou seule prolongé",
	AuditCheckOut:           "Retour signalé (départ seul ou seule)",
	AuditCheckInAcknowledge: "Collègue joint(e) par la coordination, tout va bien",

	AuditAgendaCreate:        "Ajout d'un événement à l'agenda",
	AuditAgendaRead:          "Consultation d'un rendez-vous",
	AuditAgendaPrint:         "Impression d'une carte de rendez-vous",
	AuditAgendaAttendance:    "Présence à un rendez-vous indiquée",
	AuditAgendaCancel:        "Annulation d'une séance de permanence",
	AuditAgendaFeedCreate:    "Création du lien d'abonnement à l'agenda (iCal)",
	AuditAgendaFeedRevoke:    "Retrait du lien d'abonnement à l'agenda (iCal)",
	AuditAgendaUpdate:        "Modification d'un événement de l'agenda",
	AuditAgendaDelete:        "Suppression d'un événement de l'agenda",
	AuditMediationCreate:     "Ouverture d'une médiation",
	AuditMediationRead:       "Consultation d'une médiation",
	AuditMediationPrint:      "Impression de l'accord d'une médiation",
	AuditMediationStatus:     "Changement de statut d'une médiation",
	AuditMediationParty:      "Ajout d'une partie à une médiation",
	AuditMediationConsent:    "Accord d'une partie pour participer, donné ou retiré",
	AuditMediationStep:       "Étape de médiation",
	AuditMediationCommitment: "Engagement d'une partie (accord de médiation)",
	AuditMediationFollowUp:   "Suivi d'un accord de médiation",

	AuditVeilleObservationCreate: "Saisie d'une observation de veille sociale",
	AuditVeilleObservationUpdate: "Modification d'une observation de veille sociale",
	AuditVeilleRiskCreate:        "Signalement d'un risque en ligne",
	AuditVeilleRiskStatus:        "Suivi d'un signalement de risque en ligne",
	AuditVeilleTechCreate:        "Signalement technique à un partenaire",
	AuditVeilleTechStatus:        "Changement de statut d'un signalement technique",
	AuditVeilleRemonteeCreate:    "Rapport de remontées aux institutions",

	AuditImport: "Import de données en masse",

	AuditPracticeNoteCreate:    "Note de pratique écrite",
	AuditPracticeNoteUpdate:    "Note de pratique modifiée",
	AuditPracticeNoteDelete:    "Note de pratique supprimée",
	AuditPracticeSessionCreate: "Séance d'analyse de la pratique enregistrée",
	AuditPracticeSessionUpdate: "Séance d'analyse de la pratique modifiée",
}

// AuditActions lists every action, in the order filters show them.
func AuditActions() []AuditAction {
	return append([]AuditAction(nil), auditActionOrder...)
}

var auditActionOrder = []AuditAction{
	AuditLoginSuccess, AuditLoginFailure, AuditLoginThrottled, AuditLogout, AuditLogoutEverywhere,
	AuditPasswordChange, AuditSetup, AuditStructureCreate, AuditStructureUpdate, AuditTerritoryChange,
	AuditTeamCreate, AuditTeamUpdate, AuditTeamDelete, AuditUserCreate, AuditUserUpdate,
	AuditUserDeactivate, AuditUserReactivate, AuditUserPasswordReset, AuditAuditPurge,
	AuditPersonRead, AuditPersonSearch, AuditPersonPrint, AuditPersonCreate, AuditPersonUpdate, AuditPersonArchive,
	AuditPersonRestore, AuditPersonMerge, AuditConsentAdd, AuditConsentWithdraw, AuditAutonomyAdd, AuditNoteAdd,
	AuditInterventionCreate, AuditInterventionUpdate, AuditInterventionRead, AuditFollowUpChange, AuditProcedureTypeChange,
	AuditJournalComment,
	AuditOrientationCreate, AuditOrientationRead, AuditOrientationStatus, AuditPartnerLinkCreate, AuditPartnerLinkRevoke,
	AuditPartnerLinkView, AuditPartnerLinkAnswer, AuditPartnerLinkRefused,
	AuditTourneeCreate, AuditTourneeObservation, AuditTourneeEnd, AuditCheckInStart,
	AuditCheckInExtend, AuditCheckOut, AuditCheckInAcknowledge,
	AuditAgendaCreate, AuditAgendaRead, AuditAgendaPrint, AuditAgendaAttendance, AuditAgendaCancel,
	AuditAgendaFeedCreate, AuditAgendaFeedRevoke, AuditAgendaUpdate, AuditAgendaDelete,
	AuditMediationCreate, AuditMediationRead, AuditMediationPrint, AuditMediationStatus, AuditMediationParty,
	AuditMediationConsent, AuditMediationStep, AuditMediationCommitment, AuditMediationFollowUp,
	AuditVeilleObservationCreate, AuditVeilleObservationUpdate, AuditVeilleRiskCreate, AuditVeilleRiskStatus,
	AuditVeilleTechCreate, AuditVeilleTechStatus, AuditVeilleRemonteeCreate,
	AuditImport,
	AuditPracticeNoteCreate, AuditPracticeNoteUpdate, AuditPracticeNoteDelete,
	AuditPracticeSessionCreate, AuditPracticeSessionUpdate,
}

// Label is the French description of the action.
func (a AuditAction) Label() string {
	if l, ok := auditLabels[a]; ok {
		return l
	}
	return string(a)
}

// Valid reports whether a is a known action.
func (a AuditAction) Valid() bool { _, ok := auditLabels[a]; return ok }

// AuditEntry is one row of the append-only audit log. It names who did
// what to which record, never the values: CNIL délibération 2021-122 asks
// for access logs holding minimal personal data.
type AuditEntry struct {
	ID          int64
	At          time.Time
	StructureID StructureID // zero for instance-level events
	ActorID     UserID      // zero for the operator, a job, or an unknown login
	ActorName   string      // filled by list queries for display
	Channel     Channel
	Action      AuditAction
	RecordType  string // "user", "team", "structure", "person"…
	RecordID    int64
	Fields      []string // names of the fields changed, never their values
	RequestID   string
}

// ActorLabel describes the actor for display.
func (e AuditEntry) ActorLabel() string {
	switch {
	case e.ActorName != "":
		return e.ActorName
	case e.ActorID != 0:
		return "Compte n° " + itoa64(int64(e.ActorID))
	case e.Channel == ChannelJob:
		return "Tâche automatique"
	case e.Channel == ChannelCLI:
		return "Opérateur (ligne de commande)"
	default:
		return "Inconnu"
	}
}

// AuditFilter selects audit entries. From is inclusive, To exclusive; both
// are optional.
type AuditFilter struct {
	ActorID UserID
	Action  AuditAction
	From    time.Time
	To      time.Time
	Offset  int
	Limit   int
}

// AuditRetention bounds: CNIL délibération 2021-122 advises 6 months to a
// year for access logs.
const (
	AuditRetentionMinMonths     = 6
	AuditRetentionMaxMonths     = 12
	AuditRetentionDefaultMonths = 12
)
