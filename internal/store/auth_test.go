package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

func TestLoginOpensSession(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Connexion")
		sess, u, err := login(db, "  "+strings.ToUpper(st.Admin.Email)+" ", storetest.Password, "192.0.2.1")
		if err != nil {
			t.Fatalf("login with the e-mail in capitals: %v", err)
		}
		now := db.Clock.Now()
		if sess.Token == "" || sess.CSRFToken == "" || sess.Token == sess.CSRFToken || sess.UserID != st.Admin.ID || !sess.CreatedAt.Equal(now) {
			t.Fatalf("session = %+v", sess)
		}
		if u.ID != st.Admin.ID || !u.LastLoginAt.Equal(now) {
			t.Fatalf("user = %+v, want admin %d with LastLoginAt %v", u, st.Admin.ID, now)
		}
		cs := wantSession(t, db, sess.Token)
		if cs.User.ID != st.Admin.ID || cs.User.Email != st.Admin.Email || cs.User.Role != maillon.RoleAdmin || !cs.User.Active {
			t.Errorf("session user = %+v", cs.User)
		}
		if cs.Structure.ID != st.ID || cs.Structure.Name != "Connexion" || cs.Structure.OfficeHours.IsEmpty() {
			t.Errorf("session structure = %+v", cs.Structure)
		}
		if cs.CSRFToken != sess.CSRFToken || !cs.CreatedAt.Equal(now) {
			t.Errorf("CSRF %q created %v, want %q created %v", cs.CSRFToken, cs.CreatedAt, sess.CSRFToken, now)
		}
		if a := cs.Actor(maillon.ChannelAPI, "r1"); a.UserID != st.Admin.ID || a.StructureID != st.ID || a.Role != maillon.RoleAdmin || !a.CanAdminStructure(st.ID) {
			t.Errorf("session actor = %+v", a)
		}

		second := mustLogin(t, db, st.Admin)
		if second.Token == sess.Token || second.CSRFToken == sess.CSRFToken {
			t.Fatal("two logins share a token")
		}
		wantSession(t, db, sess.Token)
		wantSession(t, db, second.Token)
		if n := rawCount(t, db, "select count(*) from sessions where token_hash = ? or token_hash = ?", sess.Token, second.Token); n != 0 {
			t.Fatal("session tokens are stored in clear")
		}
		if n := rawCount(t, db, "select count(*) from sessions where user_id = ?", int64(st.Admin.ID)); n != 2 {
			t.Fatalf("%d sessions stored, want 2", n)
		}
	})
}

// Ensure a failed login says nothing about which of e-mail, password or
// account state was wrong.
func TestLoginFailuresLookAlike(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Échecs")
		if err := db.SetUserActive(ctx, storetest.Actor(st.Admin), st.Mediator.ID, false); err != nil {
			t.Fatal(err)
		}
		var first string
		for i, c := range []struct {
			name, email, password string
		}{
			{"wrong password", st.Admin.Email, "pas le bon mot de passe"},
			{"unknown e-mail", "personne@nulle-part.fr", storetest.Password},
			{"inactive account with its right password", st.Mediator.Email, storetest.Password},
			{"password in the wrong case", st.Coordinator.Email, strings.ToUpper(storetest.Password)},
			{"password with a trailing space", st.Coordinator.Email, storetest.Password + " "},
			{"empty password", st.Admin.Email, ""},
			{"empty e-mail", "", storetest.Password},
		} {
			t.Run(c.name, func(t *testing.T) {
				sess, u, err := login(db, c.email, c.password, fmt.Sprintf("203.0.113.%d", i))
				e := wantKind(t, err, maillon.ErrUnauthenticated)
				if sess != nil || u != nil {
					t.Fatalf("failed login returned session %v, user %v", sess, u)
				}
				if first == "" {
					first = e.Message
				}
				if e.Message != first || len(e.Fields) != 0 {
					t.Fatalf("message %q fields %v, want the same message as a wrong password: %q", e.Message, e.Fields, first)
				}
			})
		}
		if n := rawCount(t, db, "select count(*) from sessions"); n != 0 {
			t.Fatalf("failed logins opened %d sessions", n)
		}
	})
}

