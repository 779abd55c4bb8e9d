package maillon

import "time"

// PasswordHasher hashes and checks passwords. The store receives one (from
// internal/auth) so that the domain and the store stay free of
// cryptographic parameters.
type PasswordHasher interface {
	// Hash returns an encoded hash of the password, salt included.
	Hash(password string) (string, error)
	// Verify reports whether password matches the encoded hash.
	Verify(encoded, password string) (bool, error)
}

// LoginInput is a login attempt.
type LoginInput struct {
	Email     string
	Password  string
	ClientIP  string // used for throttling only, never stored in clear
	Channel   Channel
	RequestID string
}

// Session is a server-side login session. The token given to the browser is
// never stored: the store keeps only its SHA-256 digest.
type Session struct {
	Token      string // only set right after creation
	UserID     UserID
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// SessionPolicy holds the session timeouts.
type SessionPolicy struct {
	Idle     time.Duration // default 30 minutes
	Absolute time.Duration // default 12 hours
}

// DefaultSessionPolicy is the policy used unless configured.
var DefaultSessionPolicy = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// CurrentSession is what a request learns from its session cookie.
type CurrentSession struct {
	User      User
	Structure Structure
	CSRFToken string
	CreatedAt time.Time
}

// Actor returns the actor of the session for the given channel and request.
func (cs *CurrentSession) Actor(ch Channel, requestID string) Actor {
	return Actor{
		UserID:      cs.User.ID,
		StructureID: cs.User.StructureID,
		TeamID:      cs.User.TeamID,
		Role:        cs.User.Role,
		Channel:     ch,
		RequestID:   requestID,
	}
}

// SetupInput creates the first structure and its administrator.
type SetupInput struct {
	StructureName string
	AdminName     string
	AdminEmail    string
	Password      string
	RequestID     string
}

// Validate cleans the input.
func (in *SetupInput) Validate() error {
	var fe FieldErrors
	in.StructureName = requiredText(&fe, "structure_name", "le nom de la structure", in.StructureName, MaxNameLen)
	in.AdminName = requiredText(&fe, "admin_name", "votre nom", in.AdminName, MaxNameLen)
	in.AdminEmail = NormalizeEmail(in.AdminEmail)
	if msg := ValidateEmail(in.AdminEmail); msg != "" {
		fe.Add("admin_email", msg)
	}
	if msg := CheckPassword(in.Password, in.AdminEmail, in.AdminName); msg != "" {
		fe.Add("password", msg)
	}
	return fe.Err()
}

// InstanceInfo describes the instance as a whole.
type InstanceInfo struct {
	Structures int
	Users      int
	// Demo is set when the database was filled by the demo dataset; the
	// login page then shows the demo accounts.
	Demo bool
}

// NeedsSetup reports whether the one-time set-up page is available.
func (i InstanceInfo) NeedsSetup() bool { return i.Users == 0 }
