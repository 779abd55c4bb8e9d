package maillon

// Channel names the way an action reached Maillon; it is recorded in the
// audit log.
type Channel string

// The channels through which actors act.
const (
	ChannelWeb Channel = "web"
	ChannelAPI Channel = "api"
	ChannelCLI Channel = "cli"
	ChannelJob Channel = "job"
)

// Actor is who performs an action. Every store method that touches a
// structure's records takes the actor explicitly, never from a context, so
// that authorisation and audit cannot be forgotten.
type Actor struct {
	UserID      UserID
	StructureID StructureID
	TeamID      TeamID
	Role        Role
	// Operator is the instance operator (the hosting technician). It exists
	// only on the command line and may administer every structure.
	Operator  bool
	Channel   Channel
	RequestID string
}

// OperatorActor is the actor used by command-line administration.
func OperatorActor() Actor { return Actor{Operator: true, Channel: ChannelCLI} }

// SystemActor is the actor of scheduled jobs (retention, clean-up).
func SystemActor() Actor { return Actor{Operator: true, Channel: ChannelJob} }

// Authenticated reports whether the actor is a logged-in user or the
// operator.
func (a Actor) Authenticated() bool { return a.Operator || (a.UserID > 0 && a.StructureID > 0) }

// InStructure reports whether the actor may act on records of structure s:
// its own structure, or any when operator.
func (a Actor) InStructure(s StructureID) bool {
	return a.Operator || (a.StructureID == s && a.StructureID > 0)
}

// Check returns ErrUnauthenticated when the actor is anonymous.
func (a Actor) Check() error {
	if !a.Authenticated() {
		return Unauthenticated()
	}
	return nil
}

// CanAdminStructure reports whether the actor may change structure s's
// settings, teams and accounts and read its audit log.
func (a Actor) CanAdminStructure(s StructureID) bool {
	return a.Operator || (a.Authenticated() && a.Role == RoleAdmin && a.InStructure(s))
}

// CanViewTeamData reports whether the actor may see team-wide aggregates
// and the lists of accounts and teams of structure s.
func (a Actor) CanViewTeamData(s StructureID) bool {
	return a.Operator || (a.Authenticated() && (a.Role == RoleAdmin || a.Role == RoleCoordinateur) && a.InStructure(s))
}
