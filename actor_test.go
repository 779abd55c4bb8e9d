package maillon_test

import (
	"errors"
	"testing"

	"maillon"
)

func TestActorPermissions(t *testing.T) {
	const own, other maillon.StructureID = 1, 2
	member := func(role maillon.Role) maillon.Actor {
		return maillon.Actor{UserID: 10, StructureID: own, Role: role, Channel: maillon.ChannelWeb}
	}
	type perms struct {
		authenticated          bool
		inOwn, inOther, inZero bool
		adminOwn, adminOther   bool
		viewOwn, viewOther     bool
	}
	tests := []struct {
		name  string
		actor maillon.Actor
		want  perms
	}{
		{"operator", maillon.OperatorActor(), perms{true, true, true, true, true, true, true, true}},
		{"system job", maillon.SystemActor(), perms{true, true, true, true, true, true, true, true}},
		{"admin", member(maillon.RoleAdmin), perms{authenticated: true, inOwn: true, adminOwn: true, viewOwn: true}},
		{"coordinator", member(maillon.RoleCoordinateur), perms{authenticated: true, inOwn: true, viewOwn: true}},
		{"mediator", member(maillon.RoleMediateur), perms{authenticated: true, inOwn: true}},
		{"anonymous", maillon.Actor{Channel: maillon.ChannelWeb}, perms{}},
		{"user without a structure", maillon.Actor{UserID: 10, Role: maillon.RoleAdmin}, perms{}},
		{"unknown role", member("superadmin"), perms{authenticated: true, inOwn: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.actor
			got := perms{
				authenticated: a.Authenticated(),
				inOwn:         a.InStructure(own), inOther: a.InStructure(other), inZero: a.InStructure(0),
				adminOwn: a.CanAdminStructure(own), adminOther: a.CanAdminStructure(other),
				viewOwn: a.CanViewTeamData(own), viewOther: a.CanViewTeamData(other),
			}
			if got != tt.want {
				t.Fatalf("permissions = %+v\nwant %+v", got, tt.want)
			}
			if err := a.Check(); (err == nil) != tt.want.authenticated {
				t.Fatalf("Check() = %v, want authenticated %v", err, tt.want.authenticated)
			} else if err != nil && !errors.Is(err, maillon.ErrUnauthenticated) {
				t.Fatalf("Check() = %v, want ErrUnauthenticated", err)
			}
		})
	}
}

func TestOperatorAndSystemChannels(t *testing.T) {
	if c := maillon.OperatorActor().Channel; c != maillon.ChannelCLI {
		t.Errorf("OperatorActor channel = %q, want cli", c)
	}
	if c := maillon.SystemActor().Channel; c != maillon.ChannelJob {
		t.Errorf("SystemActor channel = %q, want job", c)
	}
}

func TestCurrentSessionActor(t *testing.T) {
	cs := &maillon.CurrentSession{User: maillon.User{ID: 7, StructureID: 3, TeamID: 5, Role: maillon.RoleCoordinateur}}
	got := cs.Actor(maillon.ChannelAPI, "req-1")
	want := maillon.Actor{UserID: 7, StructureID: 3, TeamID: 5, Role: maillon.RoleCoordinateur, Channel: maillon.ChannelAPI, RequestID: "req-1"}
	if got != want {
		t.Fatalf("Actor() = %+v, want %+v", got, want)
	}
	if got.Operator {
		t.Fatal("a session actor is never the operator")
	}
}
