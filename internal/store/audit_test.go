package store_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// Ensure logins, logouts and account changes each leave one entry, visible
// to the structure's administrator, naming the actor, the record and the
// changed fields.
func TestAuditRecordsAccountActivity(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Journal")
		admin := storetest.Actor(st.Admin)
		var (
			adminSess, userSess *maillon.Session
			created             *maillon.User
			team                *maillon.Team
		)
		const newPassword = "une autre phrase de passe"
		userID := func() int64 { return int64(created.ID) }
		steps := []struct {
			name     string
			do       func(t *testing.T) error
			action   maillon.AuditAction // "": no entry expected
			actorID  func() maillon.UserID
			recordID func() int64
			fields   []string
		}{
			{"login success", func(t *testing.T) (err error) {
				adminSess, _, err = login(db, st.Admin.Email, storetest.Password, "192.0.2.1")
				return err
			}, maillon.AuditLoginSuccess, func() maillon.UserID { return st.Admin.ID }, func() int64 { return int64(st.Admin.ID) }, nil},
			{"login failure names the account, not an actor", func(t *testing.T) error {
				_, _, err := login(db, st.Mediator.Email, "pas le bon mot de passe", "192.0.2.1")
				wantKind(t, err, maillon.ErrUnauthenticated)
				return nil
			}, maillon.AuditLoginFailure, func() maillon.UserID { return 0 }, func() int64 { return int64(st.Mediator.ID) }, nil},
			{"login failure on an unknown e-mail belongs to no structure", func(t *testing.T) error {
				_, _, err := login(db, "inconnu@nulle-part.fr", storetest.Password, "192.0.2.1")
				wantKind(t, err, maillon.ErrUnauthenticated)
				return nil
			}, "", nil, nil, nil},
			{"logout", func(t *testing.T) error {
				return db.Logout(ctx, admin, adminSess.Token)
			}, maillon.AuditLogout, func() maillon.UserID { return st.Admin.ID }, func() int64 { return int64(st.Admin.ID) }, nil},
			{"team created", func(t *testing.T) (err error) {
				team, err = db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Équipe de jour"})
				return err
			}, maillon.AuditTeamCreate, func() maillon.UserID { return st.Admin.ID }, func() int64 { return int64(team.ID) }, nil},
			{"user created", func(t *testing.T) (err error) {
				created, err = db.CreateUser(ctx, admin, st.ID, maillon.UserInput{Email: "nouvelle@journal.fr", DisplayName: "Nina Nouvelle",
					Role: maillon.RoleMediateur, Password: storetest.Password})
				return err
			}, maillon.AuditUserCreate, func() maillon.UserID { return st.Admin.ID }, userID, nil},
			{"user renamed", func(t *testing.T) error {
				return db.UpdateUser(ctx, admin, created.ID, maillon.UserUpdate{DisplayName: ptr("Nina Nouvelle-Arrivée")})
			}, maillon.AuditUserUpdate, func() maillon.UserID { return st.Admin.ID }, userID, []string{"display_name"}},
			{"user given a role and a team", func(t *testing.T) error {
				return db.UpdateUser(ctx, admin, created.ID, maillon.UserUpdate{Role: ptr(maillon.RoleCoordinateur), TeamID: &team.ID})
			}, maillon.AuditUserUpdate, func() maillon.UserID { return st.Admin.ID }, userID, []string{"role", "team"}},
			{"user deactivated", func(t *testing.T) error {
				return db.SetUserActive(ctx, admin, created.ID, false)
			}, maillon.AuditUserDeactivate, func() maillon.UserID { return st.Admin.ID }, userID, []string{"active"}},
			{"user reactivated", func(t *testing.T) error {
				return db.SetUserActive(ctx, admin, created.ID, true)
			}, maillon.AuditUserReactivate, func() maillon.UserID { return st.Admin.ID }, userID, []string{"active"}},
			{"password reset", func(t *testing.T) error {
				return db.ResetPassword(ctx, admin, created.ID, storetest.Password+" temporaire")
			}, maillon.AuditUserPasswordReset, func() maillon.UserID { return st.Admin.ID }, userID, []string{"password"}},
			{"login of the new user", func(t *testing.T) (err error) {
				userSess, created, err = login(db, "nouvelle@journal.fr", storetest.Password+" temporaire", "192.0.2.2")
				return err
			}, maillon.AuditLoginSuccess, func() maillon.UserID { return created.ID }, userID, nil},
			{"password changed by its owner", func(t *testing.T) error {
				return db.ChangePassword(ctx, storetest.Actor(created), userSess.Token, storetest.Password+" temporaire", newPassword)
			}, maillon.AuditPasswordChange, func() maillon.UserID { return created.ID }, userID, []string{"password"}},
			{"logout everywhere", func(t *testing.T) error {
				return db.LogoutEverywhere(ctx, storetest.Actor(created))
			}, maillon.AuditLogoutEverywhere, func() maillon.UserID { return created.ID }, userID, nil},
			{"team deleted", func(t *testing.T) error {
				return db.DeleteTeam(ctx, admin, team.ID)
			}, maillon.AuditTeamDelete, func() maillon.UserID { return st.Admin.ID }, func() int64 { return int64(team.ID) }, nil},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				db.Clock.Advance(time.Minute)
				_, before := auditPage(t, db, admin, maillon.AuditFilter{})
				if err := s.do(t); err != nil {
					t.Fatal(err)
				}
				entries, after := auditPage(t, db, admin, maillon.AuditFilter{})
				if s.action == "" {
					if after != before {
						t.Fatalf("%d entries added, want none", after-before)
					}
					return
				}
				if after != before+1 {
					t.Fatalf("%d entries added, want 1", after-before)
				}
				e := entries[0]
				if e.Action != s.action || e.ActorID != s.actorID() || e.RecordID != s.recordID() || !slices.Equal(e.Fields, s.fields) {
					t.Fatalf("newest entry = %s by %d on %d fields %q; want %s by %d on %d fields %q",
						e.Action, e.ActorID, e.RecordID, e.Fields, s.action, s.actorID(), s.recordID(), s.fields)
				}
				if e.StructureID != st.ID || !e.At.Equal(db.Clock.Now()) || e.Channel != maillon.ChannelWeb {
					t.Errorf("entry = %+v, want structure %d at %v on the web", e, st.ID, db.Clock.Now())
				}
				if e.ActorID != 0 && e.ActorName == "" {
					t.Errorf("entry by %d has no actor name for display", e.ActorID)
				}
			})
		}
		entries := auditEntries(t, db, admin, maillon.AuditFilter{Limit: 500})
		for _, e := range entries {
			for _, f := range e.Fields {
				if strings.ContainsAny(f, "@ ") || strings.Contains(f, "Nina") {
					t.Errorf("entry %s records a value %q instead of a field name", e.Action, f)
				}
			}
		}
	})
}

func TestFindAuditEntriesFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Filtres")
		admin := storetest.Actor(st.Admin)
		// The fixture's own entries (structure and accounts created by the
		// operator) are at Start; the activity below starts a day later.
		day := storetest.Start.Add(24 * time.Hour)
		at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
		db.Clock.Set(at(0))
		sess := mustLogin(t, db, st.Admin)
		db.Clock.Set(at(1))
		mustLogin(t, db, st.Coordinator)
		db.Clock.Set(at(2))
		if _, _, err := login(db, st.Mediator.Email, "mauvais mot de passe", "192.0.2.9"); err == nil {
			t.Fatal("wrong password accepted")
		}
		db.Clock.Set(at(3))
		mustAddUser(t, db, admin, st.ID, "Ulysse Utilisateur", "ulysse@filtres.fr", maillon.RoleMediateur, 0)
		db.Clock.Set(at(4))
		if err := db.Logout(ctx, admin, sess.Token); err != nil {
			t.Fatal(err)
		}

		type row struct {
			action maillon.AuditAction
			actor  maillon.UserID
		}
		setup := []row{{maillon.AuditUserCreate, 0}, {maillon.AuditUserCreate, 0}, {maillon.AuditUserCreate, 0}, {maillon.AuditStructureCreate, 0}}
		logout := row{maillon.AuditLogout, st.Admin.ID}
		create := row{maillon.AuditUserCreate, st.Admin.ID}
		failure := row{maillon.AuditLoginFailure, 0}
		coordLogin := row{maillon.AuditLoginSuccess, st.Coordinator.ID}
		adminLogin := row{maillon.AuditLoginSuccess, st.Admin.ID}
		other := storetest.MustCreateStructure(t, db, "Autre")

		for _, c := range []struct {
			name string
			f    maillon.AuditFilter
			want []row
		}{
			{"everything, newest first", maillon.AuditFilter{}, append([]row{logout, create, failure, coordLogin, adminLogin}, setup...)},
			{"by actor", maillon.AuditFilter{ActorID: st.Admin.ID}, []row{logout, create, adminLogin}},
			{"by action", maillon.AuditFilter{Action: maillon.AuditLoginSuccess}, []row{coordLogin, adminLogin}},
			{"by actor and action", maillon.AuditFilter{ActorID: st.Admin.ID, Action: maillon.AuditUserCreate}, []row{create}},
			{"from is inclusive", maillon.AuditFilter{From: at(1)}, []row{logout, create, failure, coordLogin}},
			{"to is exclusive", maillon.AuditFilter{To: at(1)}, append([]row{adminLogin}, setup...)},
			{"a period", maillon.AuditFilter{From: at(1), To: at(3)}, []row{failure, coordLogin}},
			{"a period in another time zone", maillon.AuditFilter{From: at(1).In(maillon.Paris), To: at(3).In(maillon.Paris)}, []row{failure, coordLogin}},
			{"a period and an action", maillon.AuditFilter{From: at(1), Action: maillon.AuditUserCreate}, []row{create}},
			{"an empty period", maillon.AuditFilter{From: at(5)}, nil},
			{"an actor of another structure", maillon.AuditFilter{ActorID: other.Admin.ID}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				entries, total := auditPage(t, db, admin, c.f)
				var got []row
				for _, e := range entries {
					got = append(got, row{e.Action, e.ActorID})
				}
				if !slices.Equal(got, c.want) {
					t.Fatalf("entries = %v\nwant      %v", got, c.want)
				}
				if total != len(c.want) {
					t.Fatalf("total = %d, want %d", total, len(c.want))
				}
			})
		}

		t.Run("pages cover the list once, with the total on each", func(t *testing.T) {
			all := auditEntries(t, db, admin, maillon.AuditFilter{})
			var paged []maillon.AuditEntry
			for offset := 0; offset < len(all); offset += 4 {
				page, total := auditPage(t, db, admin, maillon.AuditFilter{Limit: 4, Offset: offset})
				if total != len(all) {
					t.Fatalf("total at offset %d = %d, want %d", offset, total, len(all))
				}
				if len(page) > 4 {
					t.Fatalf("page of %d entries with limit 4", len(page))
				}
				paged = append(paged, page...)
			}
			if !reflect.DeepEqual(paged, all) {
				t.Fatalf("pages differ from the whole list:\n%v\n%v", paged, all)
			}
		})
	})
}

