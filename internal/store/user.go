package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"maillon"
)

const selectUsers = `select u.id, u.structure_id, u.team_id, coalesce(t.name, ''), u.email, u.display_name,
	u.role, u.active, u.must_change_password, u.last_login_at, u.created_at, u.updated_at
from users u
left join teams t on t.id = u.team_id`

func scanUser(scan func(...any) error, extra ...any) (maillon.User, error) {
	var u maillon.User
	var role string
	dest := append([]any{&u.ID, &u.StructureID, scanID(&u.TeamID), &u.TeamName, &u.Email, &u.DisplayName,
		&role, &u.Active, &u.MustChangePassword, timeCol{&u.LastLoginAt}, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}}, extra...)
	err := scan(dest...)
	u.Role = maillon.Role(role)
	return u, err
}

func (s *Store) hash(password string) (string, error) {
	if s.hasher == nil {
		return "", errors.New("store: no password hasher configured")
	}
	return s.hasher.Hash(password)
}

// userSearchKey is the folded text that user searches match, computed in
// Go so that both engines ignore case and accents the same way.
func userSearchKey(name, email string) string {
	return maillon.FoldText(name) + " " + email
}

func emailTaken() error {
	return &maillon.Error{Kind: maillon.ErrConflict, Message: "Un compte utilise déjà cette adresse e-mail.",
		Fields: map[string]string{"email": "Un compte utilise déjà cette adresse e-mail."}}
}

// insertUser creates a user; the caller has validated the input.
func (t *tx) insertUser(ctx context.Context, sid maillon.StructureID, in maillon.UserInput, hash string) (*maillon.User, error) {
	var n int
	if err := t.one(ctx, "select count(*) from users where email = ?", []any{in.Email}, &n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, emailTaken()
	}
	if in.TeamID != 0 {
		var teamSID maillon.StructureID
		err := t.one(ctx, "select structure_id from teams where id = ?", []any{in.TeamID}, &teamSID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && teamSID != sid) {
			return nil, &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.",
				Fields: map[string]string{"team_id": "Choisissez une équipe de la structure."}}
		}
		if err != nil {
			return nil, err
		}
	}
	id, err := t.insert(ctx, `insert into users
		(structure_id, team_id, email, display_name, search_key, role, password_hash, active, must_change_password, created_at, updated_at)
		values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		returning id`,
		sid, optID(in.TeamID), in.Email, in.DisplayName, userSearchKey(in.DisplayName, in.Email), string(in.Role), hash, true, in.MustChangePassword, t.now, t.now)
	if err != nil {
		return nil, err
	}
	return t.userByID(ctx, maillon.UserID(id))
}

func (t *tx) userByID(ctx context.Context, id maillon.UserID) (*maillon.User, error) {
	q := selectUsers + " where u.id = ?"
	u, err := scanUser(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, maillon.NotFound("Compte")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &u, nil
}

// userInScope loads a user the actor may see, or ErrNotFound.
func (t *tx) userInScope(ctx context.Context, actor maillon.Actor, id maillon.UserID) (*maillon.User, error) {
	u, err := t.userByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.InStructure(u.StructureID) {
		return nil, maillon.NotFound("Compte")
	}
	return u, nil
}

// FindUsers implements maillon.UserService.
func (s *Store) FindUsers(ctx context.Context, actor maillon.Actor, f maillon.UserFilter) (out []maillon.User, total int, err error) {
	defer wrap(&err, "FindUsers")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	if !actor.CanViewTeamData(actor.StructureID) {
		return nil, 0, maillon.Forbidden()
	}
	var w whereBuilder
	w.add("u.structure_id = ?", actor.StructureID)
	if f.TeamID != 0 {
		w.add("u.team_id = ?", f.TeamID)
	}
	if f.Role != "" {
		w.add("u.role = ?", string(f.Role))
	}
	if f.ActiveOnly {
		w.add("u.active = ?", true)
	}
	if q := strings.TrimSpace(maillon.FoldText(f.Query)); q != "" {
		p := likePattern(q)
		w.add(`u.search_key like ? escape '\'`, p)
	}
	limit := pageLimit(f.Limit, 50, 500)
	err = s.read(ctx, func(t *tx) error {
		if err := t.one(ctx, "select count(*) from users u "+w.String(), w.args, &total); err != nil {
			return err
		}
		return t.many(ctx, selectUsers+"\n"+w.String()+"\norder by u.active desc, "+t.d.binaryOrder("u.search_key")+", u.id\nlimit ? offset ?",
			append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
				u, err := scanUser(r.Scan)
				out = append(out, u)
				return err
			})
	})
	return out, total, err
}

