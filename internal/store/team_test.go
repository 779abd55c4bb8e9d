package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

func TestCreateTeam(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Équipes")
		other := storetest.MustCreateStructure(t, db, "Voisine")
		admin := storetest.Actor(st.Admin)
		mustCreateTeam(t, db, admin, "Nord")
		for _, c := range []struct {
			name   string
			actor  maillon.Actor
			in     maillon.TeamInput
			kind   error
			fields []string
		}{
			{"admin creates a team", admin, maillon.TeamInput{Name: "Sud", Description: "Quartiers sud, permanences du soir"}, nil, nil},
			{"same name in another structure", storetest.Actor(other.Admin), maillon.TeamInput{Name: "Nord"}, nil, nil},
			{"duplicate name", admin, maillon.TeamInput{Name: "Nord"}, maillon.ErrConflict, []string{"name"}},
			{"duplicate name with spaces around", admin, maillon.TeamInput{Name: "  Nord "}, maillon.ErrConflict, []string{"name"}},
			{"missing name", admin, maillon.TeamInput{Name: " ", Description: "sans nom"}, maillon.ErrInvalid, []string{"name"}},
			{"name too long", admin, maillon.TeamInput{Name: strings.Repeat("n", maillon.MaxNameLen+1)}, maillon.ErrInvalid, []string{"name"}},
			{"description too long", admin, maillon.TeamInput{Name: "Est", Description: strings.Repeat("d", maillon.MaxShortTextLen+1)}, maillon.ErrInvalid, []string{"description"}},
			{"coordinator is refused", storetest.Actor(st.Coordinator), maillon.TeamInput{Name: "Est"}, maillon.ErrForbidden, nil},
			{"mediator is refused", storetest.Actor(st.Mediator), maillon.TeamInput{Name: "Est"}, maillon.ErrForbidden, nil},
			{"anonymous must log in", maillon.Actor{}, maillon.TeamInput{Name: "Est"}, maillon.ErrUnauthenticated, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := rawCount(t, db, "select count(*) from teams")
				tm, err := db.CreateTeam(ctx, c.actor, c.in)
				after := rawCount(t, db, "select count(*) from teams")
				if c.kind != nil {
					if c.fields != nil {
						wantFields(t, err, c.kind, c.fields...)
					} else {
						wantKind(t, err, c.kind)
					}
					if tm != nil || after != before {
						t.Fatalf("refused create stored a team (%d → %d)", before, after)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if tm.ID == 0 || tm.StructureID != c.actor.StructureID || tm.Name != strings.TrimSpace(c.in.Name) ||
					tm.Description != c.in.Description || tm.MemberCount != 0 || !tm.CreatedAt.Equal(db.Clock.Now()) || after != before+1 {
					t.Fatalf("created %+v", tm)
				}
				got, err := db.FindTeamByID(ctx, c.actor, tm.ID)
				if err != nil || *got != *tm {
					t.Fatalf("read back %+v, %v; want %+v", got, err, tm)
				}
			})
		}
	})
}

func TestUpdateTeam(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Renommages")
		other := storetest.MustCreateStructure(t, db, "Voisine")
		admin := storetest.Actor(st.Admin)
		nord := mustCreateTeam(t, db, admin, "Nord")
		mustCreateTeam(t, db, admin, "Sud")
		for _, c := range []struct {
			name   string
			actor  maillon.Actor
			id     maillon.TeamID
			in     maillon.TeamInput
			kind   error
			fields []string // audited fields; nil with kind nil: no change
		}{
			{"rename", admin, nord.ID, maillon.TeamInput{Name: "Nord-Est"}, nil, []string{"name"}},
			{"describe, keeping the name", admin, nord.ID, maillon.TeamInput{Name: "Nord-Est", Description: "Secteur gare"}, nil, []string{"description"}},
			{"rename and describe", admin, nord.ID, maillon.TeamInput{Name: "Nord", Description: "Secteur nord"}, nil, []string{"name", "description"}},
			{"same values change nothing", admin, nord.ID, maillon.TeamInput{Name: " Nord ", Description: "Secteur nord"}, nil, nil},
			{"name of another team", admin, nord.ID, maillon.TeamInput{Name: "Sud"}, maillon.ErrConflict, []string{"name"}},
			{"missing name", admin, nord.ID, maillon.TeamInput{Name: ""}, maillon.ErrInvalid, []string{"name"}},
			{"coordinator is refused", storetest.Actor(st.Coordinator), nord.ID, maillon.TeamInput{Name: "Nord 2"}, maillon.ErrForbidden, nil},
			{"mediator is refused", storetest.Actor(st.Mediator), nord.ID, maillon.TeamInput{Name: "Nord 2"}, maillon.ErrForbidden, nil},
			{"admin of another structure does not see it", storetest.Actor(other.Admin), nord.ID, maillon.TeamInput{Name: "Nord 2"}, maillon.ErrNotFound, nil},
			{"unknown team", admin, 999999, maillon.TeamInput{Name: "Nord 2"}, maillon.ErrNotFound, nil},
			{"anonymous must log in", maillon.Actor{}, nord.ID, maillon.TeamInput{Name: "Nord 2"}, maillon.ErrUnauthenticated, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, _ := db.FindTeamByID(ctx, admin, nord.ID)
				_, auditBefore := auditPage(t, db, admin, maillon.AuditFilter{Action: maillon.AuditTeamUpdate})
				err := db.UpdateTeam(ctx, c.actor, c.id, c.in)
				after, _ := db.FindTeamByID(ctx, admin, nord.ID)
				entries, auditAfter := auditPage(t, db, admin, maillon.AuditFilter{Action: maillon.AuditTeamUpdate})
				if c.kind != nil {
					if c.fields != nil {
						wantFields(t, err, c.kind, c.fields...)
					} else {
						wantKind(t, err, c.kind)
					}
				} else if err != nil {
					t.Fatal(err)
				}
				if c.kind != nil || c.fields == nil {
					if *after != *before || auditAfter != auditBefore {
						t.Fatalf("team changed %+v → %+v, or audited", before, after)
					}
					return
				}
				if after.Name != strings.TrimSpace(c.in.Name) || after.Description != c.in.Description {
					t.Errorf("team = %+v, want %+v", after, c.in)
				}
				if auditAfter != auditBefore+1 || !slices.Equal(entries[0].Fields, c.fields) || entries[0].RecordID != int64(nord.ID) {
					t.Errorf("audit entry = %+v, want fields %q", entries[0], c.fields)
				}
			})
		}
	})
}