func TestFindAuditEntriesIsForAdmins(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Droits")
		for _, c := range []struct {
			name  string
			actor maillon.Actor
			want  error
		}{
			{"admin may", storetest.Actor(st.Admin), nil},
			{"coordinator is refused", storetest.Actor(st.Coordinator), maillon.ErrForbidden},
			{"mediator is refused", storetest.Actor(st.Mediator), maillon.ErrForbidden},
			{"anonymous must log in", maillon.Actor{}, maillon.ErrUnauthenticated},
		} {
			t.Run(c.name, func(t *testing.T) {
				entries, total, err := db.FindAuditEntries(ctx, c.actor, maillon.AuditFilter{})
				if c.want != nil {
					wantKind(t, err, c.want)
					if len(entries) != 0 || total != 0 {
						t.Fatalf("refused read returned %d entries (total %d)", len(entries), total)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(entries) == 0 || total != len(entries) {
					t.Fatalf("admin got %d entries, total %d", len(entries), total)
				}
			})
		}
	})
}

func TestFindAuditEntriesNeverShowsOtherStructures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		a := storetest.MustCreateStructure(t, db, "A")
		b := storetest.MustCreateStructure(t, db, "B")
		for _, st := range []*storetest.Structure{a, b} {
			mustLogin(t, db, st.Admin)
			if _, _, err := login(db, st.Mediator.Email, "mauvais mot de passe", "192.0.2.3"); err == nil {
				t.Fatal("wrong password accepted")
			}
			if err := db.SetUserActive(ctx, storetest.Actor(st.Admin), st.Mediator.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			name       string
			st, others *storetest.Structure
		}{
			{"admin of A", a, b},
			{"admin of B", b, a},
		} {
			t.Run(c.name, func(t *testing.T) {
				entries, total := auditPage(t, db, storetest.Actor(c.st.Admin), maillon.AuditFilter{Limit: 500})
				if len(entries) == 0 || total != len(entries) {
					t.Fatalf("got %d entries, total %d", len(entries), total)
				}
				foreignUser := map[int64]bool{int64(c.others.Admin.ID): true, int64(c.others.Coordinator.ID): true, int64(c.others.Mediator.ID): true}
				for _, e := range entries {
					foreignRecord := (e.RecordType == "user" && foreignUser[e.RecordID]) || (e.RecordType == "structure" && e.RecordID == int64(c.others.ID))
					if e.StructureID != c.st.ID || foreignUser[int64(e.ActorID)] || foreignRecord {
						t.Errorf("foreign entry: %+v", e)
					}
				}
				for _, action := range []maillon.AuditAction{maillon.AuditLoginSuccess, maillon.AuditLoginFailure, maillon.AuditUserDeactivate} {
					if n := len(auditEntries(t, db, storetest.Actor(c.st.Admin), maillon.AuditFilter{Action: action})); n != 1 {
						t.Errorf("%d %s entries, want only the structure's own one", n, action)
					}
				}
			})
		}
	})
}