func TestLoginThrottlesAccount(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Blocage")
		email := st.Mediator.Email
		// Each failure from a different address: the account is what counts.
		for i := 1; i <= 5; i++ {
			_, _, err := login(db, email, fmt.Sprintf("mauvais essai numéro %d", i), fmt.Sprintf("198.51.100.%d", i))
			if i < 5 {
				wantKind(t, err, maillon.ErrUnauthenticated)
			} else if !errors.Is(err, maillon.ErrUnauthenticated) && !errors.Is(err, maillon.ErrTooMany) {
				t.Fatalf("fifth failure = %v", err)
			}
			db.Clock.Advance(10 * time.Second)
		}

		e := wantBlocked(t, db, email, "198.51.100.99")
		if e.RetryAfterSeconds > int((15 * time.Minute).Seconds()) {
			t.Fatalf("RetryAfterSeconds = %d, more than the 15-minute block", e.RetryAfterSeconds)
		}
		if _, _, err := login(db, st.Coordinator.Email, storetest.Password, "198.51.100.1"); err != nil {
			t.Fatalf("another account from the same address is blocked: %v", err)
		}

		db.Clock.Advance(10 * time.Minute)
		e = wantBlocked(t, db, email, "198.51.100.99")
		if e.RetryAfterSeconds > 5*60 {
			t.Fatalf("RetryAfterSeconds = %d ten minutes later, want at most 300", e.RetryAfterSeconds)
		}

		db.Clock.Advance(5 * time.Minute)
		if _, _, err := login(db, email, storetest.Password, "198.51.100.99"); err != nil {
			t.Fatalf("login 15 minutes after the block: %v", err)
		}
		// A success clears the count: one new mistake does not block again.
		_, _, err := login(db, email, "encore une erreur de frappe", "198.51.100.99")
		wantKind(t, err, maillon.ErrUnauthenticated)
		if _, _, err := login(db, email, storetest.Password, "198.51.100.99"); err != nil {
			t.Fatalf("login after one new failure: %v", err)
		}

		admin := storetest.Actor(st.Admin)
		if n := len(auditEntries(t, db, admin, maillon.AuditFilter{Action: maillon.AuditLoginThrottled})); n != 2 {
			t.Errorf("%d login.throttled entries, want one per blocked attempt (2)", n)
		}
		if n := len(auditEntries(t, db, admin, maillon.AuditFilter{Action: maillon.AuditLoginFailure})); n != 6 {
			t.Errorf("%d login.failure entries, want 6", n)
		}
	})
}

