package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"maillon"
)

// counterGrace is how long after its end a tournée's counters may still
// be corrected: the evening's figures are checked the next morning.
const counterGrace = 24 * time.Hour

// CreateTournee implements maillon.TourneeService.
func (s *Store) CreateTournee(ctx context.Context, actor maillon.Actor, in maillon.TourneeInput) (tr *maillon.Tournee, err error) {
	defer wrap(&err, "CreateTournee")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		start, expected, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		var fe maillon.FieldErrors
		for _, uid := range in.Members {
			ok, err := t.checkMember(ctx, actor.StructureID, uid)
			if err != nil {
				return err
			}
			if !ok {
				fe.Add("members", "Choisissez des membres actifs de la structure.")
				break
			}
		}
		var cid maillon.CommuneID
		err = t.one(ctx, "select commune_id from zones where id = ? and structure_id = ?", []any{in.ZoneID, actor.StructureID}, &cid)
		if errors.Is(err, sql.ErrNoRows) {
			fe.Add("zone_id", "Choisissez un quartier du territoire de la structure.")
		} else if err != nil {
			return err
		}
		// A lone tournée entered afterwards has no expected end and
		// no check-in: it is over.
		alone := len(in.Members) == 1 && !expected.IsZero()
		if alone && fe.Err() == nil {
			open, err := t.openCheckInID(ctx, in.Members[0])
			if err != nil {
				return err
			}
			if open != 0 {
				fe.Add("members", "Un départ seul ou seule est déjà en cours pour cette personne : signalez d'abord son retour.")
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		st, err := t.structureByID(ctx, actor.StructureID)
		if err != nil {
			return err
		}
		id, err := t.insert(ctx, `insert into tournees (structure_id, commune_id, zone_id, start_at, outside_hours, created_by,
			created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, cid, in.ZoneID, start, st.OutsideOfficeHours(start), optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		for _, uid := range in.Members {
			if _, err := t.exec(ctx, "insert into tournee_members (tournee_id, user_id) values (?, ?)", id, uid); err != nil {
				return err
			}
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditTourneeCreate, recordType: "tournee", recordID: id}); err != nil {
			return err
		}
		if alone {
			started := start
			if started.After(t.now) {
				started = t.now
			}
			cin, err := t.insert(ctx, `insert into checkins (structure_id, user_id, kind, tournee_id, commune_id, zone_id,
				started_at, expected_end_at) values (?, ?, 'tournee', ?, ?, ?, ?, ?) returning id`,
				actor.StructureID, in.Members[0], id, cid, in.ZoneID, started, expected)
			if err != nil {
				return err
			}
			if err := t.audit(ctx, actor, auditRow{action: maillon.AuditCheckInStart, recordType: "checkin", recordID: cin}); err != nil {
				return err
			}
		}
		tr, err = t.tourneeByID(ctx, actor, maillon.TourneeID(id), false)
		return err
	})
	return tr, err
}

const selectTournees = `select tr.id, tr.structure_id, tr.commune_id, tr.zone_id, coalesce(c.name, ''), coalesce(z.name, ''),
	tr.start_at, tr.end_at, tr.outside_hours, tr.created_by, tr.created_at
from tournees tr
left join communes c on c.id = tr.commune_id
left join zones z on z.id = tr.zone_id`

func scanTournee(scan func(...any) error, extra ...any) (maillon.Tournee, error) {
	var tr maillon.Tournee
	err := scan(append([]any{&tr.ID, &tr.StructureID, scanID(&tr.CommuneID), scanID(&tr.ZoneID), &tr.CommuneName, &tr.ZoneName,
		timeCol{&tr.StartAt}, timeCol{&tr.EndAt}, &tr.OutsideHours, scanID(&tr.CreatedBy), timeCol{&tr.CreatedAt}}, extra...)...)
	return tr, err
}

// tourneeByID loads a tournée of the actor's structure with its members
// and counters (and observations when full), or ErrNotFound.
func (t *tx) tourneeByID(ctx context.Context, actor maillon.Actor, id maillon.TourneeID, full bool) (*maillon.Tournee, error) {
	q := selectTournees + " where tr.id = ?"
	tr, err := scanTournee(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(tr.StructureID)) {
		return nil, maillon.NotFound("Tournée")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	list := []maillon.Tournee{tr}
	if err := t.loadTourneeLinks(ctx, list); err != nil {
		return nil, err
	}
	out := &list[0]
	err = t.one(ctx, "select id from checkins where tournee_id = ?", []any{id}, scanID(&out.CheckInID))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if !full {
		return out, nil
	}
	err = t.many(ctx, `select o.id, o.kind, o.at, o.text, coalesce(u.display_name, '') from tournee_observations o
		left join users u on u.id = o.created_by where o.tournee_id = ? order by o.at, o.id`, []any{id},
		func(r *sql.Rows) error {
			var o maillon.TourneeObservation
			if err := r.Scan(&o.ID, &o.Kind, timeCol{&o.At}, &o.Text, &o.AuthorName); err != nil {
				return err
			}
			out.Observations = append(out.Observations, o)
			return nil
		})
	return out, err
}

// loadTourneeLinks fills the members and counters of a page of tournées.
func (t *tx) loadTourneeLinks(ctx context.Context, list []maillon.Tournee) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[maillon.TourneeID]int{}
	args := make([]any, len(list))
	for i, tr := range list {
		idx[tr.ID] = i
		args[i] = int64(tr.ID)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(list)), ", ") + ")"
	err := t.many(ctx, `select m.tournee_id, m.user_id, u.display_name from tournee_members m
		join users u on u.id = m.user_id where m.tournee_id in `+in+` order by m.tournee_id, u.display_name, u.id`, args,
		func(r *sql.Rows) error {
			var id maillon.TourneeID
			var uid maillon.UserID
			var name string
			if err := r.Scan(&id, &uid, &name); err != nil {
				return err
			}
			tr := &list[idx[id]]
			tr.Members = append(tr.Members, uid)
			tr.MemberNames = append(tr.MemberNames, name)
			return nil
		})
	if err != nil {
		return err
	}
	counts := map[maillon.TourneeID]map[string]int{}
	err = t.many(ctx, "select tournee_id, counter, n from tournee_counts where tournee_id in "+in, args,
		func(r *sql.Rows) error {
			var id maillon.TourneeID
			var code string
			var n int
			if err := r.Scan(&id, &code, &n); err != nil {
				return err
			}
			if counts[id] == nil {
				counts[id] = map[string]int{}
			}
			counts[id][code] = n
			return nil
		})
	if err != nil {
		return err
	}
	codes := maillon.TourneeCounterCodes()
	for i := range list {
		list[i].Counts = make([]maillon.TourneeCount, len(codes))
		for j, code := range codes {
			list[i].Counts[j] = maillon.TourneeCount{Code: code, Count: counts[list[i].ID][code]}
		}
	}
	return nil
}

// FindTourneeByID implements maillon.TourneeService.
func (s *Store) FindTourneeByID(ctx context.Context, actor maillon.Actor, id maillon.TourneeID) (tr *maillon.Tournee, err error) {
	defer wrap(&err, "FindTourneeByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		tr, err = t.tourneeByID(ctx, actor, id, true)
		return err
	})
	return tr, err
}

// FindTournees implements maillon.TourneeService.
func (s *Store) FindTournees(ctx context.Context, actor maillon.Actor, f maillon.TourneeFilter) (out []maillon.Tournee, total int, err error) {
	defer wrap(&err, "FindTournees")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	var w whereBuilder
	w.add("tr.structure_id = ?", actor.StructureID)
	if f.MemberID != 0 {
		w.add("tr.id in (select tournee_id from tournee_members where user_id = ?)", f.MemberID)
	}
	limit := pageLimit(f.Limit, 50, 500)
	q := strings.Replace(selectTournees, "from tournees tr", ", count(*) over ()\nfrom tournees tr", 1) +
		"\n" + w.String() + "\norder by tr.start_at desc, tr.id desc\nlimit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		err := t.many(ctx, q, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			tr, err := scanTournee(r.Scan, &total)
			out = append(out, tr)
			return err
		})
		if err != nil {
			return err
		}
		return t.loadTourneeLinks(ctx, out)
	})
	return out, total, err
}

// changeableTournee loads a tournée the actor may change.
func (t *tx) changeableTournee(ctx context.Context, actor maillon.Actor, id maillon.TourneeID) (*maillon.Tournee, error) {
	tr, err := t.tourneeByID(ctx, actor, id, false)
	if err != nil {
		return nil, err
	}
	if !actor.CanChangeTournee(tr) {
		return nil, maillon.Forbidden()
	}
	return tr, nil
}

// AddToTourneeCounter implements maillon.TourneeService.
func (s *Store) AddToTourneeCounter(ctx context.Context, actor maillon.Actor, id maillon.TourneeID, counter string, delta int) (n int, err error) {
	defer wrap(&err, "AddToTourneeCounter")
	out, err := s.AddToTourneeCounters(ctx, actor, id, []maillon.TourneeCount{{Code: counter, Count: delta}})
	if err != nil {
		return 0, err
	}
	return out[0].Count, nil
}

// AddToTourneeCounters implements maillon.TourneeService. Each update is
// a single statement relative to the stored value, so that two phones
// counting at once never lose a click.
func (s *Store) AddToTourneeCounters(ctx context.Context, actor maillon.Actor, id maillon.TourneeID, deltas []maillon.TourneeCount) (out []maillon.TourneeCount, err error) {
	defer wrap(&err, "AddToTourneeCounters")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if len(deltas) == 0 || len(deltas) > len(maillon.TourneeCounterCodes()) {
		return nil, maillon.Errorf(maillon.ErrInvalid, "Envoyez entre un et %d compteurs à la fois.", len(maillon.TourneeCounterCodes()))
	}
	for _, d := range deltas {
		if err := maillon.CheckTourneeDelta(d.Code, d.Count); err != nil {
			return nil, err
		}
	}
	err = s.write(ctx, func(t *tx) error {
		tr, err := t.changeableTournee(ctx, actor, id)
		if err != nil {
			return err
		}
		if tr.Ended() && t.now.Sub(tr.EndAt) > counterGrace {
			return maillon.Errorf(maillon.ErrInvalid, "Cette tournée est terminée depuis plus d'un jour : ses compteurs ne changent plus.")
		}
		out = make([]maillon.TourneeCount, len(deltas))
		for i, d := range deltas {
			out[i].Code = d.Code
			// A counter's row appears with its first click.
			if err := t.one(ctx, `insert into tournee_counts (tournee_id, counter, n) values (?, ?, ?)
				on conflict (tournee_id, counter) do update set n = case
					when tournee_counts.n + ? < 0 then 0
					when tournee_counts.n + ? > ? then ?
					else tournee_counts.n + ? end
				returning n`,
				[]any{id, d.Code, max(d.Count, 0), d.Count, d.Count, maillon.MaxTourneeCount, maillon.MaxTourneeCount, d.Count},
				&out[i].Count); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// AddTourneeObservation implements maillon.TourneeService.
func (s *Store) AddTourneeObservation(ctx context.Context, actor maillon.Actor, id maillon.TourneeID, in maillon.ObservationInput) (err error) {
	defer wrap(&err, "AddTourneeObservation")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.changeableTournee(ctx, actor, id); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		var n int
		if err := t.one(ctx, "select count(*) from tournee_observations where tournee_id = ?", []any{id}, &n); err != nil {
			return err
		}
		if n >= maillon.MaxTourneeObservations {
			var fe maillon.FieldErrors
			fe.Add("text", "Cette tournée compte déjà 100 observations, le maximum.")
			return fe.Err()
		}
		if _, err := t.exec(ctx, `insert into tournee_observations (tournee_id, kind, at, text, created_by)
			values (?, ?, ?, ?, ?)`, id, in.Kind, t.now, in.Text, optID(actor.UserID)); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditTourneeObservation, recordType: "tournee", recordID: int64(id)})
	})
}

// EndTournee implements maillon.TourneeService.
func (s *Store) EndTournee(ctx context.Context, actor maillon.Actor, id maillon.TourneeID, in maillon.TourneeEndInput) (err error) {
	defer wrap(&err, "EndTournee")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		tr, err := t.changeableTournee(ctx, actor, id)
		if err != nil {
			return err
		}
		if tr.Ended() {
			return maillon.Errorf(maillon.ErrConflict, "Cette tournée est déjà terminée.")
		}
		end, err := in.Validate(tr.StartAt, t.now)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update tournees set end_at = ?, updated_at = ? where id = ?", end, t.now, id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditTourneeEnd, recordType: "tournee", recordID: int64(id)}); err != nil {
			return err
		}
		var cin maillon.CheckInID
		err = t.one(ctx, "select id from checkins where tournee_id = ? and checked_out_at is null", []any{id}, &cin)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update checkins set checked_out_at = ? where id = ?", t.now, cin); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditCheckOut, recordType: "checkin", recordID: int64(cin)})
	})
}

// FindJournalTournees implements maillon.TourneeService.
func (s *Store) FindJournalTournees(ctx context.Context, actor maillon.Actor, scope maillon.JournalScope, day time.Time) (out []maillon.JournalTournee, err error) {
	defer wrap(&err, "FindJournalTournees")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if !scope.Valid() {
		return nil, maillon.Errorf(maillon.ErrInvalid, "Choisissez un médiateur ou une équipe.")
	}
	err = s.read(ctx, func(t *tx) error {
		out, err = t.journalTournees(ctx, actor, scope, day)
		return err
	})
	return out, err
}

// journalTournees checks the scope and the actor's rights, then lists
// the scope's tournées of the day.
func (t *tx) journalTournees(ctx context.Context, actor maillon.Actor, scope maillon.JournalScope, day time.Time) ([]maillon.JournalTournee, error) {
	var sid maillon.StructureID
	var err error
	if scope.MediatorID != 0 {
		err = t.one(ctx, "select structure_id from users where id = ?", []any{scope.MediatorID}, &sid)
	} else {
		err = t.one(ctx, "select structure_id from teams where id = ?", []any{scope.TeamID}, &sid)
	}
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
		return nil, maillon.NotFound("Main courante")
	}
	if err != nil {
		return nil, err
	}
	if !actor.CanViewJournal(sid, scope) {
		return nil, maillon.Forbidden()
	}
	return t.dayTournees(ctx, sid, scope, day)
}

// dayTournees lists the tournées of structure sid started on the Paris day
// of day by the mediator of scope (as a member) or by any member of its
// team, in start order. The main courante calls it in its transaction,
// once it has checked the scope.
func (t *tx) dayTournees(ctx context.Context, sid maillon.StructureID, scope maillon.JournalScope, day time.Time) ([]maillon.JournalTournee, error) {
	from, to := maillon.JournalBounds(day)
	var w whereBuilder
	w.add("tr.structure_id = ?", sid)
	w.add("tr.start_at >= ?", from)
	w.add("tr.start_at < ?", to)
	if scope.MediatorID != 0 {
		w.add("tr.id in (select tournee_id from tournee_members where user_id = ?)", scope.MediatorID)
	} else {
		w.add("tr.id in (select m.tournee_id from tournee_members m join users u on u.id = m.user_id where u.team_id = ?)", scope.TeamID)
	}
	var list []maillon.Tournee
	err := t.many(ctx, selectTournees+"\n"+w.String()+"\norder by tr.start_at, tr.id", w.args, func(r *sql.Rows) error {
		tr, err := scanTournee(r.Scan)
		list = append(list, tr)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := t.loadTourneeLinks(ctx, list); err != nil {
		return nil, err
	}
	out := make([]maillon.JournalTournee, len(list))
	for i := range list {
		tr := &list[i]
		out[i] = maillon.JournalTournee{ID: int64(tr.ID), StartAt: tr.StartAt, EndAt: tr.EndAt, Zone: tr.Zone(),
			Members: tr.MemberNames, OutsideHours: tr.OutsideHours, Counts: tr.JournalCounts()}
	}
	return out, nil
}
