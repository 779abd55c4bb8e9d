package store

import (
	"context"
	"database/sql"
	"errors"

	"maillon"
)

const selectTeams = `select t.id, t.structure_id, t.name, t.description, t.created_at,
	(select count(*) from users u where u.team_id = t.id and u.active)
from teams t`

func scanTeam(scan func(...any) error) (maillon.Team, error) {
	var tm maillon.Team
	err := scan(&tm.ID, &tm.StructureID, &tm.Name, &tm.Description, timeCol{&tm.CreatedAt}, &tm.MemberCount)
	return tm, err
}

// FindTeams implements maillon.TeamService.
func (s *Store) FindTeams(ctx context.Context, actor maillon.Actor) (out []maillon.Team, err error) {
	defer wrap(&err, "FindTeams")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, selectTeams+" where t.structure_id = ? order by t.name, t.id", []any{actor.StructureID}, func(r *sql.Rows) error {
			tm, err := scanTeam(r.Scan)
			out = append(out, tm)
			return err
		})
	})
	sortByName(out, func(t maillon.Team) string { return t.Name }, func(t maillon.Team) int64 { return int64(t.ID) })
	return out, err
}

func (t *tx) teamByID(ctx context.Context, actor maillon.Actor, id maillon.TeamID) (*maillon.Team, error) {
	q := selectTeams + " where t.id = ?"
	tm, err := scanTeam(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(tm.StructureID)) {
		return nil, maillon.NotFound("Équipe")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &tm, nil
}

// FindTeamByID implements maillon.TeamService.
func (s *Store) FindTeamByID(ctx context.Context, actor maillon.Actor, id maillon.TeamID) (tm *maillon.Team, err error) {
	defer wrap(&err, "FindTeamByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		tm, err = t.teamByID(ctx, actor, id)
		return err
	})
	return tm, err
}

func teamNameTaken() error {
	return &maillon.Error{Kind: maillon.ErrConflict, Message: "Une équipe porte déjà ce nom.",
		Fields: map[string]string{"name": "Une équipe porte déjà ce nom : choisissez-en un autre."}}
}

func (t *tx) teamNameExists(ctx context.Context, sid maillon.StructureID, name string, except maillon.TeamID) (bool, error) {
	var n int
	err := t.one(ctx, "select count(*) from teams where structure_id = ? and name = ? and id <> ?", []any{sid, name, except}, &n)
	return n > 0, err
}

// CreateTeam implements maillon.TeamService.
func (s *Store) CreateTeam(ctx context.Context, actor maillon.Actor, in maillon.TeamInput) (tm *maillon.Team, err error) {
	defer wrap(&err, "CreateTeam")
	if err := s.checkAdmin(actor, actor.StructureID); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		if taken, err := t.teamNameExists(ctx, actor.StructureID, in.Name, 0); err != nil || taken {
			if taken {
				return teamNameTaken()
			}
			return err
		}
		id, err := t.insert(ctx, "insert into teams (structure_id, name, description, created_at) values (?, ?, ?, ?) returning id",
			actor.StructureID, in.Name, in.Description, t.now)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditTeamCreate, recordType: "team", recordID: id}); err != nil {
			return err
		}
		tm, err = t.teamByID(ctx, actor, maillon.TeamID(id))
		return err
	})
	return tm, err
}

// UpdateTeam implements maillon.TeamService.
func (s *Store) UpdateTeam(ctx context.Context, actor maillon.Actor, id maillon.TeamID, in maillon.TeamInput) (err error) {
	defer wrap(&err, "UpdateTeam")
	if err := actor.Check(); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := t.teamByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(old.StructureID) {
			return maillon.Forbidden()
		}
		if taken, err := t.teamNameExists(ctx, old.StructureID, in.Name, id); err != nil || taken {
			if taken {
				return teamNameTaken()
			}
			return err
		}
		var changed []string
		if old.Name != in.Name {
			changed = append(changed, "name")
		}
		if old.Description != in.Description {
			changed = append(changed, "description")
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := t.exec(ctx, "update teams set name = ?, description = ? where id = ?", in.Name, in.Description, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditTeamUpdate, recordType: "team", recordID: int64(id), fields: changed})
	})
}

// DeleteTeam implements maillon.TeamService.
func (s *Store) DeleteTeam(ctx context.Context, actor maillon.Actor, id maillon.TeamID) (err error) {
	defer wrap(&err, "DeleteTeam")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := t.teamByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(old.StructureID) {
			return maillon.Forbidden()
		}
		// Members stay in the structure, without a team (on delete set null).
		if _, err := t.exec(ctx, "delete from teams where id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditTeamDelete, recordType: "team", recordID: int64(id)})
	})
}