func TestLoginThrottlesClientAddress(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Robot")
		const ip = "203.0.113.66"
		// A password-spraying client: one try per e-mail, known or not.
		for i := 1; i <= 20; i++ {
			email := fmt.Sprintf("cible%d@exemple.fr", i)
			if i == 7 {
				email = st.Admin.Email
			}
			_, _, err := login(db, email, "motdepasse2026!", ip)
			if i < 20 {
				wantKind(t, err, maillon.ErrUnauthenticated)
			} else if !errors.Is(err, maillon.ErrUnauthenticated) && !errors.Is(err, maillon.ErrTooMany) {
				t.Fatalf("twentieth failure = %v", err)
			}
		}
		wantBlocked(t, db, st.Mediator.Email, ip)
		if _, _, err := login(db, st.Mediator.Email, storetest.Password, "203.0.113.67"); err != nil {
			t.Fatalf("the same account from another address is blocked: %v", err)
		}
		db.Clock.Advance(15 * time.Minute)
		if _, _, err := login(db, st.Mediator.Email, storetest.Password, ip); err != nil {
			t.Fatalf("login from the address after 15 minutes: %v", err)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	type step struct {
		advance time.Duration
		use     bool // call Session after advancing, as a request would
	}
	every20 := func(n int) []step {
		s := make([]step, n)
		for i := range s {
			s[i] = step{20 * time.Minute, true}
		}
		return s
	}
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Délais")
		for _, c := range []struct {
			name  string
			steps []step
			valid bool
		}{
			{"fresh session", nil, true},
			{"29 minutes idle is within the idle timeout", []step{{29 * time.Minute, false}}, true},
			{"31 minutes idle ends it", []step{{31 * time.Minute, false}}, false},
			{"activity after 20 minutes keeps it alive 20 more", []step{{20 * time.Minute, true}, {20 * time.Minute, false}}, true},
			{"40 minutes without activity end it", []step{{20 * time.Minute, false}, {20 * time.Minute, false}}, false},
			{"regular activity for 11h40", every20(35), true},
			{"the absolute timeout ends an active session after 12 hours", append(every20(35), step{25 * time.Minute, false}), false},
		} {
			t.Run(c.name, func(t *testing.T) {
				sess := mustLogin(t, db, st.Coordinator)
				for i, s := range c.steps {
					db.Clock.Advance(s.advance)
					if s.use {
						if _, err := db.Session(ctx, sess.Token); err != nil {
							t.Fatalf("step %d: session ended early: %v", i, err)
						}
					}
				}
				if c.valid {
					wantSession(t, db, sess.Token)
					return
				}
				wantNoSession(t, db, sess.Token)
				// A refused request does not revive the session.
				wantNoSession(t, db, sess.Token)
			})
			db.Clock.Advance(24 * time.Hour)
		}
	})
}

func TestSessionRejectsBadTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Jetons")
		sess := mustLogin(t, db, st.Admin)
		ended := mustLogin(t, db, st.Admin)
		if err := db.Logout(ctx, storetest.Actor(st.Admin), ended.Token); err != nil {
			t.Fatal(err)
		}
		altered := []byte(sess.Token)
		if altered[0] == 'A' {
			altered[0] = 'B'
		} else {
			altered[0] = 'A'
		}
		for _, c := range []struct{ name, token string }{
			{"empty", ""},
			{"made up", "pas-un-jeton"},
			{"one character changed", string(altered)},
			{"prefix of a real token", sess.Token[:20]},
			{"very long", strings.Repeat(sess.Token, 5)},
			{"the CSRF token", sess.CSRFToken},
			{"a logged-out token", ended.Token},
		} {
			t.Run(c.name, func(t *testing.T) { wantNoSession(t, db, c.token) })
		}
		wantSession(t, db, sess.Token)
	})
}

func TestLogout(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Déconnexion")
		admin := storetest.Actor(st.Admin)
		phone := mustLogin(t, db, st.Admin)
		desk := mustLogin(t, db, st.Admin)
		if err := db.Logout(ctx, admin, phone.Token); err != nil {
			t.Fatal(err)
		}
		wantNoSession(t, db, phone.Token)
		wantSession(t, db, desk.Token)
		wantSessionCount(t, db, admin, 1)

		// A user cannot end someone else's session with its token.
		if err := db.Logout(ctx, storetest.Actor(st.Coordinator), desk.Token); err != nil {
			t.Fatal(err)
		}
		wantSession(t, db, desk.Token)
		// Logging out twice is harmless and audited once.
		if err := db.Logout(ctx, admin, phone.Token); err != nil {
			t.Fatal(err)
		}
		if n := len(auditEntries(t, db, admin, maillon.AuditFilter{Action: maillon.AuditLogout})); n != 1 {
			t.Errorf("%d logout entries, want 1", n)
		}
		wantKind(t, db.Logout(ctx, maillon.Actor{}, desk.Token), maillon.ErrUnauthenticated)
		wantSession(t, db, desk.Token)
	})
}