func TestPurgeAuditDeletesOldEntries(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Rétention")
		storetest.MustCreateStructure(t, db, "Autre rétention")
		admin := storetest.Actor(st.Admin)
		mustLogin(t, db, st.Admin)
		old := rawCount(t, db, "select count(*) from audit_log")

		// Exactly twelve months later nothing is older than the period.
		db.Clock.Set(storetest.Start.AddDate(0, 12, 0))
		if n, err := db.PurgeAudit(ctx, maillon.SystemActor(), 12); err != nil || n != 0 {
			t.Fatalf("purge at the boundary = %d, %v; want 0", n, err)
		}
		mustLogin(t, db, st.Admin) // a recent entry, kept below
		db.Clock.Advance(time.Hour)

		n, err := db.PurgeAudit(ctx, maillon.SystemActor(), 12)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(old) {
			t.Fatalf("purged %d entries, want the %d older than 12 months", n, old)
		}
		entries := auditEntries(t, db, admin, maillon.AuditFilter{})
		if len(entries) != 1 || entries[0].Action != maillon.AuditLoginSuccess || !entries[0].At.Equal(storetest.Start.AddDate(0, 12, 0)) {
			t.Fatalf("entries after purge = %+v, want the recent login only", entries)
		}
		if got := rawCount(t, db, "select count(*) from audit_log where action = ? and record_id = ? and channel = ? and structure_id is null",
			string(maillon.AuditAuditPurge), n, string(maillon.ChannelJob)); got != 1 {
			t.Fatalf("%d purge records naming %d deleted rows, want 1", got, n)
		}

		// Nothing left to purge: no new record.
		if n, err := db.PurgeAudit(ctx, maillon.SystemActor(), 12); err != nil || n != 0 {
			t.Fatalf("second purge = %d, %v; want 0", n, err)
		}
		if got := rawCount(t, db, "select count(*) from audit_log where action = ?", string(maillon.AuditAuditPurge)); got != 1 {
			t.Fatalf("%d purge records after an empty purge, want 1", got)
		}

		// A shorter period deletes more.
		db.Clock.Advance(24 * time.Hour * 200) // about 6.5 months
		if n, err := db.PurgeAudit(ctx, maillon.OperatorActor(), 6); err != nil || n != 2 {
			t.Fatalf("six-month purge = %d, %v; want the login and the first purge record", n, err)
		}
	})
}

func TestPurgeAuditRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Purge")
		db.Clock.Set(storetest.Start.AddDate(4, 0, 0)) // every entry is old
		total := rawCount(t, db, "select count(*) from audit_log")
		for _, c := range []struct {
			name   string
			actor  maillon.Actor
			months int
			want   error
		}{
			{"structure admin is refused", storetest.Actor(st.Admin), 12, maillon.ErrForbidden},
			{"coordinator is refused", storetest.Actor(st.Coordinator), 12, maillon.ErrForbidden},
			{"anonymous is refused", maillon.Actor{}, 12, maillon.ErrForbidden},
			{"zero months", maillon.SystemActor(), 0, maillon.ErrInvalid},
			{"negative months", maillon.SystemActor(), -12, maillon.ErrInvalid},
			{"less than the six-month minimum", maillon.SystemActor(), 5, maillon.ErrInvalid},
			{"more than three years", maillon.OperatorActor(), 37, maillon.ErrInvalid},
		} {
			t.Run(c.name, func(t *testing.T) {
				n, err := db.PurgeAudit(ctx, c.actor, c.months)
				wantKind(t, err, c.want)
				if got := rawCount(t, db, "select count(*) from audit_log"); n != 0 || got != total {
					t.Fatalf("refused purge reported %d and left %d of %d entries", n, got, total)
				}
			})
		}
		if n, err := db.PurgeAudit(ctx, maillon.OperatorActor(), 36); err != nil || n != int64(total) {
			t.Fatalf("36-month purge = %d, %v; want %d", n, err, total)
		}
	})
}

// Ensure the database itself refuses to rewrite the audit log, whatever
// the store does.
func TestAuditLogRejectsUpdates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Inaltérable")
		admin := storetest.Actor(st.Admin)
		mustLogin(t, db, st.Admin)
		before := auditEntries(t, db, admin, maillon.AuditFilter{})
		for _, c := range []struct {
			name string
			q    string
			args []any
		}{
			{"every row", "update audit_log set action = 'effacé'", nil},
			{"one row by ID", "update audit_log set fields = ? where id = ?", []any{"name", before[0].ID}},
			{"hiding the actor", "update audit_log set actor_id = null where actor_id = ?", []any{int64(st.Admin.ID)}},
			{"moving entries in time", "update audit_log set at = ?", []any{storetest.Start.AddDate(-2, 0, 0)}},
		} {
			t.Run(c.name, func(t *testing.T) {
				n, err := db.ExecForTest(ctx, c.q, c.args...)
				if err == nil {
					t.Fatalf("update accepted (%d rows)", n)
				}
				if !strings.Contains(err.Error(), "append-only") {
					t.Errorf("error %v does not come from the append-only guard", err)
				}
				if after := auditEntries(t, db, admin, maillon.AuditFilter{}); !reflect.DeepEqual(after, before) {
					t.Fatalf("entries changed:\n%v\n%v", before, after)
				}
			})
		}
	})
}

// auditPage returns one page of the actor's audit entries and the total.
func auditPage(t *testing.T, db *storetest.DB, actor maillon.Actor, f maillon.AuditFilter) ([]maillon.AuditEntry, int) {
	t.Helper()
	entries, total, err := db.FindAuditEntries(ctx, actor, f)
	if err != nil {
		t.Fatalf("FindAuditEntries: %v", err)
	}
	return entries, total
}

// auditEntries returns the actor's audit entries matching f.
func auditEntries(t *testing.T, db *storetest.DB, actor maillon.Actor, f maillon.AuditFilter) []maillon.AuditEntry {
	t.Helper()
	entries, _ := auditPage(t, db, actor, f)
	return entries
}

// rawCount runs a "select count(*)" query on the database.
func rawCount(t *testing.T, db *storetest.DB, q string, args ...any) int {
	t.Helper()
	n, err := db.CountForTest(ctx, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