// FindColleagues implements maillon.UserService.
func (s *Store) FindColleagues(ctx context.Context, actor maillon.Actor) (out []maillon.User, err error) {
	defer wrap(&err, "FindColleagues")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, selectUsers+" where u.structure_id = ? and u.active = ? order by "+t.d.binaryOrder("u.search_key")+", u.id",
			[]any{actor.StructureID, true}, func(r *sql.Rows) error {
				u, err := scanUser(r.Scan)
				out = append(out, u)
				return err
			})
	})
	return out, err
}

// FindUserByID implements maillon.UserService. Users may read their own
// account; reading others needs CanViewTeamData.
func (s *Store) FindUserByID(ctx context.Context, actor maillon.Actor, id maillon.UserID) (u *maillon.User, err error) {
	defer wrap(&err, "FindUserByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		u, err = t.userInScope(ctx, actor, id)
		if err == nil && u.ID != actor.UserID && !actor.CanViewTeamData(u.StructureID) {
			return maillon.Forbidden()
		}
		return err
	})
	return u, err
}

// FindUserByEmail implements maillon.UserService.
func (s *Store) FindUserByEmail(ctx context.Context, actor maillon.Actor, email string) (u *maillon.User, err error) {
	defer wrap(&err, "FindUserByEmail")
	if !actor.Operator {
		return nil, maillon.Forbidden()
	}
	err = s.read(ctx, func(t *tx) error {
		q := selectUsers + " where u.email = ?"
		v, err := scanUser(t.queryRow(ctx, q, []any{maillon.NormalizeEmail(email)}).Scan)
		if errors.Is(err, sql.ErrNoRows) {
			return maillon.NotFound("Compte")
		}
		u = &v
		return err
	})
	return u, err
}

// CreateUser implements maillon.UserService.
func (s *Store) CreateUser(ctx context.Context, actor maillon.Actor, sid maillon.StructureID, in maillon.UserInput) (u *maillon.User, err error) {
	defer wrap(&err, "CreateUser")
	if err := s.checkAdmin(actor, sid); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.hash(in.Password)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		if _, err := t.structureByID(ctx, sid); err != nil {
			return err
		}
		u, err = t.insertUser(ctx, sid, in, hash)
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditUserCreate, recordType: "user", recordID: int64(u.ID)})
	})
	return u, err
}

// UpdateUser implements maillon.UserService.
func (s *Store) UpdateUser(ctx context.Context, actor maillon.Actor, id maillon.UserID, upd maillon.UserUpdate) (err error) {
	defer wrap(&err, "UpdateUser")
	if err := actor.Check(); err != nil {
		return err
	}
	if err := upd.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		u, err := t.userInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(u.StructureID) {
			return maillon.Forbidden()
		}
		var changed []string
		if upd.DisplayName != nil && *upd.DisplayName != u.DisplayName {
			changed = append(changed, "display_name")
			u.DisplayName = *upd.DisplayName
		}
		if upd.Role != nil && *upd.Role != u.Role {
			if u.ID == actor.UserID && u.Role == maillon.RoleAdmin {
				return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Vous ne pouvez pas retirer votre propre rôle d'administration.",
					Fields: map[string]string{"role": "Demandez à un autre administrateur ou une autre administratrice de le faire."}}
			}
			if u.Role == maillon.RoleAdmin && u.Active {
				if err := t.keepOneAdmin(ctx, u); err != nil {
					return err
				}
			}
			changed = append(changed, "role")
			u.Role = *upd.Role
		}
		if upd.TeamID != nil && *upd.TeamID != u.TeamID {
			if *upd.TeamID != 0 {
				if _, err := t.teamByID(ctx, maillon.Actor{StructureID: u.StructureID, UserID: actor.UserID}, *upd.TeamID); err != nil {
					return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.",
						Fields: map[string]string{"team_id": "Choisissez une équipe de la structure."}}
				}
			}
			changed = append(changed, "team")
			u.TeamID = *upd.TeamID
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := t.exec(ctx, "update users set display_name = ?, search_key = ?, role = ?, team_id = ?, updated_at = ? where id = ?",
			u.DisplayName, userSearchKey(u.DisplayName, u.Email), string(u.Role), optID(u.TeamID), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: u.StructureID, action: maillon.AuditUserUpdate, recordType: "user", recordID: int64(id), fields: changed})
	})
}