func TestLogoutEverywhere(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Partout")
		admin := storetest.Actor(st.Admin)
		var mine []*maillon.Session
		for range 3 {
			mine = append(mine, mustLogin(t, db, st.Admin))
		}
		theirs := mustLogin(t, db, st.Coordinator)
		wantSessionCount(t, db, admin, 3)
		if err := db.LogoutEverywhere(ctx, admin); err != nil {
			t.Fatal(err)
		}
		for _, s := range mine {
			wantNoSession(t, db, s.Token)
		}
		wantSessionCount(t, db, admin, 0)
		wantSession(t, db, theirs.Token)
		wantKind(t, db.LogoutEverywhere(ctx, maillon.Actor{}), maillon.ErrUnauthenticated)
	})
}

func TestChangePassword(t *testing.T) {
	const (
		email    = "camille.martin@exemple.fr"
		initial  = "mot de passe provisoire"
		newValid = "la nouvelle phrase de Camille"
	)
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Mots de passe")
		u, err := db.CreateUser(ctx, storetest.Actor(st.Admin), st.ID, maillon.UserInput{Email: email, DisplayName: "Camille Martin",
			Role: maillon.RoleMediateur, Password: initial, MustChangePassword: true})
		if err != nil {
			t.Fatal(err)
		}
		actor := storetest.Actor(u)
		current, _, err := login(db, email, initial, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if cs := wantSession(t, db, current.Token); !cs.User.MustChangePassword {
			t.Fatal("MustChangePassword not set on the new account")
		}
		for _, c := range []struct {
			name, current, next string
			fields              []string
		}{
			{"wrong current password", "pas le mot de passe actuel", newValid, []string{"current_password"}},
			{"new password too short", initial, "court", []string{"password"}},
			{"new password too common", initial, "azertyuiop123", []string{"password"}},
			{"new password is the e-mail", initial, strings.ToUpper(email), []string{"password"}},
			{"new password is the name", initial, "camille martin", []string{"password"}},
			{"new password same as the current one", initial, initial, []string{"password"}},
			{"wrong current and too short", "faux", "court", []string{"current_password", "password"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				err := db.ChangePassword(ctx, actor, current.Token, c.current, c.next)
				wantFields(t, err, maillon.ErrInvalid, c.fields...)
			})
		}
		if _, _, err := login(db, email, initial, "192.0.2.1"); err != nil {
			t.Fatalf("refused changes altered the password: %v", err)
		}

		other := mustLoginWith(t, db, email, initial)
		if err := db.ChangePassword(ctx, actor, current.Token, initial, newValid); err != nil {
			t.Fatal(err)
		}
		cs := wantSession(t, db, current.Token)
		if cs.User.MustChangePassword {
			t.Error("MustChangePassword still set after the change")
		}
		wantNoSession(t, db, other.Token)
		wantSessionCount(t, db, actor, 1)
		_, _, err = login(db, email, initial, "192.0.2.1")
		wantKind(t, err, maillon.ErrUnauthenticated)
		mustLoginWith(t, db, email, newValid)

		wantKind(t, db.ChangePassword(ctx, maillon.Actor{}, current.Token, newValid, "encore une autre phrase"), maillon.ErrUnauthenticated)
	})
}

func TestSessionCount(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Comptage")
		admin := storetest.Actor(st.Admin)
		wantSessionCount(t, db, admin, 0)
		mustLogin(t, db, st.Admin) // will go idle
		db.Clock.Advance(20 * time.Minute)
		mustLogin(t, db, st.Admin)
		gone := mustLogin(t, db, st.Admin)
		mustLogin(t, db, st.Coordinator)
		if err := db.Logout(ctx, admin, gone.Token); err != nil {
			t.Fatal(err)
		}
		wantSessionCount(t, db, admin, 2)
		db.Clock.Advance(15 * time.Minute)
		wantSessionCount(t, db, admin, 1)
		wantSessionCount(t, db, storetest.Actor(st.Coordinator), 1)
		if _, err := db.SessionCount(ctx, maillon.Actor{}); !errors.Is(err, maillon.ErrUnauthenticated) {
			t.Fatalf("anonymous SessionCount error = %v", err)
		}
	})
}