func TestTeamMemberCounts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Effectifs")
		admin := storetest.Actor(st.Admin)
		sud := mustCreateTeam(t, db, admin, "Sud")
		nord := mustCreateTeam(t, db, admin, "Nord")
		mustCreateTeam(t, db, admin, "Vide")
		a := mustAddUser(t, db, admin, st.ID, "Anne", "anne@effectifs.fr", maillon.RoleMediateur, nord.ID)
		mustAddUser(t, db, admin, st.ID, "Bilal", "bilal@effectifs.fr", maillon.RoleMediateur, nord.ID)
		gone := mustAddUser(t, db, admin, st.ID, "Chloé", "chloe@effectifs.fr", maillon.RoleMediateur, nord.ID)
		mustAddUser(t, db, admin, st.ID, "Dan", "dan@effectifs.fr", maillon.RoleCoordinateur, sud.ID)
		if err := db.SetUserActive(ctx, admin, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		wantCounts := func(t *testing.T, want map[string]int) {
			t.Helper()
			for _, who := range []*maillon.User{st.Admin, st.Coordinator, st.Mediator} {
				teams, err := db.FindTeams(ctx, storetest.Actor(who))
				if err != nil {
					t.Fatalf("FindTeams as %s: %v", who.Role, err)
				}
				var names []string
				for _, tm := range teams {
					names = append(names, tm.Name)
					if tm.MemberCount != want[tm.Name] {
						t.Errorf("%s has %d members, want %d", tm.Name, tm.MemberCount, want[tm.Name])
					}
				}
				if !slices.Equal(names, []string{"Nord", "Sud", "Vide"}) {
					t.Fatalf("teams = %q, want them by name", names)
				}
			}
		}
		t.Run("active members only", func(t *testing.T) {
			wantCounts(t, map[string]int{"Nord": 2, "Sud": 1, "Vide": 0})
			tm, err := db.FindTeamByID(ctx, admin, nord.ID)
			if err != nil || tm.MemberCount != 2 {
				t.Fatalf("FindTeamByID = %+v, %v; want 2 members", tm, err)
			}
		})
		t.Run("a move changes both counts", func(t *testing.T) {
			if err := db.UpdateUser(ctx, admin, a.ID, maillon.UserUpdate{TeamID: &sud.ID}); err != nil {
				t.Fatal(err)
			}
			wantCounts(t, map[string]int{"Nord": 1, "Sud": 2, "Vide": 0})
		})
		t.Run("reactivation counts again", func(t *testing.T) {
			if err := db.SetUserActive(ctx, admin, gone.ID, true); err != nil {
				t.Fatal(err)
			}
			wantCounts(t, map[string]int{"Nord": 2, "Sud": 2, "Vide": 0})
		})
	})
}

