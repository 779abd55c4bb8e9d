package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"maillon"
)

// Password is the password of every fixture user.
const Password = "un mot de passe de test"

var seq atomic.Int64

// Structure is a fixture structure with one user of each role.
type Structure struct {
	*maillon.Structure
	Admin, Coordinator, Mediator *maillon.User
}

// Actor returns the web actor of a fixture user.
func Actor(u *maillon.User) maillon.Actor {
	return maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb, RequestID: "test"}
}

// MustCreateStructure creates a structure with an admin, a coordinator and a
// mediator, all with Password.
func MustCreateStructure(t testing.TB, db *DB, name string) *Structure {
	t.Helper()
	ctx := context.Background()
	st, err := db.CreateStructure(ctx, maillon.OperatorActor(), maillon.StructureInput{Name: name})
	if err != nil {
		t.Fatalf("create structure: %v", err)
	}
	out := &Structure{Structure: st}
	out.Admin = MustCreateUser(t, db, st.ID, maillon.RoleAdmin)
	out.Coordinator = MustCreateUser(t, db, st.ID, maillon.RoleCoordinateur)
	out.Mediator = MustCreateUser(t, db, st.ID, maillon.RoleMediateur)
	return out
}

// MustCreateUser creates an active user of the given role.
func MustCreateUser(t testing.TB, db *DB, sid maillon.StructureID, role maillon.Role) *maillon.User {
	t.Helper()
	n := seq.Add(1)
	u, err := db.CreateUser(context.Background(), maillon.OperatorActor(), sid, maillon.UserInput{
		Email:       fmt.Sprintf("%s%d@test.maillon.test", role, n),
		DisplayName: fmt.Sprintf("%s %d", role.Label(), n),
		Role:        role,
		Password:    Password,
	})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}