// SetUserActive implements maillon.UserService.
func (s *Store) SetUserActive(ctx context.Context, actor maillon.Actor, id maillon.UserID, active bool) (err error) {
	defer wrap(&err, "SetUserActive")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		u, err := t.userInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(u.StructureID) {
			return maillon.Forbidden()
		}
		if u.Active == active {
			return nil
		}
		action := maillon.AuditUserReactivate
		if !active {
			if u.ID == actor.UserID {
				return maillon.Errorf(maillon.ErrInvalid, "Vous ne pouvez pas désactiver votre propre compte.")
			}
			if u.Role == maillon.RoleAdmin {
				if err := t.keepOneAdmin(ctx, u); err != nil {
					return err
				}
			}
			action = maillon.AuditUserDeactivate
			if _, err := t.exec(ctx, "delete from sessions where user_id = ?", id); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, "update users set active = ?, updated_at = ? where id = ?", active, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: u.StructureID, action: action, recordType: "user", recordID: int64(id), fields: []string{"active"}})
	})
}

// ResetPassword implements maillon.UserService.
func (s *Store) ResetPassword(ctx context.Context, actor maillon.Actor, id maillon.UserID, password string) (err error) {
	defer wrap(&err, "ResetPassword")
	if err := actor.Check(); err != nil {
		return err
	}
	var u *maillon.User
	err = s.read(ctx, func(t *tx) error {
		u, err = t.userInScope(ctx, actor, id)
		return err
	})
	if err != nil {
		return err
	}
	if !actor.CanAdminStructure(u.StructureID) {
		return maillon.Forbidden()
	}
	// One's own password is changed with the current one (ChangePassword):
	// an open session alone must not be enough to replace it.
	if u.ID == actor.UserID {
		return maillon.Errorf(maillon.ErrInvalid, "Pour changer votre propre mot de passe, passez par « Mon compte » : votre mot de passe actuel vous sera demandé.")
	}
	if msg := maillon.CheckPassword(password, u.Email, u.DisplayName); msg != "" {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: map[string]string{"password": msg}}
	}
	hash, err := s.hash(password)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		// Unless an operator resets it from the command line for the user
		// themself, the new password is temporary.
		n, err := t.exec(ctx, "update users set password_hash = ?, must_change_password = ?, updated_at = ? where id = ?",
			hash, true, t.now, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return maillon.NotFound("Compte")
		}
		if _, err := t.exec(ctx, "delete from sessions where user_id = ?", id); err != nil {
			return err
		}
		// Unblock a throttled account: the administrator vouches for it.
		if _, err := t.exec(ctx, "delete from login_throttle where key = ?", accountKey(id)); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: u.StructureID, action: maillon.AuditUserPasswordReset, recordType: "user", recordID: int64(id), fields: []string{"password"}})
	})
}

// keepOneAdmin refuses to take away u's administration when u is the
// structure's last active administrator: a structure without one could no
// longer be managed from the web.
func (t *tx) keepOneAdmin(ctx context.Context, u *maillon.User) error {
	var admins int
	if err := t.one(ctx, "select count(*) from users where structure_id = ? and role = 'admin' and active = ? and id <> ?",
		[]any{u.StructureID, true, u.ID}, &admins); err != nil {
		return err
	}
	if admins == 0 {
		return &maillon.Error{Kind: maillon.ErrInvalid,
			Message: "C'est le dernier compte d'administration actif de la structure : désignez d'abord un autre administrateur ou une autre administratrice.",
			Fields:  map[string]string{"role": "Dernier compte d'administration actif de la structure."}}
	}
	return nil
}
