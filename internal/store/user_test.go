package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

func TestCreateUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Comptes")
		admin := storetest.Actor(st.Admin)
		team, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Nord"})
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(time.Hour)
		u, err := db.CreateUser(ctx, admin, st.ID, maillon.UserInput{
			Email: " Nina.Nouvelle@Exemple.FR ", DisplayName: " Nina Nouvelle ", Role: maillon.RoleMediateur,
			TeamID: team.ID, Password: "une phrase assez longue", MustChangePassword: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		now := db.Clock.Now()
		want := maillon.User{ID: u.ID, StructureID: st.ID, TeamID: team.ID, TeamName: "Nord", Email: "nina.nouvelle@exemple.fr",
			DisplayName: "Nina Nouvelle", Role: maillon.RoleMediateur, Active: true, MustChangePassword: true, CreatedAt: now, UpdatedAt: now}
		if !reflect.DeepEqual(*u, want) {
			t.Fatalf("created  %+v\nwant     %+v", *u, want)
		}
		got, err := db.FindUserByID(ctx, admin, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, u) {
			t.Fatalf("read back %+v\nwant      %+v", got, u)
		}
		if _, _, err := login(db, "nina.nouvelle@exemple.fr", "une phrase assez longue", "192.0.2.1"); err != nil {
			t.Fatalf("new user cannot log in: %v", err)
		}
		e := auditEntries(t, db, admin, maillon.AuditFilter{Action: maillon.AuditUserCreate, ActorID: st.Admin.ID})
		if len(e) != 1 || e[0].RecordID != int64(u.ID) || e[0].RecordType != "user" {
			t.Fatalf("user.create entries = %+v", e)
		}

		byEmail, err := db.FindUserByEmail(ctx, maillon.OperatorActor(), "NINA.nouvelle@exemple.fr")
		if err != nil || byEmail.ID != u.ID {
			t.Fatalf("FindUserByEmail = %v, %v", byEmail, err)
		}
		_, err = db.FindUserByEmail(ctx, admin, u.Email)
		wantKind(t, err, maillon.ErrForbidden)
		_, err = db.FindUserByEmail(ctx, maillon.OperatorActor(), "personne@exemple.fr")
		wantKind(t, err, maillon.ErrNotFound)
	})
}

