package web

// access states who may use a route. The store checks again in the domain
// layer; this first check gives the right status and page early.
type access int

const (
	public         access = iota // anyone; no session is loaded
	anonymous                    // only without a session (login)
	member                       // any logged-in user
	coordination                 // coordinateur or admin
	administration               // admin of the structure
)

// route is one entry of the route table.
type route struct {
	method, path string
	access       access
	handle       handlerFunc
	// allowedBeforePasswordChange lets a user with a temporary password
	// use the route (choosing a password, logging out).
	allowedBeforePasswordChange bool
}

// Route describes a route for tests and documentation.
type Route struct {
	Method, Path, Access string
}

var accessNames = map[access]string{
	public: "public", anonymous: "anonymous", member: "member",
	coordination: "coordination", administration: "administration",
}

// Routes lists the route table.
func (h *Handler) Routes() []Route {
	out := make([]Route, len(h.list))
	for i, r := range h.list {
		out[i] = Route{r.method, r.path, accessNames[r.access]}
	}
	return out
}

func (h *Handler) routes() []route {
	return []route{
		{method: "GET", path: "/static/", access: public, handle: h.handleStatic},
		{method: "GET", path: "/healthz", access: public, handle: h.handleHealth},
		{method: "GET", path: "/metrics", access: public, handle: h.handleMetrics},

		{method: "GET", path: "/setup", access: public, handle: h.handleSetupNew},
		{method: "POST", path: "/setup", access: public, handle: h.handleSetupCreate},
		{method: "GET", path: "/login", access: anonymous, handle: h.handleLoginNew},
		{method: "POST", path: "/login", access: anonymous, handle: h.handleLoginCreate},
		{method: "POST", path: "/logout", access: member, handle: h.handleLogout, allowedBeforePasswordChange: true},

		{method: "GET", path: "/{$}", access: member, handle: h.handleHome},
		{method: "GET", path: "/account", access: member, handle: h.handleAccount, allowedBeforePasswordChange: true},
		{method: "GET", path: "/account/password", access: member, handle: h.handlePasswordEdit, allowedBeforePasswordChange: true},
		{method: "POST", path: "/account/password", access: member, handle: h.handlePasswordUpdate, allowedBeforePasswordChange: true},
		{method: "POST", path: "/account/logout-everywhere", access: member, handle: h.handleLogoutEverywhere, allowedBeforePasswordChange: true},

		{method: "GET", path: "/people", access: member, handle: h.handlePersonIndex},
		{method: "GET", path: "/people/new", access: member, handle: h.handlePersonNew},
		{method: "POST", path: "/people", access: member, handle: h.handlePersonCreate},
		{method: "GET", path: "/people/{id}", access: member, handle: h.handlePersonShow},
		{method: "GET", path: "/people/{id}/edit", access: member, handle: h.handlePersonEdit},
		{method: "POST", path: "/people/{id}", access: member, handle: h.handlePersonUpdate},
		{method: "GET", path: "/people/{id}/summary", access: member, handle: h.handlePersonSummary},
		{method: "POST", path: "/people/{id}/archive", access: member, handle: h.handlePersonArchive},
		{method: "POST", path: "/people/{id}/restore", access: member, handle: h.handlePersonRestore},
		{method: "POST", path: "/people/{id}/consents", access: member, handle: h.handleConsentCreate},
		{method: "POST", path: "/people/{id}/consents/{cid}/withdraw", access: member, handle: h.handleConsentWithdraw},
		{method: "POST", path: "/people/{id}/autonomy", access: member, handle: h.handleAutonomyCreate},
		{method: "POST", path: "/people/{id}/notes", access: member, handle: h.handleNoteCreate},
		{method: "POST", path: "/people/{id}/merge", access: coordination, handle: h.handlePersonMerge},

		{method: "GET", path: "/admin", access: administration, handle: h.handleAdminIndex},
		{method: "GET", path: "/admin/structure", access: administration, handle: h.handleStructureEdit},
		{method: "POST", path: "/admin/structure", access: administration, handle: h.handleStructureUpdate},
		{method: "GET", path: "/admin/territory", access: administration, handle: h.handleTerritoryShow},
		{method: "POST", path: "/admin/territory/communes", access: administration, handle: h.handleCommuneCreate},
		{method: "POST", path: "/admin/territory/communes/{id}/delete", access: administration, handle: h.handleCommuneDelete},
		{method: "POST", path: "/admin/territory/zones", access: administration, handle: h.handleZoneCreate},
		{method: "POST", path: "/admin/territory/zones/{id}/delete", access: administration, handle: h.handleZoneDelete},
		{method: "GET", path: "/admin/teams", access: administration, handle: h.handleTeamIndex},
		{method: "POST", path: "/admin/teams", access: administration, handle: h.handleTeamCreate},
		{method: "GET", path: "/admin/teams/{id}", access: administration, handle: h.handleTeamEdit},
		{method: "POST", path: "/admin/teams/{id}", access: administration, handle: h.handleTeamUpdate},
		{method: "POST", path: "/admin/teams/{id}/delete", access: administration, handle: h.handleTeamDelete},
		{method: "GET", path: "/admin/users", access: administration, handle: h.handleUserIndex},
		{method: "GET", path: "/admin/users/new", access: administration, handle: h.handleUserNew},
		{method: "POST", path: "/admin/users", access: administration, handle: h.handleUserCreate},
		{method: "GET", path: "/admin/users/{id}", access: administration, handle: h.handleUserShow},
		{method: "POST", path: "/admin/users/{id}", access: administration, handle: h.handleUserUpdate},
		{method: "POST", path: "/admin/users/{id}/deactivate", access: administration, handle: h.handleUserDeactivate},
		{method: "POST", path: "/admin/users/{id}/reactivate", access: administration, handle: h.handleUserReactivate},
		{method: "POST", path: "/admin/users/{id}/reset-password", access: administration, handle: h.handleUserResetPassword},
		{method: "GET", path: "/admin/audit", access: administration, handle: h.handleAuditIndex},

		{method: "GET", path: "/interventions", access: member, handle: h.handleInterventionIndex},
		{method: "GET", path: "/interventions/new", access: member, handle: h.handleInterventionNew},
		{method: "POST", path: "/interventions", access: member, handle: h.handleInterventionCreate},
		{method: "GET", path: "/interventions/{id}", access: member, handle: h.handleInterventionShow},
		{method: "GET", path: "/interventions/{id}/edit", access: member, handle: h.handleInterventionEdit},
		{method: "POST", path: "/interventions/{id}", access: member, handle: h.handleInterventionUpdate},
		{method: "POST", path: "/interventions/{id}/followup", access: member, handle: h.handleFollowUpDone},
		{method: "GET", path: "/followups", access: member, handle: h.handleFollowUpIndex},
		{method: "GET", path: "/journal", access: member, handle: h.handleJournal},
		{method: "POST", path: "/journal/comment", access: coordination, handle: h.handleJournalComment},
		{method: "GET", path: "/orientations", access: member, handle: h.handleOrientationIndex},
		{method: "GET", path: "/orientations/new", access: member, handle: h.handleOrientationNew},
		{method: "POST", path: "/orientations", access: member, handle: h.handleOrientationCreate},
		{method: "GET", path: "/orientations/{id}", access: member, handle: h.handleOrientationShow},
		{method: "POST", path: "/orientations/{id}/status", access: member, handle: h.handleOrientationStatus},
		{method: "POST", path: "/orientations/{id}/link", access: member, handle: h.handleLinkCreate},
		{method: "POST", path: "/orientations/{id}/link/revoke", access: member, handle: h.handleLinkRevoke},

		{method: "GET", path: "/veille", access: member, handle: h.handleVeilleIndex},
		{method: "GET", path: "/veille/observations/new", access: member, handle: h.handleObservationNew},
		{method: "POST", path: "/veille/observations", access: member, handle: h.handleObservationCreate},
		{method: "GET", path: "/veille/observations/{id}", access: member, handle: h.handleObservationShow},
		{method: "GET", path: "/veille/observations/{id}/edit", access: coordination, handle: h.handleObservationEdit},
		{method: "POST", path: "/veille/observations/{id}", access: coordination, handle: h.handleObservationUpdate},
		{method: "GET", path: "/veille/reseaux", access: member, handle: h.handleRiskIndex},
		{method: "GET", path: "/veille/reseaux/new", access: member, handle: h.handleRiskNew},
		{method: "POST", path: "/veille/reseaux", access: member, handle: h.handleRiskCreate},
		{method: "GET", path: "/veille/reseaux/{id}", access: member, handle: h.handleRiskShow},
		{method: "POST", path: "/veille/reseaux/{id}/status", access: coordination, handle: h.handleRiskStatus},
		{method: "GET", path: "/veille/technique", access: member, handle: h.handleTechIndex},
		{method: "GET", path: "/veille/technique/new", access: member, handle: h.handleTechNew},
		{method: "POST", path: "/veille/technique", access: member, handle: h.handleTechCreate},
		{method: "GET", path: "/veille/technique/{id}", access: member, handle: h.handleTechShow},
		{method: "POST", path: "/veille/technique/{id}/status", access: coordination, handle: h.handleTechStatus},
		{method: "GET", path: "/veille/remontees", access: member, handle: h.handleRemonteeIndex},
		{method: "POST", path: "/veille/remontees", access: coordination, handle: h.handleRemonteeCreate},
		{method: "GET", path: "/veille/remontees/{id}", access: member, handle: h.handleRemonteeShow},
		// The partner's page: the token in the path is the only
		// credential; no session is loaded.
		{method: "GET", path: "/p/o/{token}", access: public, handle: h.handlePartnerShow},
		{method: "POST", path: "/p/o/{token}", access: public, handle: h.handlePartnerAnswer},
		{method: "GET", path: "/mediations", access: member, handle: h.handleMediationIndex},
		{method: "GET", path: "/mediations/new", access: member, handle: h.handleMediationNew},
		{method: "POST", path: "/mediations", access: member, handle: h.handleMediationCreate},
		{method: "GET", path: "/mediations/{id}", access: member, handle: h.handleMediationShow},
		{method: "GET", path: "/mediations/{id}/agreement", access: member, handle: h.handleMediationAgreement},
		{method: "POST", path: "/mediations/{id}/status", access: member, handle: h.handleMediationStatus},
		{method: "POST", path: "/mediations/{id}/parties", access: member, handle: h.handleMediationParty},
		{method: "POST", path: "/mediations/{id}/consent", access: member, handle: h.handleMediationConsent},
		{method: "POST", path: "/mediations/{id}/steps", access: member, handle: h.handleMediationStep},
		{method: "POST", path: "/mediations/{id}/commitments", access: member, handle: h.handleMediationCommitment},
		{method: "POST", path: "/mediations/{id}/followup", access: member, handle: h.handleMediationFollowUp},
		{method: "GET", path: "/tournees", access: member, handle: h.handleTourneeIndex},
		{method: "GET", path: "/tournees/new", access: member, handle: h.handleTourneeNew},
		{method: "POST", path: "/tournees", access: member, handle: h.handleTourneeCreate},
		{method: "GET", path: "/tournees/{id}", access: member, handle: h.handleTourneeShow},
		{method: "POST", path: "/tournees/{id}/counters", access: member, handle: h.handleTourneeCounter},
		{method: "POST", path: "/tournees/{id}/observations", access: member, handle: h.handleTourneeObservation},
		{method: "POST", path: "/tournees/{id}/end", access: member, handle: h.handleTourneeEnd},
		{method: "GET", path: "/checkins/new", access: member, handle: h.handleCheckInNew},
		{method: "POST", path: "/checkins", access: member, handle: h.handleCheckInCreate},
		{method: "POST", path: "/checkins/{id}/checkout", access: member, handle: h.handleCheckOut},
		{method: "POST", path: "/checkins/{id}/extend", access: member, handle: h.handleCheckInExtend},
		{method: "POST", path: "/checkins/{id}/acknowledge", access: coordination, handle: h.handleCheckInAcknowledge},
		{method: "GET", path: "/agenda", access: member, handle: h.handleAgenda},
		{method: "GET", path: "/agenda/new", access: member, handle: h.handleAgendaNew},
		{method: "POST", path: "/agenda", access: member, handle: h.handleAgendaCreate},
		{method: "GET", path: "/agenda/{id}", access: member, handle: h.handleAgendaShow},
		{method: "POST", path: "/agenda/{id}/attendance", access: member, handle: h.handleAgendaAttendance},
		{method: "POST", path: "/agenda/{id}/cancel", access: member, handle: h.handleAgendaCancel},
		{method: "GET", path: "/agenda/{id}/edit", access: member, handle: h.handleAgendaEdit},
		{method: "POST", path: "/agenda/{id}/edit", access: member, handle: h.handleAgendaUpdate},
		{method: "GET", path: "/agenda/{id}/delete", access: member, handle: h.handleAgendaDeleteConfirm},
		{method: "POST", path: "/agenda/{id}/delete", access: member, handle: h.handleAgendaDelete},
		{method: "GET", path: "/agenda/{id}/card", access: member, handle: h.handleAgendaCard},
		{method: "GET", path: "/agenda/{id}/export.ics", access: member, handle: h.handleAgendaICS},
		{method: "POST", path: "/agenda/feed", access: member, handle: h.handleAgendaFeedCreate},
		{method: "POST", path: "/agenda/feed/revoke", access: member, handle: h.handleAgendaFeedRevoke},
		// A mediator's iCal feed: the token in the path is the only
		// credential; no session is loaded.
		{method: "GET", path: "/ical/{file}", access: public, handle: h.handleFeed},
		{method: "GET", path: "/admin/procedures", access: administration, handle: h.handleProcedureTypeIndex},
		{method: "POST", path: "/admin/procedures", access: administration, handle: h.handleProcedureTypeCreate},
		{method: "POST", path: "/admin/procedures/{id}/active", access: administration, handle: h.handleProcedureTypeActive},
		// The journal of practice: a note is its author's alone (the store
		// answers not found to anyone else); sessions are the team's.
		{method: "GET", path: "/pratique", access: member, handle: h.handlePracticeIndex},
		{method: "GET", path: "/pratique/notes/new", access: member, handle: h.handlePracticeNoteNew},
		{method: "POST", path: "/pratique/notes", access: member, handle: h.handlePracticeNoteCreate},
		{method: "GET", path: "/pratique/notes/{id}", access: member, handle: h.handlePracticeNoteShow},
		{method: "GET", path: "/pratique/notes/{id}/edit", access: member, handle: h.handlePracticeNoteEdit},
		{method: "POST", path: "/pratique/notes/{id}", access: member, handle: h.handlePracticeNoteUpdate},
		{method: "GET", path: "/pratique/notes/{id}/delete", access: member, handle: h.handlePracticeNoteConfirm},
		{method: "POST", path: "/pratique/notes/{id}/delete", access: member, handle: h.handlePracticeNoteDelete},
		{method: "GET", path: "/pratique/seances", access: member, handle: h.handlePracticeSessionIndex},
		{method: "GET", path: "/pratique/seances/new", access: member, handle: h.handlePracticeSessionNew},
		{method: "POST", path: "/pratique/seances", access: member, handle: h.handlePracticeSessionCreate},
		{method: "GET", path: "/pratique/seances/{id}/edit", access: member, handle: h.handlePracticeSessionEdit},
		{method: "POST", path: "/pratique/seances/{id}", access: member, handle: h.handlePracticeSessionUpdate},

		// Territory pages, information items and their feeds.
		{method: "GET", path: "/territoire", access: member, handle: h.handleTerritoireIndex},
		{method: "GET", path: "/territoire/communes/{id}", access: member, handle: h.handleCommunePage},
		{method: "GET", path: "/territoire/zones/{id}", access: member, handle: h.handleZonePage},
		{method: "POST", path: "/territoire/communes/{id}/figures", access: coordination, handle: h.handleCommuneFigure},
		{method: "POST", path: "/territoire/zones/{id}/figures", access: coordination, handle: h.handleZoneFigure},
		{method: "POST", path: "/territoire/communes/{id}/figures/import", access: coordination, handle: h.handleCommuneFigureImport},
		{method: "POST", path: "/territoire/zones/{id}/figures/import", access: coordination, handle: h.handleZoneFigureImport},
		{method: "POST", path: "/territoire/figures/{id}/delete", access: coordination, handle: h.handleFigureDelete},
		{method: "POST", path: "/territoire/communes/{id}/diagnostic", access: coordination, handle: h.handleCommuneDiagnostic},
		{method: "POST", path: "/territoire/zones/{id}/diagnostic", access: coordination, handle: h.handleZoneDiagnostic},
		{method: "POST", path: "/admin/territory/import", access: administration, handle: h.handleCommuneImport},
		{method: "GET", path: "/infos", access: member, handle: h.handleInfoIndex},
		{method: "GET", path: "/infos/new", access: member, handle: h.handleInfoNew},
		{method: "POST", path: "/infos", access: member, handle: h.handleInfoCreate},
		{method: "GET", path: "/infos/a-revoir", access: coordination, handle: h.handleInfoToReview},
		{method: "GET", path: "/infos/synthese", access: member, handle: h.handleInfoDigest},
		{method: "GET", path: "/infos/{id}", access: member, handle: h.handleInfoShow},
		{method: "GET", path: "/infos/{id}/edit", access: member, handle: h.handleInfoEdit},
		{method: "POST", path: "/infos/{id}", access: member, handle: h.handleInfoUpdate},
		{method: "POST", path: "/infos/{id}/validate", access: coordination, handle: h.handleInfoValidate},
		{method: "POST", path: "/infos/{id}/review", access: coordination, handle: h.handleInfoReview},
		{method: "GET", path: "/admin/flux", access: administration, handle: h.handleFeedTokenIndex},
		{method: "POST", path: "/admin/flux", access: administration, handle: h.handleFeedTokenCreate},
		{method: "POST", path: "/admin/flux/{id}/revoke", access: administration, handle: h.handleFeedTokenRevoke},
		// Atom feeds: the public one needs nothing; the network one's
		// token in the path is its credential. No session is loaded.
		{method: "GET", path: "/flux/public/{file}", access: public, handle: h.handlePublicFeed},
		{method: "GET", path: "/flux/reseau/{file}", access: public, handle: h.handleNetworkFeed},
		// The partner directory (annuaire partenarial).
		{method: "GET", path: "/annuaire", access: member, handle: h.handleDirectoryIndex},
		{method: "GET", path: "/annuaire/export", access: member, handle: h.handleDirectoryExport},
		{method: "GET", path: "/annuaire/revue", access: coordination, handle: h.handleDirectoryReview},
		{method: "GET", path: "/annuaire/structures/{id}", access: member, handle: h.handleDirectoryStructureShow},
		{method: "POST", path: "/annuaire/structures/{id}/verify", access: coordination, handle: h.handleDirectoryVerify},
		{method: "POST", path: "/annuaire/structures/{id}/proposals", access: member, handle: h.handleDirectoryProposal},
		{method: "POST", path: "/annuaire/structures/{id}/contacts", access: coordination, handle: h.handleDirectoryContact},
		{method: "POST", path: "/annuaire/structures/{id}/relations", access: coordination, handle: h.handleDirectoryRelation},
		{method: "POST", path: "/annuaire/structures/{id}/temporary", access: coordination, handle: h.handleDirectoryTemporary},
		{method: "POST", path: "/annuaire/proposals/{id}/close", access: coordination, handle: h.handleDirectoryProposalClose},
		// Exports, one row per fact (CSV, XLSX).
		{method: "GET", path: "/exports", access: member, handle: h.handleExportIndex},
		{method: "POST", path: "/exports", access: member, handle: h.handleExportCreate},
		// Directory upload, editing and links (issue 5, annuaire2).
		{method: "GET", path: "/annuaire/import", access: administration, handle: h.handleDirectoryImportNew},
		{method: "POST", path: "/annuaire/import", access: administration, handle: h.handleDirectoryImport},
		{method: "GET", path: "/annuaire/structures/new", access: coordination, handle: h.handleDirectoryStructureNew},
		{method: "POST", path: "/annuaire/structures", access: coordination, handle: h.handleDirectoryStructureCreate},
		{method: "GET", path: "/annuaire/structures/{id}/edit", access: coordination, handle: h.handleDirectoryStructureEdit},
		{method: "POST", path: "/annuaire/structures/{id}", access: coordination, handle: h.handleDirectoryStructureUpdate},
		{method: "GET", path: "/annuaire/structures/{id}/services/new", access: coordination, handle: h.handleDirectoryServiceNew},
		{method: "POST", path: "/annuaire/structures/{id}/services", access: coordination, handle: h.handleDirectoryServiceCreate},
		{method: "GET", path: "/annuaire/services/{id}/edit", access: coordination, handle: h.handleDirectoryServiceEdit},
		{method: "POST", path: "/annuaire/services/{id}", access: coordination, handle: h.handleDirectoryServiceUpdate},
		{method: "POST", path: "/annuaire/contacts/{id}/delete", access: coordination, handle: h.handleDirectoryContactDelete},
		{method: "POST", path: "/annuaire/settings", access: coordination, handle: h.handleDirectorySettings},
		// Collective actions (activités support). Validation is the
		// coordination's; the store checks it on the status route.
		{method: "GET", path: "/activites", access: member, handle: h.handleActiviteIndex},
		{method: "GET", path: "/activites/new", access: member, handle: h.handleActiviteNew},
		{method: "POST", path: "/activites", access: member, handle: h.handleActiviteCreate},
		{method: "GET", path: "/activites/{id}", access: member, handle: h.handleActiviteShow},
		{method: "GET", path: "/activites/{id}/edit", access: member, handle: h.handleActiviteEdit},
		{method: "POST", path: "/activites/{id}", access: member, handle: h.handleActiviteUpdate},
		{method: "POST", path: "/activites/{id}/status", access: member, handle: h.handleActiviteStatus},
		{method: "POST", path: "/activites/{id}/objectifs", access: member, handle: h.handleActiviteObjective},
		{method: "POST", path: "/activites/{id}/partenaires", access: member, handle: h.handleActivitePartner},
		{method: "POST", path: "/activites/{id}/budget", access: member, handle: h.handleActiviteBudget},
		{method: "POST", path: "/activites/{id}/depenses", access: member, handle: h.handleActiviteActual},
		{method: "POST", path: "/activites/{id}/ajustements", access: member, handle: h.handleActiviteAdjustment},
		{method: "GET", path: "/activites/{id}/evaluation", access: member, handle: h.handleActiviteEvaluationEdit},
		{method: "POST", path: "/activites/{id}/evaluation", access: member, handle: h.handleActiviteEvaluation},
		{method: "GET", path: "/activites/{id}/bilan", access: member, handle: h.handleActiviteBilan},
		{method: "GET", path: "/activites/{id}/seances/new", access: member, handle: h.handleSeanceNew},
		{method: "POST", path: "/activites/{id}/seances", access: member, handle: h.handleSeanceCreate},
		{method: "GET", path: "/activites/{id}/seances/{sid}", access: member, handle: h.handleSeanceShow},
		{method: "GET", path: "/activites/{id}/seances/{sid}/edit", access: member, handle: h.handleSeanceEdit},
		{method: "POST", path: "/activites/{id}/seances/{sid}", access: member, handle: h.handleSeanceUpdate},
		{method: "POST", path: "/activites/{id}/seances/{sid}/inscriptions", access: member, handle: h.handleSeanceRegister},
		{method: "POST", path: "/activites/{id}/seances/{sid}/desinscription", access: member, handle: h.handleSeanceUnregister},
		{method: "POST", path: "/activites/{id}/seances/{sid}/presences", access: member, handle: h.handleSeanceAttendance},
		{method: "POST", path: "/activites/{id}/seances/{sid}/lien", access: member, handle: h.handleSeanceLink},
		{method: "POST", path: "/activites/{id}/seances/{sid}/reponses", access: member, handle: h.handleSeancePaper},
		{method: "GET", path: "/activites/{id}/seances/{sid}/emargement", access: member, handle: h.handleSeanceSignIn},
		{method: "GET", path: "/activites/{id}/seances/{sid}/affiche", access: member, handle: h.handleSeancePoster},
		{method: "GET", path: "/activites/{id}/seances/{sid}/questionnaire", access: member, handle: h.handleSeanceQuestionnaire},
		// The public satisfaction questionnaire: the token in the path is
		// the only credential; no session is loaded.
		{method: "GET", path: "/q/{token}", access: public, handle: h.handleQuestionnaireShow},
		{method: "POST", path: "/q/{token}", access: public, handle: h.handleQuestionnaireAnswer},
		// Reports and dashboards (rendre compte).
		{method: "GET", path: "/rapports", access: member, handle: h.handleReportIndex},
		{method: "GET", path: "/rapports/activite", access: member, handle: h.handleReport},
		{method: "GET", path: "/tableau-de-bord", access: member, handle: h.handleDashboard},
		{method: "GET", path: "/rapports/modeles", access: member, handle: h.handleTemplateIndex},
		{method: "POST", path: "/rapports/modeles", access: administration, handle: h.handleTemplateCreate},
		{method: "GET", path: "/rapports/modeles/{id}", access: member, handle: h.handleTemplateShow},
		{method: "GET", path: "/rapports/modeles/{id}/xlsx", access: member, handle: h.handleTemplateXLSX},
		{method: "GET", path: "/rapports/modeles/{id}/edit", access: administration, handle: h.handleTemplateEdit},
		{method: "POST", path: "/rapports/modeles/{id}", access: administration, handle: h.handleTemplateUpdate},
		{method: "POST", path: "/rapports/modeles/{id}/delete", access: administration, handle: h.handleTemplateDelete},
	}
}
