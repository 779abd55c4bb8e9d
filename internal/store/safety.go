package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"maillon"
)

// openCheckInID returns the ID of uid's open check-in, or 0.
func (t *tx) openCheckInID(ctx context.Context, uid maillon.UserID) (maillon.CheckInID, error) {
	var id maillon.CheckInID
	err := t.one(ctx, "select id from checkins where user_id = ? and checked_out_at is null", []any{uid}, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

const selectCheckIns = `select ci.id, ci.structure_id, ci.user_id, u.display_name, ci.kind, ci.tournee_id, ci.started_at,
	ci.expected_end_at, ci.checked_out_at, ci.closed_by, coalesce(cb.display_name, ''), ci.commune_id, ci.zone_id,
	coalesce(c.name, ''), coalesce(z.name, ''), ci.place_label
from checkins ci
join users u on u.id = ci.user_id
left join users cb on cb.id = ci.closed_by
left join communes c on c.id = ci.commune_id
left join zones z on z.id = ci.zone_id`

func scanCheckIn(scan func(...any) error) (maillon.CheckIn, error) {
	var c maillon.CheckIn
	err := scan(&c.ID, &c.StructureID, &c.UserID, &c.UserName, &c.Kind, scanID(&c.TourneeID), timeCol{&c.StartedAt},
		timeCol{&c.ExpectedEndAt}, timeCol{&c.CheckedOutAt}, scanID(&c.ClosedByID), &c.ClosedByName, scanID(&c.CommuneID),
		scanID(&c.ZoneID), &c.CommuneName, &c.ZoneName, &c.PlaceLabel)
	return c, err
}

// checkInByID loads a check-in of the actor's structure, or ErrNotFound.
func (t *tx) checkInByID(ctx context.Context, actor maillon.Actor, id maillon.CheckInID) (*maillon.CheckIn, error) {
	q := selectCheckIns + " where ci.id = ?"
	c, err := scanCheckIn(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(c.StructureID)) {
		return nil, maillon.NotFound("Départ")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &c, nil
}

// StartHomeVisit implements maillon.SafetyService.
func (s *Store) StartHomeVisit(ctx context.Context, actor maillon.Actor, in maillon.HomeVisitInput) (c *maillon.CheckIn, err error) {
	defer wrap(&err, "StartHomeVisit")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 || actor.UserID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		end, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		var fe maillon.FieldErrors
		if err := t.checkPlace(ctx, actor.StructureID, in.CommuneID, in.ZoneID, &fe); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		open, err := t.openCheckInID(ctx, actor.UserID)
		if err != nil {
			return err
		}
		if open != 0 {
			return maillon.Errorf(maillon.ErrConflict, "Un départ est déjà en cours : signalez d'abord votre retour.")
		}
		id, err := t.insert(ctx, `insert into checkins (structure_id, user_id, kind, commune_id, zone_id, place_label,
			started_at, expected_end_at) values (?, ?, 'domicile', ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, actor.UserID, in.CommuneID, optID(in.ZoneID), in.PlaceLabel, t.now, end)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditCheckInStart, recordType: "checkin", recordID: id}); err != nil {
			return err
		}
		c, err = t.checkInByID(ctx, actor, maillon.CheckInID(id))
		return err
	})
	return c, err
}

// FindOpenCheckIn implements maillon.SafetyService.
func (s *Store) FindOpenCheckIn(ctx context.Context, actor maillon.Actor) (c *maillon.CheckIn, err error) {
	defer wrap(&err, "FindOpenCheckIn")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.UserID == 0 {
		return nil, nil
	}
	err = s.readEach(ctx, func(t *tx) error {
		q := selectCheckIns + " where ci.user_id = ? and ci.checked_out_at is null"
		found, err := scanCheckIn(t.queryRow(ctx, q, []any{int64(actor.UserID)}).Scan)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return wrapQuery(q, err)
		}
		c = &found
		return nil
	})
	return c, err
}

// ownOpenCheckIn loads a check-in the actor may close or extend.
func (t *tx) ownOpenCheckIn(ctx context.Context, actor maillon.Actor, id maillon.CheckInID) (*maillon.CheckIn, error) {
	c, err := t.checkInByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanCheckOut(c) {
		return nil, maillon.Forbidden()
	}
	if !c.Open() {
		return nil, maillon.Errorf(maillon.ErrConflict, "Ce départ est déjà clos.")
	}
	return c, nil
}

// CheckOut implements maillon.SafetyService.
func (s *Store) CheckOut(ctx context.Context, actor maillon.Actor, id maillon.CheckInID) (err error) {
	defer wrap(&err, "CheckOut")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.ownOpenCheckIn(ctx, actor, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update checkins set checked_out_at = ? where id = ?", t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditCheckOut, recordType: "checkin", recordID: int64(id)})
	})
}

// ExtendCheckIn implements maillon.SafetyService.
func (s *Store) ExtendCheckIn(ctx context.Context, actor maillon.Actor, id maillon.CheckInID) (err error) {
	defer wrap(&err, "ExtendCheckIn")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		c, err := t.ownOpenCheckIn(ctx, actor, id)
		if err != nil {
			return err
		}
		from := c.ExpectedEndAt
		if from.Before(t.now) {
			from = t.now
		}
		end := from.Add(maillon.ExtendMinutes * time.Minute)
		if end.After(t.now.Add(maillon.MaxExpectedAhead)) {
			return maillon.Errorf(maillon.ErrConflict, "L'heure de fin prévue doit rester dans les 14 prochaines heures : signalez votre retour, puis déclarez un nouveau départ.")
		}
		if _, err := t.exec(ctx, "update checkins set expected_end_at = ? where id = ?", end, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditCheckInExtend, recordType: "checkin", recordID: int64(id),
			fields: []string{"expected_end_at"}})
	})
}

// FindOverdueCheckIns implements maillon.SafetyService.
func (s *Store) FindOverdueCheckIns(ctx context.Context, actor maillon.Actor) (out []maillon.CheckIn, err error) {
	defer wrap(&err, "FindOverdueCheckIns")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if !actor.CanViewTeamData(actor.StructureID) || actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, selectCheckIns+` where ci.structure_id = ? and ci.checked_out_at is null and ci.expected_end_at < ?
			order by ci.expected_end_at, ci.id limit 100`, []any{actor.StructureID, t.now}, func(r *sql.Rows) error {
			c, err := scanCheckIn(r.Scan)
			out = append(out, c)
			return err
		})
	})
	return out, err
}

// AcknowledgeCheckIn implements maillon.SafetyService.
func (s *Store) AcknowledgeCheckIn(ctx context.Context, actor maillon.Actor, id maillon.CheckInID) (err error) {
	defer wrap(&err, "AcknowledgeCheckIn")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		c, err := t.checkInByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanAcknowledgeCheckIn(c) {
			return maillon.Forbidden()
		}
		if !c.Open() {
			return maillon.Errorf(maillon.ErrConflict, "Ce départ est déjà clos.")
		}
		if _, err := t.exec(ctx, "update checkins set checked_out_at = ?, closed_by = ? where id = ?", t.now, optID(actor.UserID), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditCheckInAcknowledge, recordType: "checkin", recordID: int64(id)})
	})
}