func TestDeleteTeamKeepsItsMembers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Dissolution")
		admin := storetest.Actor(st.Admin)
		nord := mustCreateTeam(t, db, admin, "Nord")
		sud := mustCreateTeam(t, db, admin, "Sud")
		a := mustAddUser(t, db, admin, st.ID, "Anne", "anne@dissolution.fr", maillon.RoleMediateur, nord.ID)
		b := mustAddUser(t, db, admin, st.ID, "Bilal", "bilal@dissolution.fr", maillon.RoleCoordinateur, nord.ID)
		c := mustAddUser(t, db, admin, st.ID, "Chloé", "chloe@dissolution.fr", maillon.RoleMediateur, sud.ID)
		sess := mustLogin(t, db, a)

		db.Clock.Advance(time.Minute)
		if err := db.DeleteTeam(ctx, admin, nord.ID); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*maillon.User{a, b} {
			got, err := db.FindUserByID(ctx, admin, u.ID)
			if err != nil {
				t.Fatalf("member %s deleted with the team: %v", u.DisplayName, err)
			}
			if got.TeamID != 0 || got.TeamName != "" || !got.Active || got.Role != u.Role {
				t.Errorf("member after delete = %+v, want active, same role, no team", got)
			}
		}
		if got, _ := db.FindUserByID(ctx, admin, c.ID); got.TeamID != sud.ID {
			t.Errorf("member of another team moved: %+v", got)
		}
		if cs := wantSession(t, db, sess.Token); cs.User.TeamID != 0 {
			t.Errorf("session still shows team %d", cs.User.TeamID)
		}
		_, err := db.FindTeamByID(ctx, admin, nord.ID)
		wantKind(t, err, maillon.ErrNotFound)
		if users, total, _ := db.FindUsers(ctx, admin, maillon.UserFilter{TeamID: nord.ID}); total != 0 || len(users) != 0 {
			t.Errorf("%d users still listed in the deleted team", total)
		}
		entries := auditEntries(t, db, admin, maillon.AuditFilter{Action: maillon.AuditTeamDelete})
		if len(entries) != 1 || entries[0].RecordID != int64(nord.ID) || entries[0].ActorID != st.Admin.ID {
			t.Errorf("team.delete entries = %+v", entries)
		}
		// The name is free again.
		mustCreateTeam(t, db, admin, "Nord")
	})
}

func TestTeamsAreIsolatedByStructure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Mienne")
		other := storetest.MustCreateStructure(t, db, "Autre")
		admin := storetest.Actor(st.Admin)
		theirs := storetest.Actor(other.Admin)
		nord := mustCreateTeam(t, db, admin, "Nord")
		mustAddUser(t, db, admin, st.ID, "Anne", "anne@mienne.fr", maillon.RoleMediateur, nord.ID)
		theirNord := mustCreateTeam(t, db, theirs, "Nord")

		teams, err := db.FindTeams(ctx, theirs)
		if err != nil {
			t.Fatal(err)
		}
		if len(teams) != 1 || teams[0].ID != theirNord.ID || teams[0].MemberCount != 0 {
			t.Fatalf("other structure's teams = %+v, want its own empty Nord only", teams)
		}
		for _, c := range []struct {
			name  string
			actor maillon.Actor
			do    func(maillon.Actor) error
			want  error
		}{
			{"reading our team", theirs, func(a maillon.Actor) error { _, err := db.FindTeamByID(ctx, a, nord.ID); return err }, maillon.ErrNotFound},
			{"renaming our team", theirs, func(a maillon.Actor) error { return db.UpdateTeam(ctx, a, nord.ID, maillon.TeamInput{Name: "Pris"}) }, maillon.ErrNotFound},
			{"deleting our team", theirs, func(a maillon.Actor) error { return db.DeleteTeam(ctx, a, nord.ID) }, maillon.ErrNotFound},
			{"our coordinator deleting it", storetest.Actor(st.Coordinator), func(a maillon.Actor) error { return db.DeleteTeam(ctx, a, nord.ID) }, maillon.ErrForbidden},
			{"our mediator deleting it", storetest.Actor(st.Mediator), func(a maillon.Actor) error { return db.DeleteTeam(ctx, a, nord.ID) }, maillon.ErrForbidden},
			{"anonymous deleting it", maillon.Actor{}, func(a maillon.Actor) error { return db.DeleteTeam(ctx, a, nord.ID) }, maillon.ErrUnauthenticated},
			{"deleting an unknown team", admin, func(a maillon.Actor) error { return db.DeleteTeam(ctx, a, 999999) }, maillon.ErrNotFound},
			{"putting their user in our team", theirs, func(a maillon.Actor) error {
				return db.UpdateUser(ctx, a, other.Mediator.ID, maillon.UserUpdate{TeamID: &nord.ID})
			}, maillon.ErrInvalid},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantKind(t, c.do(c.actor), c.want)
				tm, err := db.FindTeamByID(ctx, admin, nord.ID)
				if err != nil || tm.Name != "Nord" || tm.MemberCount != 1 {
					t.Fatalf("our team after the attempt: %+v, %v", tm, err)
				}
			})
		}
	})
}

func mustCreateTeam(t *testing.T, db *storetest.DB, actor maillon.Actor, name string) *maillon.Team {
	t.Helper()
	tm, err := db.CreateTeam(ctx, actor, maillon.TeamInput{Name: name})
	if err != nil {
		t.Fatalf("create team %s: %v", name, err)
	}
	return tm
}
