package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"weak"

	"maillon"
)

// Login throttling. An account is blocked for a while after a few failures
// in a row; a client address after many, whatever accounts it tries. The
// state lives in the database so that every app node sees it.
const (
	throttleWindow          = 15 * time.Minute
	throttleBlock           = 15 * time.Minute
	throttleAccountFailures = 5
	throttleClientFailures  = 20
	// sessionTouchEvery limits writes: last_seen_at moves at most once a
	// minute per session, which is precise enough for a 30-minute timeout.
	sessionTouchEvery = time.Minute
)

func accountKey(id maillon.UserID) string { return "account:" + strconv.FormatInt(int64(id), 10) }

// digestKey keeps a stable key without storing the value itself.
func digestKey(prefix, v string) string {
	sum := sha256.Sum256([]byte(v))
	return prefix + hex.EncodeToString(sum[:12])
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func badCredentials() error {
	return &maillon.Error{Kind: maillon.ErrUnauthenticated, Message: "Adresse e-mail ou mot de passe incorrect."}
}

func tooMany(until, now time.Time) error {
	secs := int(until.Sub(now).Seconds()) + 1
	mins := (secs + 59) / 60
	return &maillon.Error{Kind: maillon.ErrTooMany, RetryAfterSeconds: secs,
		Message: "Trop de tentatives de connexion. Par sécurité, réessayez dans " + strconv.Itoa(mins) + " minute" + plural(mins) +
			", ou demandez à l'administration de votre structure de réinitialiser votre mot de passe."}
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

type credentials struct {
	id          maillon.UserID
	structureID maillon.StructureID
	hash        string
	active      bool
}

// Login implements maillon.AuthService.
func (s *Store) Login(ctx context.Context, in maillon.LoginInput) (sess *maillon.Session, u *maillon.User, err error) {
	defer wrap(&err, "Login")
	email := maillon.NormalizeEmail(in.Email)
	// An address with control characters matches no account; PostgreSQL
	// would refuse a NUL byte in the query with an error.
	if email == "" || in.Password == "" || len(email) > maillon.MaxEmailLen || len(in.Password) > maillon.MaxPasswordLen*4 ||
		strings.ContainsFunc(email, unicode.IsControl) {
		return nil, nil, badCredentials()
	}
	clientKey := digestKey("client:", in.ClientIP)
	actor := maillon.Actor{Channel: in.Channel, RequestID: in.RequestID}

	// 1. Who is it, and are they blocked? (read-only: no writer lock held
	// during the slow password check below).
	var cred credentials
	var blockedUntil time.Time
	err = s.read(ctx, func(t *tx) error {
		err := t.one(ctx, "select id, structure_id, password_hash, active from users where email = ?", []any{email},
			&cred.id, &cred.structureID, &cred.hash, &cred.active)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		keys := []any{clientKey, digestKey("email:", email)}
		if cred.id != 0 {
			keys[1] = accountKey(cred.id)
		}
		return t.many(ctx, "select blocked_until from login_throttle where key in (?, ?)", keys, func(r *sql.Rows) error {
			var until time.Time
			if err := r.Scan(timeCol{&until}); err != nil {
				return err
			}
			if until.After(blockedUntil) {
				blockedUntil = until
			}
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	now := s.clock()
	accKey := digestKey("email:", email)
	if cred.id != 0 {
		accKey = accountKey(cred.id)
		actor.StructureID = cred.structureID
	}
	if blockedUntil.After(now) {
		err := s.write(ctx, func(t *tx) error {
			if cred.id == 0 {
				return nil // nothing to attach the event to
			}
			return t.audit(ctx, actor, auditRow{action: maillon.AuditLoginThrottled, recordType: "user", recordID: int64(cred.id)})
		})
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, tooMany(blockedUntil, now)
	}

	// 2. Check the password. Unknown accounts are checked against a dummy
	// hash so that response time does not reveal which e-mails exist.
	ok := false
	if cred.id != 0 {
		ok, err = s.hasher.Verify(cred.hash, in.Password)
	} else {
		_, err = s.hasher.Verify(s.dummyHash(), in.Password)
	}
	if err != nil {
		return nil, nil, err
	}
	ok = ok && cred.active

	// 3. Record the outcome. A failure is committed (throttling counters
	// and audit entry) before its error is returned: returning the error
	// from the transaction would roll them back.
	var failure error
	err = s.write(ctx, func(t *tx) error {
		if !ok {
			until, err := t.countFailure(ctx, accKey, throttleAccountFailures)
			if err != nil {
				return err
			}
			cuntil, err := t.countFailure(ctx, clientKey, throttleClientFailures)
			if err != nil {
				return err
			}
			if cuntil.After(until) {
				until = cuntil
			}
			if cred.id != 0 {
				if err := t.audit(ctx, actor, auditRow{action: maillon.AuditLoginFailure, recordType: "user", recordID: int64(cred.id)}); err != nil {
					return err
				}
			}
			if !until.IsZero() {
				failure = tooMany(until, t.now)
			} else {
				failure = badCredentials()
			}
			return nil
		}
		if _, err := t.exec(ctx, "delete from login_throttle where key = ?", accKey); err != nil {
			return err
		}
		sess, err = t.createSession(ctx, cred.id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update users set last_login_at = ? where id = ?", t.now, cred.id); err != nil {
			return err
		}
		actor.UserID = cred.id
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditLoginSuccess, recordType: "user", recordID: int64(cred.id)}); err != nil {
			return err
		}
		u, err = t.userByID(ctx, cred.id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if failure != nil {
		return nil, nil, failure
	}
	return sess, u, nil
}

// countFailure counts one failure for key and returns the end of the block
// when the limit is reached, else the zero time.
func (t *tx) countFailure(ctx context.Context, key string, limit int) (time.Time, error) {
	var failures int
	var start time.Time
	err := t.one(ctx, "select failures, window_start from login_throttle where key = ?", []any{key}, &failures, timeCol{&start})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		failures, start = 0, t.now
	case err != nil:
		return time.Time{}, err
	case t.now.Sub(start) > throttleWindow:
		failures, start = 0, t.now
	}
	failures++
	var until time.Time
	if failures >= limit {
		until = t.now.Add(throttleBlock)
	}
	_, err = t.exec(ctx, `insert into login_throttle (key, failures, window_start, blocked_until) values (?, ?, ?, ?)
		on conflict (key) do update set failures = excluded.failures, window_start = excluded.window_start,
		blocked_until = excluded.blocked_until`, key, failures, start, until)
	return until, err
}

func (t *tx) createSession(ctx context.Context, uid maillon.UserID) (*maillon.Session, error) {
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, "insert into sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) values (?, ?, ?, ?, ?)",
		tokenHash(token), uid, csrf, t.now, t.now); err != nil {
		return nil, err
	}
	return &maillon.Session{Token: token, UserID: uid, CSRFToken: csrf, CreatedAt: t.now, LastSeenAt: t.now}, nil
}

// dummyHash is a hash of a random password, computed once.
func (s *Store) dummyHash() string {
	s.dummyOnce.Do(func() {
		tok, _ := randomToken()
		s.dummy, _ = s.hasher.Hash(tok)
	})
	return s.dummy
}

const selectSession = `select s.csrf_token, s.created_at, s.last_seen_at,
	u.id, u.structure_id, u.team_id, coalesce(t.name, ''), u.email, u.display_name,
	u.role, u.active, u.must_change_password, u.last_login_at, u.created_at, u.updated_at,
	st.id, st.name, st.siret, st.address_line, st.postal_code, st.city, st.email, st.phone,
	st.office_hours, st.holidays, st.created_at, st.updated_at
from sessions s
join users u on u.id = s.user_id
left join teams t on t.id = u.team_id
join structures st on st.id = u.structure_id
where s.token_hash = ?`

// sessionStmts holds selectSession prepared once per Store; database/sql
// then keeps it prepared on each pooled connection. On SQLite, parsing
// and planning this join cost more than running it. The key is a weak
// pointer, so that a closed and forgotten Store (tests open hundreds)
// takes its statement with it.
var sessionStmts sync.Map // weak.Pointer[Store] → *sql.Stmt

func (s *Store) sessionStmt(ctx context.Context) (*sql.Stmt, error) {
	key := weak.Make(s)
	if v, ok := sessionStmts.Load(key); ok {
		return v.(*sql.Stmt), nil
	}
	stmt, err := s.reader.PrepareContext(ctx, s.d.rebind(selectSession))
	if err != nil {
		return nil, wrapQuery(selectSession, err)
	}
	if v, loaded := sessionStmts.LoadOrStore(key, stmt); loaded {
		stmt.Close()
		return v.(*sql.Stmt), nil
	}
	runtime.AddCleanup(s, func(k weak.Pointer[Store]) {
		if v, ok := sessionStmts.LoadAndDelete(k); ok {
			v.(*sql.Stmt).Close()
		}
	}, key)
	return stmt, nil
}

// Session implements maillon.AuthService.
func (s *Store) Session(ctx context.Context, token string) (cs *maillon.CurrentSession, err error) {
	defer wrap(&err, "Session")
	if token == "" || len(token) > 100 {
		return nil, maillon.Unauthenticated()
	}
	h := tokenHash(token)
	var lastSeen time.Time
	// Every request runs this lookup: it is one statement, prepared once
	// (see sessionStmt) and run outside an explicit transaction, since a
	// single select is atomic on both engines. That saves parsing the
	// join on SQLite, and BEGIN and COMMIT round trips on PostgreSQL.
	stmt, err := s.sessionStmt(ctx)
	if err != nil {
		return nil, err
	}
	row := stmt.QueryRowContext(ctx, h)
	var c maillon.CurrentSession
	var sr structureRow
	u, err := scanUser(func(dest ...any) error {
		// The user columns come after the three session columns and
		// before the structure columns.
		return row.Scan(append(append([]any{&c.CSRFToken, timeCol{&c.CreatedAt}, timeCol{&lastSeen}}, dest...),
			sr.dest()...)...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, maillon.Unauthenticated()
	}
	if err != nil {
		return nil, wrapQuery(selectSession, err)
	}
	st, err := sr.finish()
	if err != nil {
		return nil, err
	}
	c.User, c.Structure = u, *st
	cs = &c
	now := s.clock()
	if !cs.User.Active || now.Sub(lastSeen) > s.policy.Idle || now.Sub(cs.CreatedAt) > s.policy.Absolute {
		return nil, &maillon.Error{Kind: maillon.ErrUnauthenticated, Message: "Votre session a expiré. Reconnectez-vous."}
	}
	if now.Sub(lastSeen) > sessionTouchEvery {
		err = s.write(ctx, func(t *tx) error {
			_, err := t.exec(ctx, "update sessions set last_seen_at = ? where token_hash = ?", t.now, h)
			return err
		})
	}
	return cs, err
}

// Logout implements maillon.AuthService.
func (s *Store) Logout(ctx context.Context, actor maillon.Actor, token string) (err error) {
	defer wrap(&err, "Logout")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, "delete from sessions where token_hash = ? and user_id = ?", tokenHash(token), actor.UserID)
		if err != nil || n == 0 {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditLogout, recordType: "user", recordID: int64(actor.UserID)})
	})
}

// LogoutEverywhere implements maillon.AuthService.
func (s *Store) LogoutEverywhere(ctx context.Context, actor maillon.Actor) (err error) {
	defer wrap(&err, "LogoutEverywhere")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "delete from sessions where user_id = ?", actor.UserID); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditLogoutEverywhere, recordType: "user", recordID: int64(actor.UserID)})
	})
}

