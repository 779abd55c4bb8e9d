package maillon

import (
	"time"
)

// UserID identifies a user account.
type UserID int64

// Role is a user's one role within their structure.
type Role string

// The three roles of a structure. The instance operator is not a role: it
// exists only through the command line (see Actor.Operator).
const (
	RoleMediateur    Role = "mediateur"
	RoleCoordinateur Role = "coordinateur"
	RoleAdmin        Role = "admin"
)

// Roles lists the roles in the order forms show them.
var Roles = []Role{RoleMediateur, RoleCoordinateur, RoleAdmin}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleMediateur, RoleCoordinateur, RoleAdmin:
		return true
	}
	return false
}

// Label is the French, gender-neutral name of the role shown in the UI.
func (r Role) Label() string {
	switch r {
	case RoleMediateur:
		return "Médiation"
	case RoleCoordinateur:
		return "Coordination"
	case RoleAdmin:
		return "Administration de la structure"
	}
	return string(r)
}

// Description says in plain French what the role allows.
func (r Role) Description() string {
	switch r {
	case RoleMediateur:
		return "Accueille, accompagne et oriente les personnes ; saisit son activité."
	case RoleCoordinateur:
		return "Planifie, encadre l'équipe, suit l'activité et rend compte aux financeurs."
	case RoleAdmin:
		return "Gère les paramètres de la structure, les équipes, les comptes et consulte le journal d'audit."
	}
	return ""
}

// User is an account of a person working in a structure.
type User struct {
	ID                 UserID
	StructureID        StructureID
	TeamID             TeamID // zero when the user belongs to no team
	TeamName           string // filled by list queries for display
	Email              string
	DisplayName        string
	Role               Role
	Active             bool
	MustChangePassword bool
	LastLoginAt        time.Time // zero if never
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// UserInput holds the fields of a new account.
type UserInput struct {
	Email       string
	DisplayName string
	Role        Role
	TeamID      TeamID
	// Password is the initial password. When MustChangePassword is set the
	// user has to choose their own at first login.
	Password           string
	MustChangePassword bool
}

// Validate cleans the input and returns field errors keyed by form field
// name: email, display_name, role, password.
func (in *UserInput) Validate() error {
	var fe FieldErrors
	in.Email = NormalizeEmail(in.Email)
	if msg := ValidateEmail(in.Email); msg != "" {
		fe.Add("email", msg)
	}
	in.DisplayName = requiredText(&fe, "display_name", "le nom affiché", in.DisplayName, MaxNameLen)
	if !in.Role.Valid() {
		fe.Add("role", "Choisissez un rôle dans la liste.")
	}
	if in.TeamID < 0 {
		fe.Add("team_id", "Choisissez une équipe dans la liste.")
	}
	if msg := CheckPassword(in.Password, in.Email, in.DisplayName); msg != "" {
		fe.Add("password", msg)
	}
	return fe.Err()
}

// UserUpdate changes an account's profile; nil fields are left unchanged.
type UserUpdate struct {
	DisplayName *string
	Role        *Role
	TeamID      *TeamID
}

// Validate cleans the update.
func (u *UserUpdate) Validate() error {
	var fe FieldErrors
	if u.DisplayName != nil {
		v := requiredText(&fe, "display_name", "le nom affiché", *u.DisplayName, MaxNameLen)
		u.DisplayName = &v
	}
	if u.Role != nil && !u.Role.Valid() {
		fe.Add("role", "Choisissez un rôle dans la liste.")
	}
	if u.TeamID != nil && *u.TeamID < 0 {
		fe.Add("team_id", "Choisissez une équipe dans la liste.")
	}
	return fe.Err()
}

// UserFilter selects users in list queries.
type UserFilter struct {
	TeamID     TeamID // zero: any team
	Role       Role   // empty: any role
	ActiveOnly bool
	Query      string // part of the name or e-mail
	Offset     int
	Limit      int // zero: a default page size
}
