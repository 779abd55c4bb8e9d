package maillon

import "context"

// InstanceService answers questions about the whole instance and performs
// the one-time set-up.
type InstanceService interface {
	// Instance returns counts and the demo flag. Anyone may call it.
	Instance(ctx context.Context) (InstanceInfo, error)
	// Setup creates the first structure and its administrator. It fails
	// with ErrNotFound once any user exists, so the set-up page disappears.
	Setup(ctx context.Context, in SetupInput) (*User, error)
	// ClaimDemo records that the instance runs on the demo dataset, so the
	// login page lists the demo accounts. It reports false when the demo
	// was already claimed, so that nodes started together with --demo load
	// the dataset once. Operator only.
	ClaimDemo(ctx context.Context, actor Actor) (bool, error)
}

// AuthService logs users in and out and manages their sessions.
type AuthService interface {
	// Login checks credentials, applies throttling (ErrTooMany, with
	// RetryAfterSeconds), writes the audit entry and opens a session with a
	// fresh token. Wrong credentials and inactive accounts give the same
	// ErrUnauthenticated error.
	Login(ctx context.Context, in LoginInput) (*Session, *User, error)
	// Session resolves a session token, enforcing the idle and absolute
	// timeouts; an unknown or expired token gives ErrUnauthenticated.
	Session(ctx context.Context, token string) (*CurrentSession, error)
	// Logout ends the session of token.
	Logout(ctx context.Context, actor Actor, token string) error
	// LogoutEverywhere ends every session of the actor.
	LogoutEverywhere(ctx context.Context, actor Actor) error
	// ChangePassword checks the current password and sets a new one,
	// ending the actor's other sessions. ErrInvalid with fields
	// current_password or password.
	ChangePassword(ctx context.Context, actor Actor, token, current, next string) error
	// SessionCount returns how many sessions the actor has open.
	SessionCount(ctx context.Context, actor Actor) (int, error)
}

// StructureService manages structures, their settings and territories.
type StructureService interface {
	// CreateStructure is for the operator only (ErrForbidden otherwise).
	CreateStructure(ctx context.Context, actor Actor, in StructureInput) (*Structure, error)
	// FindStructures lists every structure; operator only.
	FindStructures(ctx context.Context, actor Actor) ([]Structure, error)
	// FindStructureByID returns a structure the actor belongs to
	// (ErrNotFound otherwise).
	FindStructureByID(ctx context.Context, actor Actor, id StructureID) (*Structure, error)
	// UpdateStructure changes the settings; structure admins only.
	UpdateStructure(ctx context.Context, actor Actor, id StructureID, in StructureInput) error
	// FindTerritory lists communes and zones; any member may read it.
	FindTerritory(ctx context.Context, actor Actor, id StructureID) (Territory, error)
	// AddCommune adds a commune; ErrConflict if its INSEE code is present.
	AddCommune(ctx context.Context, actor Actor, id StructureID, in CommuneInput) (*Commune, error)
	// DeleteCommune removes a commune and its zones.
	DeleteCommune(ctx context.Context, actor Actor, id CommuneID) error
	// AddZone adds a zone to a commune; ErrConflict if the name is taken.
	AddZone(ctx context.Context, actor Actor, in ZoneInput) (*Zone, error)
	// DeleteZone removes a zone.
	DeleteZone(ctx context.Context, actor Actor, id ZoneID) error
}

// TeamService manages the teams of the actor's structure.
type TeamService interface {
	// FindTeams lists the teams of the actor's structure with member counts.
	FindTeams(ctx context.Context, actor Actor) ([]Team, error)
	// FindTeamByID returns one team of the actor's structure.
	FindTeamByID(ctx context.Context, actor Actor, id TeamID) (*Team, error)
	// CreateTeam needs structure administration rights; ErrConflict on a
	// duplicate name.
	CreateTeam(ctx context.Context, actor Actor, in TeamInput) (*Team, error)
	// UpdateTeam renames or describes a team.
	UpdateTeam(ctx context.Context, actor Actor, id TeamID, in TeamInput) error
	// DeleteTeam removes a team; its members stay, without a team.
	DeleteTeam(ctx context.Context, actor Actor, id TeamID) error
}

// UserService manages accounts. Listing needs CanViewTeamData; changes need
// CanAdminStructure. An operator acting through the CLI names the
// structure explicitly.
type UserService interface {
	FindUsers(ctx context.Context, actor Actor, f UserFilter) ([]User, int, error)
	// FindColleagues lists the active accounts of the actor's structure
	// (names, roles, teams: what any member needs to name a binôme or a
	// referent), sorted by name.
	FindColleagues(ctx context.Context, actor Actor) ([]User, error)
	FindUserByID(ctx context.Context, actor Actor, id UserID) (*User, error)
	// FindUserByEmail is for the operator (CLI): e-mails are unique per
	// instance.
	FindUserByEmail(ctx context.Context, actor Actor, email string) (*User, error)
	// CreateUser creates an account in structure sid; ErrConflict when the
	// e-mail exists.
	CreateUser(ctx context.Context, actor Actor, sid StructureID, in UserInput) (*User, error)
	// UpdateUser changes name, role or team. An administrator cannot remove
	// their own administration role (ErrInvalid), so a structure always
	// keeps one.
	UpdateUser(ctx context.Context, actor Actor, id UserID, upd UserUpdate) error
	// SetUserActive deactivates (ending all sessions) or reactivates an
	// account. Deactivating oneself or the last active administrator is
	// ErrInvalid.
	SetUserActive(ctx context.Context, actor Actor, id UserID, active bool) error
	// ResetPassword sets a temporary password the user must change at
	// next login, and ends the user's sessions.
	ResetPassword(ctx context.Context, actor Actor, id UserID, password string) error
}

// AuditService reads the audit log. Writing happens inside the other
// services, in the same transaction as the action.
type AuditService interface {
	// FindAuditEntries lists entries of the actor's structure, newest
	// first, with the total count; structure admins only.
	FindAuditEntries(ctx context.Context, actor Actor, f AuditFilter) ([]AuditEntry, int, error)
	// PurgeAudit deletes entries older than the retention period; the
	// system actor only.
	PurgeAudit(ctx context.Context, actor Actor, months int) (int64, error)
}

// Services gathers every domain service. The web UI, the API and the CLI
// receive it whole; each module adds its field here.
type Services struct {
	Instance      InstanceService
	Auth          AuthService
	Structures    StructureService
	Teams         TeamService
	Users         UserService
	Audit         AuditService
	People        PersonService
	Interventions InterventionService
	Journal       JournalService
	Orientations  OrientationService
	Tournees      TourneeService
	Safety        SafetyService
	// Practice is the journal of practice: private notes and group
	// sessions.
	Practice   PracticeService
	Agenda     AgendaService
	Mediations MediationService
	Veille     VeilleService
	Territory  TerritoryService
	Infos      InfoService
	// Import loads datasets in bulk (the demo's large scale); operator
	// only.
	Import Importer

	// Directory is the partner directory (annuaire partenarial).
	Directory DirectoryManager

	// Exports streams the per-fact exports (CSV, XLSX).
	Exports ExportService
	// Activites are the collective actions (activités support).
	Activites ActiviteService
	// Reports computes the indicators of reports and dashboards
	// (rendre compte); ReportTemplates are the structure's modèles de
	// bilan.
	Reports         ReportService
	ReportTemplates ReportTemplateService
}