func TestCleanupRemovesExpiredSessionsAndThrottling(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Ménage")
		idle := mustLogin(t, db, st.Admin)
		old := mustLogin(t, db, st.Mediator)
		if _, _, err := login(db, "faute@exemple.fr", "mauvais mot de passe", "192.0.2.50"); err == nil {
			t.Fatal("unknown e-mail accepted")
		}
		for range 35 { // keep one session active for 11h40
			db.Clock.Advance(20 * time.Minute)
			wantSession(t, db, old.Token)
		}
		db.Clock.Advance(10 * time.Minute)
		live := mustLogin(t, db, st.Coordinator)
		db.Clock.Advance(15 * time.Minute) // old passes 12 hours, live is 15 minutes idle
		if _, _, err := login(db, "faute@exemple.fr", "mauvais mot de passe", "192.0.2.51"); err == nil {
			t.Fatal("unknown e-mail accepted")
		}
		if n := rawCount(t, db, "select count(*) from sessions"); n != 3 {
			t.Fatalf("%d sessions before clean-up, want 3", n)
		}
		// Recent throttling rows: the e-mail (reset window) and the new client.
		throttleBefore := rawCount(t, db, "select count(*) from login_throttle")
		if err := db.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if n := rawCount(t, db, "select count(*) from sessions"); n != 1 {
			t.Fatalf("%d sessions after clean-up, want only the live one", n)
		}
		for _, s := range []*maillon.Session{idle, old} {
			wantNoSession(t, db, s.Token)
		}
		wantSession(t, db, live.Token)
		if n := rawCount(t, db, "select count(*) from login_throttle"); n != 2 || throttleBefore != 3 {
			t.Fatalf("throttling rows %d → %d, want 3 → 2 (the stale client row removed)", throttleBefore, n)
		}
	})
}

func login(db *storetest.DB, email, password, clientIP string) (*maillon.Session, *maillon.User, error) {
	return db.Login(ctx, maillon.LoginInput{Email: email, Password: password, ClientIP: clientIP, Channel: maillon.ChannelWeb, RequestID: "test-login"})
}

// mustLogin logs a fixture user in with storetest.Password.
func mustLogin(t *testing.T, db *storetest.DB, u *maillon.User) *maillon.Session {
	t.Helper()
	return mustLoginWith(t, db, u.Email, storetest.Password)
}

func mustLoginWith(t *testing.T, db *storetest.DB, email, password string) *maillon.Session {
	t.Helper()
	sess, _, err := login(db, email, password, "192.0.2.200")
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return sess
}

// wantBlocked fails unless a login with the right password is refused as
// throttled, and returns the error.
func wantBlocked(t *testing.T, db *storetest.DB, email, clientIP string) *maillon.Error {
	t.Helper()
	_, _, err := login(db, email, storetest.Password, clientIP)
	var e *maillon.Error
	if !errors.As(err, &e) || !errors.Is(err, maillon.ErrTooMany) {
		t.Fatalf("login with the right password = %v, want ErrTooMany", err)
	}
	if e.RetryAfterSeconds <= 0 || e.Message == "" {
		t.Fatalf("throttled error %+v has no retry delay or message", e)
	}
	return e
}

func wantSession(t *testing.T, db *storetest.DB, token string) *maillon.CurrentSession {
	t.Helper()
	cs, err := db.Session(ctx, token)
	if err != nil {
		t.Fatalf("session ended: %v", err)
	}
	return cs
}

func wantNoSession(t *testing.T, db *storetest.DB, token string) {
	t.Helper()
	cs, err := db.Session(ctx, token)
	if !errors.Is(err, maillon.ErrUnauthenticated) || cs != nil {
		t.Fatalf("Session = %v, %v; want ErrUnauthenticated", cs, err)
	}
}

func wantSessionCount(t *testing.T, db *storetest.DB, actor maillon.Actor, want int) {
	t.Helper()
	n, err := db.SessionCount(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("SessionCount = %d, want %d", n, want)
	}
}