// SessionCount implements maillon.AuthService.
func (s *Store) SessionCount(ctx context.Context, actor maillon.Actor) (n int, err error) {
	defer wrap(&err, "SessionCount")
	if err := actor.Check(); err != nil {
		return 0, err
	}
	now := s.clock()
	err = s.read(ctx, func(t *tx) error {
		return t.one(ctx, "select count(*) from sessions where user_id = ? and last_seen_at > ? and created_at > ?",
			[]any{actor.UserID, now.Add(-s.policy.Idle), now.Add(-s.policy.Absolute)}, &n)
	})
	return n, err
}

// ChangePassword implements maillon.AuthService.
func (s *Store) ChangePassword(ctx context.Context, actor maillon.Actor, token, current, next string) (err error) {
	defer wrap(&err, "ChangePassword")
	if err := actor.Check(); err != nil {
		return err
	}
	var cred credentials
	var u *maillon.User
	err = s.read(ctx, func(t *tx) error {
		if err := t.one(ctx, "select password_hash from users where id = ?", []any{actor.UserID}, &cred.hash); err != nil {
			return err
		}
		u, err = t.userByID(ctx, actor.UserID)
		return err
	})
	if err != nil {
		return err
	}
	// Guessing the current password from an open session is throttled
	// like a login, on the same account counter.
	var blocked time.Time
	err = s.read(ctx, func(t *tx) error {
		err := t.one(ctx, "select blocked_until from login_throttle where key = ?", []any{accountKey(actor.UserID)}, timeCol{&blocked})
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	if now := s.clock(); blocked.After(now) {
		return tooMany(blocked, now)
	}
	var fe maillon.FieldErrors
	ok, err := s.hasher.Verify(cred.hash, current)
	if err != nil {
		return err
	}
	if !ok {
		var until time.Time
		err := s.write(ctx, func(t *tx) error {
			var err error
			until, err = t.countFailure(ctx, accountKey(actor.UserID), throttleAccountFailures)
			return err
		})
		if err != nil {
			return err
		}
		if !until.IsZero() {
			return tooMany(until, s.clock())
		}
		fe.Add("current_password", "Le mot de passe actuel est incorrect.")
	}
	if msg := maillon.CheckPassword(next, u.Email, u.DisplayName); msg != "" {
		fe.Add("password", msg)
	} else if next == current {
		fe.Add("password", "Choisissez un mot de passe différent de l'actuel.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash, err := s.hash(next)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "update users set password_hash = ?, must_change_password = ?, updated_at = ? where id = ?",
			hash, false, t.now, actor.UserID); err != nil {
			return err
		}
		// Other devices must log in again with the new password.
		if _, err := t.exec(ctx, "delete from sessions where user_id = ? and token_hash <> ?", actor.UserID, tokenHash(token)); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPasswordChange, recordType: "user", recordID: int64(actor.UserID), fields: []string{"password"}})
	})
}

// Cleanup deletes expired sessions and stale throttling rows. It is run
// by the serve command's background job.
func (s *Store) Cleanup(ctx context.Context) (err error) {
	defer wrap(&err, "Cleanup")
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "delete from sessions where last_seen_at < ? or created_at < ?",
			t.now.Add(-s.policy.Idle), t.now.Add(-s.policy.Absolute)); err != nil {
			return err
		}
		_, err := t.exec(ctx, "delete from login_throttle where window_start < ? and (blocked_until is null or blocked_until < ?)",
			t.now.Add(-throttleWindow), t.now)
		return err
	})
}