func TestCreateUserRejectsInvalidInput(t *testing.T) {
	valid := func() maillon.UserInput {
		return maillon.UserInput{Email: "nina.nouvelle@exemple.fr", DisplayName: "Nina Nouvelle", Role: maillon.RoleMediateur, Password: "une phrase assez longue"}
	}
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Refus")
		other := storetest.MustCreateStructure(t, db, "Ailleurs")
		admin := storetest.Actor(st.Admin)
		foreignTeam, err := db.CreateTeam(ctx, storetest.Actor(other.Admin), maillon.TeamInput{Name: "Équipe d'ailleurs"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			change func(in *maillon.UserInput)
			kind   error
			fields []string
		}{
			{"e-mail used in the structure", func(in *maillon.UserInput) { in.Email = st.Mediator.Email }, maillon.ErrConflict, []string{"email"}},
			{"e-mail used, written in capitals", func(in *maillon.UserInput) { in.Email = strings.ToUpper(st.Mediator.Email) }, maillon.ErrConflict, []string{"email"}},
			{"e-mail used in another structure", func(in *maillon.UserInput) { in.Email = other.Admin.Email }, maillon.ErrConflict, []string{"email"}},
			{"invalid e-mail", func(in *maillon.UserInput) { in.Email = "nina@" }, maillon.ErrInvalid, []string{"email"}},
			{"missing e-mail", func(in *maillon.UserInput) { in.Email = " " }, maillon.ErrInvalid, []string{"email"}},
			{"missing name", func(in *maillon.UserInput) { in.DisplayName = "" }, maillon.ErrInvalid, []string{"display_name"}},
			{"unknown role", func(in *maillon.UserInput) { in.Role = "superadmin" }, maillon.ErrInvalid, []string{"role"}},
			{"password of 11 characters", func(in *maillon.UserInput) { in.Password = "onze caract" }, maillon.ErrInvalid, []string{"password"}},
			{"common password", func(in *maillon.UserInput) { in.Password = "azertyuiop123" }, maillon.ErrInvalid, []string{"password"}},
			{"common password in capitals", func(in *maillon.UserInput) { in.Password = "AzertyUIOP123" }, maillon.ErrInvalid, []string{"password"}},
			{"password equal to the e-mail", func(in *maillon.UserInput) { in.Password = "nina.nouvelle@exemple.fr" }, maillon.ErrInvalid, []string{"password"}},
			{"password equal to the e-mail in capitals", func(in *maillon.UserInput) { in.Password = "NINA.NOUVELLE@EXEMPLE.FR" }, maillon.ErrInvalid, []string{"password"}},
			{"password built on the e-mail", func(in *maillon.UserInput) { in.Password = "nina.nouvelle2026" }, maillon.ErrInvalid, []string{"password"}},
			{"password equal to the name", func(in *maillon.UserInput) { in.Password = "Nina Nouvelle" }, maillon.ErrInvalid, []string{"password"}},
			{"password of one repeated letter", func(in *maillon.UserInput) { in.Password = strings.Repeat("k", 14) }, maillon.ErrInvalid, []string{"password"}},
			{"password of one repeated accented letter", func(in *maillon.UserInput) { in.Password = strings.Repeat("é", 14) }, maillon.ErrInvalid, []string{"password"}},
			{"team of another structure", func(in *maillon.UserInput) { in.TeamID = foreignTeam.ID }, maillon.ErrInvalid, []string{"team_id"}},
			{"unknown team", func(in *maillon.UserInput) { in.TeamID = 999999 }, maillon.ErrInvalid, []string{"team_id"}},
			{"several problems together", func(in *maillon.UserInput) {
				in.Email, in.DisplayName, in.Role, in.Password = "x", "", "", "court"
			}, maillon.ErrInvalid, []string{"email", "display_name", "role", "password"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := valid()
				c.change(&in)
				before := rawCount(t, db, "select count(*) from users")
				u, err := db.CreateUser(ctx, admin, st.ID, in)
				wantFields(t, err, c.kind, c.fields...)
				if after := rawCount(t, db, "select count(*) from users"); u != nil || after != before {
					t.Fatalf("refused input created a user (%d → %d)", before, after)
				}
			})
		}
		if _, err := db.CreateUser(ctx, admin, st.ID, valid()); err != nil {
			t.Fatalf("base input refused: %v", err)
		}
	})
}

func TestCreateUserIsForAdmins(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Création")
		other := storetest.MustCreateStructure(t, db, "Voisine")
		for i, c := range []struct {
			name  string
			actor maillon.Actor
			sid   maillon.StructureID
			want  error
		}{
			{"admin may", storetest.Actor(st.Admin), st.ID, nil},
			{"operator may", maillon.OperatorActor(), st.ID, nil},
			{"coordinator is refused", storetest.Actor(st.Coordinator), st.ID, maillon.ErrForbidden},
			{"mediator is refused", storetest.Actor(st.Mediator), st.ID, maillon.ErrForbidden},
			{"admin of another structure does not see it", storetest.Actor(other.Admin), st.ID, maillon.ErrNotFound},
			{"operator into an unknown structure", maillon.OperatorActor(), 999999, maillon.ErrNotFound},
			{"anonymous must log in", maillon.Actor{}, st.ID, maillon.ErrUnauthenticated},
		} {
			t.Run(c.name, func(t *testing.T) {
				email := fmt.Sprintf("creation%d@exemple.fr", i)
				u, err := db.CreateUser(ctx, c.actor, c.sid, maillon.UserInput{Email: email, DisplayName: "Nouveau compte",
					Role: maillon.RoleAdmin, Password: storetest.Password})
				n := rawCount(t, db, "select count(*) from users where email = ?", email)
				if c.want != nil {
					wantKind(t, err, c.want)
					if n != 0 {
						t.Fatal("refused create stored the user")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if u.StructureID != c.sid || n != 1 {
					t.Fatalf("created %+v (%d rows)", u, n)
				}
			})
		}
	})
}

func TestFindUsersFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Annuaire")
		other := storetest.MustCreateStructure(t, db, "Annuaire voisin")
		admin := storetest.Actor(st.Admin)
		nord := mustCreateTeam(t, db, admin, "Nord")
		sud := mustCreateTeam(t, db, admin, "Sud")
		foreignTeam := mustCreateTeam(t, db, storetest.Actor(other.Admin), "Nord")
		// E-mails do not repeat the names, so that name matches come from
		// the folded names.
		helene := mustAddUser(t, db, admin, st.ID, "Hélène Dupré", "accueil.nord@annuaire.fr", maillon.RoleMediateur, nord.ID)
		ahmed := mustAddUser(t, db, admin, st.ID, "Ahmed Benali", "a.benali@annuaire.fr", maillon.RoleCoordinateur, sud.ID)
		zoe := mustAddUser(t, db, admin, st.ID, "Zoé Martin", "zm@annuaire.fr", maillon.RoleMediateur, nord.ID)
		jf := mustAddUser(t, db, admin, st.ID, "Jean-François Œuvray", "jf@annuaire.fr", maillon.RoleMediateur, 0)
		mustAddUser(t, db, storetest.Actor(other.Admin), other.ID, "Hélène Durand", "helene@voisin.fr", maillon.RoleMediateur, foreignTeam.ID)
		if err := db.SetUserActive(ctx, admin, zoe.ID, false); err != nil {
			t.Fatal(err)
		}
		adm, coord, med := st.Admin.DisplayName, st.Coordinator.DisplayName, st.Mediator.DisplayName
		H, A, Z, J := helene.DisplayName, ahmed.DisplayName, zoe.DisplayName, jf.DisplayName

		for _, c := range []struct {
			name string
			f    maillon.UserFilter
			want []string
		}{
			{"everyone, active first then by name", maillon.UserFilter{}, []string{adm, A, coord, H, J, med, Z}},
			{"active only", maillon.UserFilter{ActiveOnly: true}, []string{adm, A, coord, H, J, med}},
			{"by team", maillon.UserFilter{TeamID: nord.ID}, []string{H, Z}},
			{"by team, active only", maillon.UserFilter{TeamID: nord.ID, ActiveOnly: true}, []string{H}},
			{"by role", maillon.UserFilter{Role: maillon.RoleCoordinateur}, []string{A, coord}},
			{"by role, active only", maillon.UserFilter{Role: maillon.RoleMediateur, ActiveOnly: true}, []string{H, J, med}},
			{"first name without accents", maillon.UserFilter{Query: "helene"}, []string{H}},
			{"last name in capitals without accents", maillon.UserFilter{Query: "DUPRE"}, []string{H}},
			{"name with accents in mixed case", maillon.UserFilter{Query: "hÉLÈNE dupré"}, []string{H}},
			{"part of a name", maillon.UserFilter{Query: "upr"}, []string{H}},
			{"ligature written out", maillon.UserFilter{Query: "oeuvray"}, []string{J}},
			{"ligature typed", maillon.UserFilter{Query: "Œuvray"}, []string{J}},
			{"cedilla", maillon.UserFilter{Query: "francois"}, []string{J}},
			{"part of an e-mail", maillon.UserFilter{Query: "a.benali@"}, []string{A}},
			{"surrounding spaces are ignored", maillon.UserFilter{Query: "  benali "}, []string{A}},
			{"inactive users are found", maillon.UserFilter{Query: "zoe"}, []string{Z}},
			{"inactive users hidden when asked", maillon.UserFilter{Query: "zoe", ActiveOnly: true}, nil},
			{"query and role combined", maillon.UserFilter{Query: "martin", Role: maillon.RoleCoordinateur}, nil},
			{"team, role and query combined", maillon.UserFilter{TeamID: nord.ID, Role: maillon.RoleMediateur, Query: "dupr"}, []string{H}},
			{"percent sign is not a wildcard", maillon.UserFilter{Query: "%"}, nil},
			{"underscore is not a wildcard", maillon.UserFilter{Query: "_"}, nil},
			{"backslash is matched literally", maillon.UserFilter{Query: `\`}, nil},
			{"quote does not break the query", maillon.UserFilter{Query: "d'artagnan"}, nil},
			{"user of another structure is not found", maillon.UserFilter{Query: "durand"}, nil},
			{"team of another structure", maillon.UserFilter{TeamID: foreignTeam.ID}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				for _, who := range []*maillon.User{st.Admin, st.Coordinator} {
					users, total, err := db.FindUsers(ctx, storetest.Actor(who), c.f)
					if err != nil {
						t.Fatal(err)
					}
					if got := displayNames(users); !slices.Equal(got, c.want) {
						t.Fatalf("as %s: users = %q\nwant %q", who.Role, got, c.want)
					}
					if total != len(c.want) {
						t.Fatalf("as %s: total = %d, want %d", who.Role, total, len(c.want))
					}
				}
			})
		}
		users, _, err := db.FindUsers(ctx, admin, maillon.UserFilter{Query: "helene"})
		if err != nil {
			t.Fatal(err)
		}
		if u := users[0]; u.TeamID != nord.ID || u.TeamName != "Nord" || u.StructureID != st.ID || u.Email != "accueil.nord@annuaire.fr" {
			t.Errorf("listed user = %+v", u)
		}
	})
}

func TestFindUsersPaginates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Pages")
		admin := storetest.Actor(st.Admin)
		var want []string
		for i := 1; i <= 12; i++ {
			u := mustAddUser(t, db, admin, st.ID, fmt.Sprintf("Personne %02d", i), fmt.Sprintf("p%d@pages.fr", i), maillon.RoleMediateur, 0)
			want = append(want, u.DisplayName)
		}
		f := maillon.UserFilter{Query: "personne"}
		var got []string
		for _, c := range []struct {
			offset, size int
		}{{0, 5}, {5, 5}, {10, 2}, {15, 0}} {
			f.Offset, f.Limit = c.offset, 5
			users, total, err := db.FindUsers(ctx, admin, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != c.size || total != 12 {
				t.Fatalf("offset %d: %d users, total %d; want %d, total 12", c.offset, len(users), total, c.size)
			}
			got = append(got, displayNames(users)...)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pages = %q, want %q", got, want)
		}
		users, total, err := db.FindUsers(ctx, admin, maillon.UserFilter{Query: "personne", Offset: -3})
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 12 || total != 12 {
			t.Fatalf("default page with a negative offset: %d users, total %d", len(users), total)
		}
	})
}

// Ensure coordinators read the account list but change nothing, and
// mediators do not even read it.
func TestAccountPermissionsByRole(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Rôles")
		other := storetest.MustCreateStructure(t, db, "Autre")
		target := st.Mediator
		for _, c := range []struct {
			name  string
			actor maillon.Actor
			list  error
			write error
		}{
			{"admin lists and changes", storetest.Actor(st.Admin), nil, nil},
			{"coordinator lists but cannot change", storetest.Actor(st.Coordinator), nil, maillon.ErrForbidden},
			{"mediator can do neither", storetest.Actor(st.Mediator), maillon.ErrForbidden, maillon.ErrForbidden},
			{"anonymous must log in", maillon.Actor{}, maillon.ErrUnauthenticated, maillon.ErrUnauthenticated},
		} {
			t.Run(c.name, func(t *testing.T) {
				users, total, err := db.FindUsers(ctx, c.actor, maillon.UserFilter{})
				if c.list != nil {
					wantKind(t, err, c.list)
				} else if err != nil {
					t.Fatal(err)
				} else if total != 3 || len(users) != 3 {
					t.Fatalf("listed %d users (total %d), want the structure's 3", len(users), total)
				}
				if c.write == nil {
					return
				}
				for name, do := range map[string]func() error{
					"CreateUser": func() error {
						_, err := db.CreateUser(ctx, c.actor, st.ID, maillon.UserInput{Email: "x@roles.fr", DisplayName: "X", Role: maillon.RoleAdmin, Password: storetest.Password})
						return err
					},
					"UpdateUser": func() error {
						return db.UpdateUser(ctx, c.actor, target.ID, maillon.UserUpdate{Role: ptr(maillon.RoleAdmin)})
					},
					"SetUserActive": func() error { return db.SetUserActive(ctx, c.actor, target.ID, false) },
					"ResetPassword": func() error { return db.ResetPassword(ctx, c.actor, target.ID, "une phrase choisie par moi") },
				} {
					if err := do(); !isKind(err, c.write) {
						t.Errorf("%s: error = %v, want %v", name, err, c.write)
					}
				}
				got, err := db.FindUserByID(ctx, storetest.Actor(st.Admin), target.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Role != maillon.RoleMediateur || !got.Active || got.MustChangePassword {
					t.Fatalf("refused changes altered the account: %+v", got)
				}
				mustLogin(t, db, target)
			})
		}

		for _, c := range []struct {
			name  string
			actor maillon.Actor
			id    maillon.UserID
			want  error
		}{
			{"a mediator reads their own account", storetest.Actor(st.Mediator), st.Mediator.ID, nil},
			{"a mediator cannot read another account", storetest.Actor(st.Mediator), st.Admin.ID, maillon.ErrForbidden},
			{"a coordinator reads an account", storetest.Actor(st.Coordinator), st.Admin.ID, nil},
			{"an admin of another structure does not see it", storetest.Actor(other.Admin), st.Mediator.ID, maillon.ErrNotFound},
			{"unknown account", storetest.Actor(st.Admin), 999999, maillon.ErrNotFound},
		} {
			t.Run(c.name, func(t *testing.T) {
				u, err := db.FindUserByID(ctx, c.actor, c.id)
				if c.want != nil {
					wantKind(t, err, c.want)
					return
				}
				if err != nil || u.ID != c.id {
					t.Fatalf("FindUserByID = %v, %v", u, err)
				}
			})
		}
	})
}

func TestUpdateUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Modifications")
		other := storetest.MustCreateStructure(t, db, "Extérieure")
		admin := storetest.Actor(st.Admin)
		nord := mustCreateTeam(t, db, admin, "Nord")
		foreignTeam := mustCreateTeam(t, db, storetest.Actor(other.Admin), "Étrangère")
		u := mustAddUser(t, db, admin, st.ID, "Hélène Dupré", "hd@modif.fr", maillon.RoleMediateur, 0)

		for _, c := range []struct {
			name   string
			actor  maillon.Actor
			id     maillon.UserID
			upd    maillon.UserUpdate
			kind   error
			fields []string
			check  func(t *testing.T, got *maillon.User)
		}{
			{"rename", admin, u.ID, maillon.UserUpdate{DisplayName: ptr("  Hélène Garnier ")}, nil, []string{"display_name"}, func(t *testing.T, got *maillon.User) {
				if got.DisplayName != "Hélène Garnier" {
					t.Errorf("DisplayName = %q", got.DisplayName)
				}
				if names := findNames(t, db, admin, "garnier"); !slices.Equal(names, []string{"Hélène Garnier"}) {
					t.Errorf("search for the new name = %q", names)
				}
				if names := findNames(t, db, admin, "dupre"); len(names) != 0 {
					t.Errorf("search for the old name still finds %q", names)
				}
			}},
			{"new role and team", admin, u.ID, maillon.UserUpdate{Role: ptr(maillon.RoleCoordinateur), TeamID: &nord.ID}, nil, []string{"role", "team"}, func(t *testing.T, got *maillon.User) {
				if got.Role != maillon.RoleCoordinateur || got.TeamID != nord.ID || got.TeamName != "Nord" {
					t.Errorf("user = %+v", got)
				}
			}},
			{"leave the team", admin, u.ID, maillon.UserUpdate{TeamID: ptr(maillon.TeamID(0))}, nil, []string{"team"}, func(t *testing.T, got *maillon.User) {
				if got.TeamID != 0 || got.TeamName != "" {
					t.Errorf("user = %+v, want no team", got)
				}
			}},
			{"same values change nothing", admin, u.ID, maillon.UserUpdate{DisplayName: ptr("Hélène Garnier"), Role: ptr(maillon.RoleCoordinateur)}, nil, nil, nil},
			{"admin renames themself", admin, st.Admin.ID, maillon.UserUpdate{DisplayName: ptr("Alice Admin")}, nil, []string{"display_name"}, nil},
			{"admin cannot drop their own admin role", admin, st.Admin.ID, maillon.UserUpdate{Role: ptr(maillon.RoleCoordinateur)}, maillon.ErrInvalid, []string{"role"}, nil},
			{"unknown role", admin, u.ID, maillon.UserUpdate{Role: ptr(maillon.Role("chef"))}, maillon.ErrInvalid, []string{"role"}, nil},
			{"empty name", admin, u.ID, maillon.UserUpdate{DisplayName: ptr("  ")}, maillon.ErrInvalid, []string{"display_name"}, nil},
			{"team of another structure", admin, u.ID, maillon.UserUpdate{TeamID: &foreignTeam.ID}, maillon.ErrInvalid, []string{"team_id"}, nil},
			{"unknown team", admin, u.ID, maillon.UserUpdate{TeamID: ptr(maillon.TeamID(999999))}, maillon.ErrInvalid, []string{"team_id"}, nil},
			{"admin of another structure does not see the user", storetest.Actor(other.Admin), u.ID, maillon.UserUpdate{DisplayName: ptr("Intrus")}, maillon.ErrNotFound, nil, nil},
			{"unknown user", admin, 999999, maillon.UserUpdate{DisplayName: ptr("Personne")}, maillon.ErrNotFound, nil, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				db.Clock.Advance(time.Minute)
				before, _ := db.FindUserByID(ctx, maillon.OperatorActor(), c.id)
				_, entriesBefore := auditPage(t, db, admin, maillon.AuditFilter{Action: maillon.AuditUserUpdate})
				err := db.UpdateUser(ctx, c.actor, c.id, c.upd)
				after, _ := db.FindUserByID(ctx, maillon.OperatorActor(), c.id)
				entries, entriesAfter := auditPage(t, db, admin, maillon.AuditFilter{Action: maillon.AuditUserUpdate})
				if c.kind != nil {
					if c.fields != nil {
						wantFields(t, err, c.kind, c.fields...)
					} else {
						wantKind(t, err, c.kind)
					}
					if !reflect.DeepEqual(before, after) || entriesAfter != entriesBefore {
						t.Fatalf("refused update changed the account %+v → %+v or the log", before, after)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if c.fields == nil {
					if !reflect.DeepEqual(before, after) || entriesAfter != entriesBefore {
						t.Fatalf("no-op update changed the account %+v → %+v or the log", before, after)
					}
					return
				}
				if !after.UpdatedAt.Equal(db.Clock.Now()) {
					t.Errorf("UpdatedAt = %v, want %v", after.UpdatedAt, db.Clock.Now())
				}
				if entriesAfter != entriesBefore+1 || !slices.Equal(entries[0].Fields, c.fields) || entries[0].RecordID != int64(c.id) {
					t.Errorf("audit = %+v, want one entry with fields %q", entries[0], c.fields)
				}
				if c.check != nil {
					c.check(t, after)
				}
			})
		}

		// Another administrator may withdraw the first one's role.
		second := mustAddUser(t, db, admin, st.ID, "Bruno Second", "bruno@modif.fr", maillon.RoleAdmin, 0)
		if err := db.UpdateUser(ctx, storetest.Actor(second), st.Admin.ID, maillon.UserUpdate{Role: ptr(maillon.RoleCoordinateur)}); err != nil {
			t.Fatalf("second admin demoting the first: %v", err)
		}
	})
}

func TestSetUserActive(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Activation")
		other := storetest.MustCreateStructure(t, db, "Ailleurs")
		admin := storetest.Actor(st.Admin)
		op := maillon.OperatorActor()

		t.Run("deactivation ends every session and blocks login", func(t *testing.T) {
			s1 := mustLogin(t, db, st.Mediator)
			s2 := mustLogin(t, db, st.Mediator)
			keep := mustLogin(t, db, st.Coordinator)
			if err := db.SetUserActive(ctx, admin, st.Mediator.ID, false); err != nil {
				t.Fatal(err)
			}
			wantNoSession(t, db, s1.Token)
			wantNoSession(t, db, s2.Token)
			wantSession(t, db, keep.Token)
			if n := rawCount(t, db, "select count(*) from sessions where user_id = ?", int64(st.Mediator.ID)); n != 0 {
				t.Errorf("%d sessions left for the deactivated user", n)
			}
			_, _, err := login(db, st.Mediator.Email, storetest.Password, "192.0.2.7")
			wantKind(t, err, maillon.ErrUnauthenticated)
			if u, _ := db.FindUserByID(ctx, admin, st.Mediator.ID); u.Active {
				t.Error("user still active")
			}
		})
		t.Run("deactivating twice is a no-op", func(t *testing.T) {
			_, before := auditPage(t, db, admin, maillon.AuditFilter{Action: maillon.AuditUserDeactivate})
			if err := db.SetUserActive(ctx, admin, st.Mediator.ID, false); err != nil {
				t.Fatal(err)
			}
			if _, after := auditPage(t, db, admin, maillon.AuditFilter{Action: maillon.AuditUserDeactivate}); after != before {
				t.Errorf("no-op deactivation audited (%d → %d)", before, after)
			}
		})
		t.Run("reactivation allows login again, without old sessions", func(t *testing.T) {
			if err := db.SetUserActive(ctx, admin, st.Mediator.ID, true); err != nil {
				t.Fatal(err)
			}
			mustLogin(t, db, st.Mediator)
			wantSessionCount(t, db, storetest.Actor(st.Mediator), 1)
		})

		for _, c := range []struct {
			name   string
			actor  maillon.Actor
			id     maillon.UserID
			active bool
			want   error
		}{
			{"admin cannot deactivate themself", admin, st.Admin.ID, false, maillon.ErrInvalid},
			{"operator cannot deactivate the last active admin", op, st.Admin.ID, false, maillon.ErrInvalid},
			{"coordinator is refused", storetest.Actor(st.Coordinator), st.Mediator.ID, false, maillon.ErrForbidden},
			{"mediator is refused", storetest.Actor(st.Mediator), st.Coordinator.ID, false, maillon.ErrForbidden},
			{"admin of another structure does not see the user", storetest.Actor(other.Admin), st.Mediator.ID, false, maillon.ErrNotFound},
			{"unknown user", admin, 999999, false, maillon.ErrNotFound},
			{"anonymous must log in", maillon.Actor{}, st.Mediator.ID, false, maillon.ErrUnauthenticated},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, _ := db.FindUserByID(ctx, op, c.id)
				wantKind(t, db.SetUserActive(ctx, c.actor, c.id, c.active), c.want)
				if after, _ := db.FindUserByID(ctx, op, c.id); !reflect.DeepEqual(before, after) {
					t.Fatalf("refused change altered the account: %+v → %+v", before, after)
				}
			})
		}

		t.Run("an inactive admin does not count as the remaining one", func(t *testing.T) {
			second := mustAddUser(t, db, admin, st.ID, "Bruno Second", "bruno@activation.fr", maillon.RoleAdmin, 0)
			if err := db.SetUserActive(ctx, admin, second.ID, false); err != nil {
				t.Fatalf("deactivating another admin: %v", err)
			}
			wantKind(t, db.SetUserActive(ctx, op, st.Admin.ID, false), maillon.ErrInvalid)
			if err := db.SetUserActive(ctx, admin, second.ID, true); err != nil {
				t.Fatal(err)
			}
			if err := db.SetUserActive(ctx, op, st.Admin.ID, false); err != nil {
				t.Fatalf("deactivating an admin while another is active: %v", err)
			}
		})
	})
}

func TestResetPassword(t *testing.T) {
	const temporary = "mot de passe temporaire"
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Réinitialisation")
		other := storetest.MustCreateStructure(t, db, "Ailleurs")
		admin := storetest.Actor(st.Admin)
		med := st.Mediator

		t.Run("sets a temporary password and ends sessions", func(t *testing.T) {
			sess := mustLogin(t, db, med)
			if err := db.ResetPassword(ctx, admin, med.ID, temporary); err != nil {
				t.Fatal(err)
			}
			wantNoSession(t, db, sess.Token)
			_, _, err := login(db, med.Email, storetest.Password, "192.0.2.8")
			wantKind(t, err, maillon.ErrUnauthenticated)
			_, u, err := login(db, med.Email, temporary, "192.0.2.8")
			if err != nil {
				t.Fatalf("login with the temporary password: %v", err)
			}
			if !u.MustChangePassword {
				t.Error("MustChangePassword not set after a reset")
			}
		})
		t.Run("unblocks a throttled account", func(t *testing.T) {
			for i := range 5 {
				login(db, med.Email, fmt.Sprintf("tentative %d ratée", i), fmt.Sprintf("198.51.100.%d", i))
			}
			_, _, err := login(db, med.Email, temporary, "198.51.100.50")
			wantKind(t, err, maillon.ErrTooMany)
			if err := db.ResetPassword(ctx, admin, med.ID, temporary+" bis"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := login(db, med.Email, temporary+" bis", "198.51.100.50"); err != nil {
				t.Fatalf("login right after the reset: %v", err)
			}
		})

		for _, c := range []struct {
			name     string
			actor    maillon.Actor
			id       maillon.UserID
			password string
			kind     error
			fields   []string
		}{
			{"password too short", admin, med.ID, "court", maillon.ErrInvalid, []string{"password"}},
			{"common password", admin, med.ID, "azertyuiop123", maillon.ErrInvalid, []string{"password"}},
			{"the user's e-mail", admin, med.ID, med.Email, maillon.ErrInvalid, []string{"password"}},
			{"coordinator is refused", storetest.Actor(st.Coordinator), med.ID, "une phrase assez longue", maillon.ErrForbidden, nil},
			{"admin of another structure does not see the user", storetest.Actor(other.Admin), med.ID, "une phrase assez longue", maillon.ErrNotFound, nil},
			{"unknown user", admin, 999999, "une phrase assez longue", maillon.ErrNotFound, nil},
			{"anonymous must log in", maillon.Actor{}, med.ID, "une phrase assez longue", maillon.ErrUnauthenticated, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				sess := mustLoginWith(t, db, med.Email, temporary+" bis")
				err := db.ResetPassword(ctx, c.actor, c.id, c.password)
				if c.fields != nil {
					wantFields(t, err, c.kind, c.fields...)
				} else {
					wantKind(t, err, c.kind)
				}
				wantSession(t, db, sess.Token)
			})
		}
	})
}

// mustAddUser creates a user with storetest.Password.
func mustAddUser(t *testing.T, db *storetest.DB, actor maillon.Actor, sid maillon.StructureID, name, email string, role maillon.Role, team maillon.TeamID) *maillon.User {
	t.Helper()
	u, err := db.CreateUser(ctx, actor, sid, maillon.UserInput{Email: email, DisplayName: name, Role: role, TeamID: team, Password: storetest.Password})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// findNames lists the display names FindUsers returns for query.
func findNames(t *testing.T, db *storetest.DB, actor maillon.Actor, query string) []string {
	t.Helper()
	users, _, err := db.FindUsers(ctx, actor, maillon.UserFilter{Query: query})
	if err != nil {
		t.Fatal(err)
	}
	return displayNames(users)
}

func displayNames(users []maillon.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.DisplayName)
	}
	return out
}

func isKind(err, kind error) bool {
	var e *maillon.Error
	return err != nil && errors.Is(err, kind) && errors.As(err, &e)
}

func ptr[T any](v T) *T { return &v }

// Ensure a structure always keeps an active administrator, even when the
// operator changes roles from the command line.
func TestLastAdminKeepsTheRole(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Structure")
		mediator := maillon.RoleMediateur
		err := db.UpdateUser(ctx, maillon.OperatorActor(), st.Admin.ID, maillon.UserUpdate{Role: &mediator})
		wantFields(t, err, maillon.ErrInvalid, "role")
		second := storetest.MustCreateUser(t, db, st.ID, maillon.RoleAdmin)
		if err := db.UpdateUser(ctx, maillon.OperatorActor(), st.Admin.ID, maillon.UserUpdate{Role: &mediator}); err != nil {
			t.Fatalf("demoting one of two admins: %v", err)
		}
		err = db.UpdateUser(ctx, maillon.OperatorActor(), second.ID, maillon.UserUpdate{Role: &mediator})
		wantFields(t, err, maillon.ErrInvalid, "role")
	})
}

// Ensure a stolen session cannot be used to guess the current password.
func TestChangePasswordIsThrottled(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Structure")
		sess, _, err := db.Login(ctx, maillon.LoginInput{Email: st.Mediator.Email, Password: storetest.Password, ClientIP: "192.0.2.1", Channel: maillon.ChannelWeb})
		if err != nil {
			t.Fatal(err)
		}
		a := storetest.Actor(st.Mediator)
		for i := 1; i < 5; i++ {
			err := db.ChangePassword(ctx, a, sess.Token, "mauvais essai numéro "+strconv.Itoa(i), "un nouveau mot de passe solide")
			wantFields(t, err, maillon.ErrInvalid, "current_password")
		}
		err = db.ChangePassword(ctx, a, sess.Token, "cinquième mauvais essai", "un nouveau mot de passe solide")
		wantKind(t, err, maillon.ErrTooMany)
		err = db.ChangePassword(ctx, a, sess.Token, storetest.Password, "un nouveau mot de passe solide")
		wantKind(t, err, maillon.ErrTooMany)
		db.Clock.Advance(16 * time.Minute)
		if _, err := db.Session(ctx, sess.Token); err != nil {
			// The idle timeout is 30 minutes: still alive.
			t.Fatal(err)
		}
		if err := db.ChangePassword(ctx, a, sess.Token, storetest.Password, "un nouveau mot de passe solide"); err != nil {
			t.Fatalf("after the block: %v", err)
		}
	})
}
