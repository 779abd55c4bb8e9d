package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"maillon"
)

const selectActivites = `select a.id, a.structure_id, a.title, a.kind, a.commune_id, a.zone_id, coalesce(c.name, ''),
	coalesce(z.name, ''), a.public, a.need, a.need_source, a.participation, a.resources, a.channels, a.accessibility,
	a.risks, a.starts_on, a.ends_on, a.status, a.cancel_reason, a.team_id, coalesce(t.name, ''), a.owner_id,
	coalesce(u.display_name, ''), coalesce(v.display_name, ''), a.validated_at, a.effects, a.testimonies, a.lessons,
	a.decision, a.decision_text, a.seance_count, a.created_at, a.updated_at
from activites a
left join communes c on c.id = a.commune_id
left join zones z on z.id = a.zone_id
left join teams t on t.id = a.team_id
left join users u on u.id = a.owner_id
left join users v on v.id = a.validated_by`

func scanActivite(scan func(...any) error) (maillon.Activite, error) {
	var a maillon.Activite
	var channels, access string
	err := scan(&a.ID, &a.StructureID, &a.Title, &a.Kind, scanID(&a.CommuneID), scanID(&a.ZoneID), &a.CommuneName,
		&a.ZoneName, &a.Public, &a.Need, &a.NeedSource, &a.Participation, &a.Resources, &channels, &access,
		&a.Risks, timeCol{&a.StartsOn}, timeCol{&a.EndsOn}, &a.Status, &a.CancelReason, scanID(&a.TeamID), &a.TeamName,
		scanID(&a.OwnerID), &a.OwnerName, &a.ValidatedByName, timeCol{&a.ValidatedAt}, &a.Effects, &a.Testimonies,
		&a.Lessons, &a.Decision, &a.DecisionText, &a.SeanceCount, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt})
	a.Channels, a.Accessibility = splitList(channels), splitList(access)
	return a, err
}

func activiteNotFound() error { return maillon.NotFound("Action collective") }

func invalidField(field, msg string) error {
	return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{field: msg}}
}

// activiteRow loads a project the actor may see, without its details;
// ErrNotFound otherwise, as for a missing one.
func (t *tx) activiteRow(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID) (*maillon.Activite, error) {
	q := selectActivites + " where a.id = ?"
	a, err := scanActivite(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.VisibleTo(actor)) {
		return nil, activiteNotFound()
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &a, nil
}

// openActivite loads a project that may still change.
func (t *tx) openActivite(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID) (*maillon.Activite, error) {
	a, err := t.activiteRow(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !a.Open() {
		return nil, maillon.Errorf(maillon.ErrInvalid, "L'action est « %s » : elle ne peut plus être modifiée.",
			maillon.ActiviteStatuses.Label(a.Status))
	}
	return a, nil
}

const selectSeances = `select id, activite_id, coalesce(series_id, id), starts_at, ends_at, place, capacity, facilitators,
	observations, attendance_done, registered, waiting, present, answers from seances`

func scanSeance(scan func(...any) error) (maillon.Seance, error) {
	var s maillon.Seance
	err := scan(&s.ID, &s.ActiviteID, &s.SeriesID, timeCol{&s.StartsAt}, timeCol{&s.EndsAt}, &s.Place, &s.Capacity,
		&s.Facilitators, &s.Observations, &s.AttendanceDone, &s.Registered, &s.Waiting, &s.Present, &s.Answers)
	return s, err
}

// activiteDetails fills a project's objectives, partners, budget,
// adjustments, sessions and figures; full adds what the bilan shows
// (breakdowns, satisfaction per question).
func (t *tx) activiteDetails(ctx context.Context, a *maillon.Activite, full bool) error {
	id := int64(a.ID)
	err := t.many(ctx, `select id, label, indicator, target, unit, entered from activite_objectives
		where activite_id = ? order by id`, []any{id}, func(r *sql.Rows) error {
		var o maillon.ActiviteObjective
		var entered sql.NullInt64
		err := r.Scan(&o.ID, &o.Label, &o.Indicator, &o.Target, &o.Unit, &entered)
		o.Entered, o.HasEntered = int(entered.Int64), entered.Valid
		a.Objectives = append(a.Objectives, o)
		return err
	})
	if err != nil {
		return err
	}
	err = t.many(ctx, `select p.id, p.directory_id, coalesce(d.nom, p.name), p.role from activite_partners p
		left join directory_structures d on d.id = p.directory_id where p.activite_id = ? order by p.id`, []any{id},
		func(r *sql.Rows) error {
			var p maillon.ActivitePartner
			err := r.Scan(&p.ID, scanID(&p.DirectoryID), &p.Name, &p.Role)
			a.Partners = append(a.Partners, p)
			return err
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, `select id, funder, label, planned, actual from activite_budget where activite_id = ? order by id`,
		[]any{id}, func(r *sql.Rows) error {
			var b maillon.BudgetLine
			err := r.Scan(&b.ID, &b.Funder, &b.Label, &b.Planned, &b.Actual)
			a.Budget = append(a.Budget, b)
			return err
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, `select j.id, j.at, j.what, j.why, coalesce(u.display_name, '') from activite_adjustments j
		left join users u on u.id = j.author_id where j.activite_id = ? order by j.at, j.id`, []any{id},
		func(r *sql.Rows) error {
			var j maillon.Adjustment
			err := r.Scan(&j.ID, timeCol{&j.At}, &j.What, &j.Why, &j.AuthorName)
			a.Adjustments = append(a.Adjustments, j)
			return err
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, selectSeances+" where activite_id = ? order by starts_at, id", []any{id}, func(r *sql.Rows) error {
		s, err := scanSeance(r.Scan)
		a.Seances = append(a.Seances, s)
		return err
	})
	if err != nil {
		return err
	}
	return t.activiteFigures(ctx, a, full)
}

// activiteFigures sums the attendance and the satisfaction of a project
// and computes the achieved value of its objectives.
func (t *tx) activiteFigures(ctx context.Context, a *maillon.Activite, full bool) error {
	id := int64(a.ID)
	f := &a.Figures
	for _, s := range a.Seances {
		if s.AttendanceDone {
			f.SessionsHeld++
		}
	}
	err := t.many(ctx, `select r.attendance, sum(r.count) from seance_registrations r join seances s on s.id = r.seance_id
		where s.activite_id = ? and not r.waiting group by r.attendance`, []any{id}, func(r *sql.Rows) error {
		var att string
		var n int
		err := r.Scan(&att, &n)
		f.Registered += n
		switch att {
		case maillon.PresencePresent:
			f.Present += n
		case maillon.PresenceExcuse:
			f.Excused += n
		case maillon.PresenceAbsent:
			f.Absent += n
		}
		return err
	})
	if err != nil {
		return err
	}
	ages, genders, zones := map[string]int{}, map[string]int{}, map[string]int{}
	err = t.many(ctx, `select g.age_band, g.gender, coalesce(z.name, ''), g.newcomer, sum(g.count) from seance_tallies g
		join seances s on s.id = g.seance_id left join zones z on z.id = g.zone_id
		where s.activite_id = ? group by g.age_band, g.gender, z.name, g.newcomer`, []any{id}, func(r *sql.Rows) error {
		var age, gender, zone string
		var newcomer bool
		var n int
		err := r.Scan(&age, &gender, &zone, &newcomer, &n)
		f.Anonymous += n
		if newcomer {
			f.Newcomers += n
		}
		ages[age] += n
		genders[gender] += n
		if zone == "" {
			zone = "Quartier non précisé"
		}
		zones[zone] += n
		return err
	})
	if err != nil {
		return err
	}
	if full {
		for _, c := range maillon.AgeBands {
			if ages[c.Code] > 0 {
				f.ByAge = append(f.ByAge, maillon.CountLine{Label: c.Label, Count: ages[c.Code]})
			}
		}
		for _, c := range maillon.Genders {
			if genders[c.Code] > 0 {
				f.ByGender = append(f.ByGender, maillon.CountLine{Label: c.Label, Count: genders[c.Code]})
			}
		}
		for z, n := range zones {
			f.ByZone = append(f.ByZone, maillon.CountLine{Label: z, Count: n})
		}
		sortByName(f.ByZone, func(c maillon.CountLine) string { return c.Label }, func(maillon.CountLine) int64 { return 0 })
	}
	var err2 error
	a.Satisfaction, a.SatisfactionByQ, err2 = t.satisfaction(ctx, "s.activite_id = ?", id)
	if err2 != nil {
		return err2
	}
	for i := range a.Objectives {
		o := &a.Objectives[i]
		switch o.Indicator {
		case maillon.IndicatorPresences:
			o.Achieved, o.HasAchieved = f.Presences(), true
		case maillon.IndicatorSeances:
			o.Achieved, o.HasAchieved = f.SessionsHeld, true
		case maillon.IndicatorNouveaux:
			o.Achieved, o.HasAchieved = f.Newcomers, true
		default:
			o.Achieved, o.HasAchieved = o.Entered, o.HasEntered
		}
	}
	return nil
}

// satisfactionQuery sums the answers per question and level in one row.
var satisfactionQuery = func() string {
	var cols []string
	for q := 1; q <= len(maillon.SatisfactionQuestions); q++ {
		for lv := 1; lv <= 4; lv++ {
			cols = append(cols, fmt.Sprintf("coalesce(sum(case when a.q%d = %d then 1 else 0 end), 0)", q, lv))
		}
	}
	return "select count(*), " + strings.Join(cols, ", ") + " from seance_answers a join seances s on s.id = a.seance_id where "
}()

// satisfaction aggregates the answers of the sessions matching cond.
func (t *tx) satisfaction(ctx context.Context, cond string, arg int64) (maillon.Satisfaction, []maillon.QuestionScore, error) {
	var sat maillon.Satisfaction
	n := len(maillon.SatisfactionQuestions)
	counts := make([]int, n*4)
	dest := []any{&sat.Answers}
	for i := range counts {
		dest = append(dest, &counts[i])
	}
	if err := t.one(ctx, satisfactionQuery+cond, []any{arg}, dest...); err != nil {
		return sat, nil, err
	}
	qs := make([]maillon.QuestionScore, n)
	for q := range n {
		qs[q].Question = maillon.SatisfactionQuestions[q]
		for lv := range 4 {
			c := counts[q*4+lv]
			qs[q].Counts[lv] = c
			qs[q].Total += c
			qs[q].Sum += c * (lv + 1)
		}
		sat.Sum += qs[q].Sum
		sat.Scored += qs[q].Total
	}
	return sat, qs, nil
}

// CreateActivite implements maillon.ActiviteService.
func (s *Store) CreateActivite(ctx context.Context, actor maillon.Actor, in maillon.ActiviteInput) (a *maillon.Activite, err error) {
	defer wrap(&err, "CreateActivite")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		start, end, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		team, err := t.activiteTeam(ctx, actor, in)
		if err != nil {
			return err
		}
		id, err := t.insert(ctx, `insert into activites (structure_id, title, kind, commune_id, zone_id, public, need,
			need_source, participation, resources, channels, accessibility, risks, starts_on, ends_on, team_id, owner_id,
			created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, in.Title, in.Kind, optID(in.CommuneID), optID(in.ZoneID), in.Public, in.Need, in.NeedSource,
			in.Participation, in.Resources, strings.Join(in.Channels, ","), strings.Join(in.Accessibility, ","), in.Risks,
			start, end, optID(team), optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditActiviteCreate, recordType: "activite", recordID: id}); err != nil {
			return err
		}
		a, err = t.activiteRow(ctx, actor, maillon.ActiviteID(id))
		return err
	})
	return a, err
}

// activiteTeam checks the place and returns the project's team: the
// coordination chooses, mediators work for their own.
func (t *tx) activiteTeam(ctx context.Context, actor maillon.Actor, in maillon.ActiviteInput) (maillon.TeamID, error) {
	team := actor.TeamID
	var fe maillon.FieldErrors
	if actor.CanViewTeamData(actor.StructureID) {
		team = in.TeamID
		if team != 0 {
			var n int
			if err := t.one(ctx, "select count(*) from teams where id = ? and structure_id = ?", []any{team, actor.StructureID}, &n); err != nil {
				return 0, err
			}
			if n == 0 {
				fe.Add("team_id", "Choisissez une équipe de la structure.")
			}
		}
	}
	if err := t.checkPlace(ctx, actor.StructureID, in.CommuneID, in.ZoneID, &fe); err != nil {
		return 0, err
	}
	if fe["commune_id"] != "" || fe["zone_id"] != "" {
		fe.Add("place", "Choisissez un lieu du territoire de la structure.")
		delete(fe, "commune_id")
		delete(fe, "zone_id")
	}
	return team, fe.Err()
}

// UpdateActivite implements maillon.ActiviteService.
func (s *Store) UpdateActivite(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.ActiviteInput) (err error) {
	defer wrap(&err, "UpdateActivite")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		start, end, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		team, err := t.activiteTeam(ctx, actor, in)
		if err != nil {
			return err
		}
		if !actor.CanViewTeamData(a.StructureID) {
			team = a.TeamID // a mediator does not move a project to another team
		}
		changed := activiteChanges(a, in, start, end, team)
		if len(changed) == 0 {
			return nil
		}
		if a.Validated() && in.Why == "" {
			return invalidField("why", "L'action est validée : expliquez en quelques mots pourquoi elle change, pour le journal des ajustements.")
		}
		if _, err := t.exec(ctx, `update activites set title = ?, kind = ?, commune_id = ?, zone_id = ?, public = ?, need = ?,
			need_source = ?, participation = ?, resources = ?, channels = ?, accessibility = ?, risks = ?, starts_on = ?,
			ends_on = ?, team_id = ?, updated_at = ? where id = ?`,
			in.Title, in.Kind, optID(in.CommuneID), optID(in.ZoneID), in.Public, in.Need, in.NeedSource, in.Participation,
			in.Resources, strings.Join(in.Channels, ","), strings.Join(in.Accessibility, ","), in.Risks, start, end,
			optID(team), t.now, id); err != nil {
			return err
		}
		if a.Validated() || in.Why != "" {
			if err := t.addAdjustment(ctx, actor, id, "Modifié : "+strings.Join(changed, ", "), in.Why); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditActiviteUpdate, recordType: "activite", recordID: int64(id),
			fields: changed})
	})
}

// activiteChanges names the changed fields, in French for the log.
func activiteChanges(a *maillon.Activite, in maillon.ActiviteInput, start, end time.Time, team maillon.TeamID) []string {
	var out []string
	add := func(changed bool, label string) {
		if changed {
			out = append(out, label)
		}
	}
	add(a.Title != in.Title, "titre")
	add(a.Kind != in.Kind, "type")
	add(a.CommuneID != in.CommuneID || a.ZoneID != in.ZoneID, "territoire")
	add(a.Public != in.Public, "public visé")
	add(a.Need != in.Need || a.NeedSource != in.NeedSource, "besoin identifié")
	add(a.Participation != in.Participation, "participation des habitants")
	add(a.Resources != in.Resources, "moyens")
	add(strings.Join(a.Channels, ",") != strings.Join(in.Channels, ","), "communication")
	add(strings.Join(a.Accessibility, ",") != strings.Join(in.Accessibility, ","), "accessibilité")
	add(a.Risks != in.Risks, "risques")
	add(!a.StartsOn.Equal(start) || !a.EndsOn.Equal(end), "dates")
	add(a.TeamID != team, "équipe")
	return out
}

func (t *tx) addAdjustment(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, what, why string) error {
	if why == "" {
		why = "Non précisé"
	}
	_, err := t.exec(ctx, `insert into activite_adjustments (activite_id, at, what, why, author_id) values (?, ?, ?, ?, ?)`,
		id, t.now, what, why, optID(actor.UserID))
	return err
}

// touch records a change of a project: its date and the audit row.
func (t *tx) touch(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, action maillon.AuditAction, fields ...string) error {
	if _, err := t.exec(ctx, "update activites set updated_at = ? where id = ?", t.now, id); err != nil {
		return err
	}
	return t.audit(ctx, actor, auditRow{action: action, recordType: "activite", recordID: int64(id), fields: fields})
}

// FindActivite implements maillon.ActiviteService. The project and its
// figures name nobody (the registrations are read with a session, and
// audited there): it runs on the readers, unaudited, like the lists.
func (s *Store) FindActivite(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID) (a *maillon.Activite, err error) {
	defer wrap(&err, "FindActivite")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		if a, err = t.activiteRow(ctx, actor, id); err != nil {
			return err
		}
		return t.activiteDetails(ctx, a, true)
	})
	return a, err
}

// FindActivites implements maillon.ActiviteService.
func (s *Store) FindActivites(ctx context.Context, actor maillon.Actor, f maillon.ActiviteFilter) (out []maillon.Activite, total int, err error) {
	defer wrap(&err, "FindActivites")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	var w whereBuilder
	w.add("a.structure_id = ?", actor.StructureID)
	if !actor.CanViewTeamData(actor.StructureID) {
		w.add("(a.owner_id = ? or a.team_id = ?)", actor.UserID, actor.TeamID)
	}
	if f.Status != "" {
		w.add("a.status = ?", f.Status)
	}
	if f.Kind != "" {
		w.add("a.kind = ?", f.Kind)
	}
	if f.ZoneID != 0 {
		w.add("a.zone_id = ?", f.ZoneID)
	} else if f.CommuneID != 0 {
		w.add("a.commune_id = ?", f.CommuneID)
	}
	limit := pageLimit(f.Limit, 50, 500)
	q := selectActivites + "\n" + w.String() + "\norder by a.created_at desc, a.id desc\nlimit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		if err := t.one(ctx, "select count(*) from activites a\n"+w.String(), w.args, &total); err != nil {
			return err
		}
		if total <= max(f.Offset, 0) {
			return nil
		}
		return t.many(ctx, q, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			a, err := scanActivite(r.Scan)
			out = append(out, a)
			return err
		})
	})
	return out, total, err
}

// SetActiviteStatus implements maillon.ActiviteService.
func (s *Store) SetActiviteStatus(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.ActiviteStatusInput) (err error) {
	defer wrap(&err, "SetActiviteStatus")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		a, err := t.activiteRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := t.many(ctx, "select id from activite_objectives where activite_id = ?", []any{id}, func(r *sql.Rows) error {
			var o maillon.ActiviteObjective
			a.Objectives = append(a.Objectives, o)
			return r.Scan(&a.Objectives[len(a.Objectives)-1].ID)
		}); err != nil {
			return err
		}
		if err := maillon.CheckActiviteTransition(a, &in, actor); err != nil {
			return err
		}
		if in.Status == maillon.ActiviteValidee {
			_, err = t.exec(ctx, "update activites set status = ?, validated_by = ?, validated_at = ?, updated_at = ? where id = ?",
				in.Status, optID(actor.UserID), t.now, t.now, id)
		} else {
			_, err = t.exec(ctx, "update activites set status = ?, cancel_reason = ?, updated_at = ? where id = ?",
				in.Status, in.Reason, t.now, id)
		}
		if err != nil {
			return err
		}
		if in.Status == maillon.ActiviteAnnulee {
			if err := t.addAdjustment(ctx, actor, id, "Action annulée", in.Reason); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditActiviteStatus, recordType: "activite", recordID: int64(id),
			fields: []string{"status_" + in.Status}})
	})
}

// countChildren bounds the lines of a project.
func (t *tx) countChildren(ctx context.Context, table string, id maillon.ActiviteID, limit int, field, msg string) error {
	var n int
	if err := t.one(ctx, "select count(*) from "+table+" where activite_id = ?", []any{id}, &n); err != nil {
		return err
	}
	if n >= limit {
		return invalidField(field, msg)
	}
	return nil
}

// AddObjective implements maillon.ActiviteService.
func (s *Store) AddObjective(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.ObjectiveInput) (err error) {
	defer wrap(&err, "AddObjective")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		target, err := in.Validate()
		if err != nil {
			return err
		}
		if err := t.countChildren(ctx, "activite_objectives", id, maillon.MaxActiviteObjectives, "objective_label",
			"Une action compte au plus 12 objectifs."); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into activite_objectives (activite_id, label, indicator, target, unit) values (?, ?, ?, ?, ?)`,
			id, in.Label, in.Indicator, target, in.Unit); err != nil {
			return err
		}
		if a.Validated() {
			if err := t.addAdjustment(ctx, actor, id, "Objectif ajouté : "+in.Label, ""); err != nil {
				return err
			}
		}
		return t.touch(ctx, actor, id, maillon.AuditActiviteUpdate, "objective")
	})
}

// AddActivitePartner implements maillon.ActiviteService.
func (s *Store) AddActivitePartner(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.ActivitePartnerInput) (err error) {
	defer wrap(&err, "AddActivitePartner")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if in.DirectoryID != 0 {
			var n int
			if err := t.one(ctx, "select count(*) from directory_structures where id = ? and owner_id = ?",
				[]any{in.DirectoryID, a.StructureID}, &n); err != nil {
				return err
			}
			if n == 0 {
				return invalidField("directory_id", "Choisissez une structure de l'annuaire.")
			}
		}
		if err := t.countChildren(ctx, "activite_partners", id, maillon.MaxActivitePartners, "partner_name",
			"Une action compte au plus 30 partenaires."); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into activite_partners (activite_id, directory_id, name, role) values (?, ?, ?, ?)`,
			id, optID(in.DirectoryID), in.Name, in.Role); err != nil {
			return err
		}
		return t.touch(ctx, actor, id, maillon.AuditActiviteUpdate, "partner")
	})
}

// AddBudgetLine implements maillon.ActiviteService.
func (s *Store) AddBudgetLine(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.BudgetInput) (err error) {
	defer wrap(&err, "AddBudgetLine")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.openActivite(ctx, actor, id); err != nil {
			return err
		}
		planned, actual, err := in.Validate()
		if err != nil {
			return err
		}
		if err := t.countChildren(ctx, "activite_budget", id, maillon.MaxActiviteBudgetLines, "budget_label",
			"Un budget compte au plus 40 lignes."); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into activite_budget (activite_id, funder, label, planned, actual) values (?, ?, ?, ?, ?)`,
			id, in.Funder, in.Label, planned, actual); err != nil {
			return err
		}
		return t.touch(ctx, actor, id, maillon.AuditActiviteUpdate, "budget")
	})
}

// SetBudgetActual implements maillon.ActiviteService.
func (s *Store) SetBudgetActual(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.BudgetActualInput) (err error) {
	defer wrap(&err, "SetBudgetActual")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.openActivite(ctx, actor, id); err != nil {
			return err
		}
		var fe maillon.FieldErrors
		for line, v := range in.Actual {
			n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(v, " ", "")))
			if err != nil || n < 0 || n > maillon.MaxBudgetEuros {
				fe.Add("actual_"+strconv.FormatInt(line, 10), "Indiquez un montant en euros entiers, entre 0 et 10 000 000.")
				continue
			}
			k, err := t.exec(ctx, "update activite_budget set actual = ? where id = ? and activite_id = ?", n, line, id)
			if err != nil {
				return err
			}
			if k == 0 {
				fe.Add("actual_"+strconv.FormatInt(line, 10), "Cette ligne n'appartient pas au budget de l'action.")
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		return t.touch(ctx, actor, id, maillon.AuditActiviteUpdate, "budget_actual")
	})
}

// AddAdjustment implements maillon.ActiviteService.
func (s *Store) AddAdjustment(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.AdjustmentInput) (err error) {
	defer wrap(&err, "AddAdjustment")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.openActivite(ctx, actor, id); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if err := t.addAdjustment(ctx, actor, id, in.What, in.Why); err != nil {
			return err
		}
		return t.touch(ctx, actor, id, maillon.AuditActiviteUpdate, "adjustment")
	})
}

// SaveEvaluation implements maillon.ActiviteService.
func (s *Store) SaveEvaluation(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.EvaluationInput) (err error) {
	defer wrap(&err, "SaveEvaluation")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		if a.Status != maillon.ActiviteEnCours && a.Status != maillon.ActiviteTerminee {
			return maillon.Errorf(maillon.ErrInvalid, "L'évaluation s'enregistre quand l'action est en cours ou terminée.")
		}
		if err := t.many(ctx, "select id, indicator from activite_objectives where activite_id = ?", []any{id}, func(r *sql.Rows) error {
			var o maillon.ActiviteObjective
			err := r.Scan(&o.ID, &o.Indicator)
			a.Objectives = append(a.Objectives, o)
			return err
		}); err != nil {
			return err
		}
		values, err := in.Validate(a.Objectives)
		if err != nil {
			return err
		}
		for oid, v := range values {
			var arg any
			if v != nil {
				arg = int64(*v)
			}
			if _, err := t.exec(ctx, "update activite_objectives set entered = ? where id = ? and activite_id = ?", arg, oid, id); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `update activites set effects = ?, testimonies = ?, lessons = ?, decision = ?, decision_text = ?,
			updated_at = ? where id = ?`, in.Effects, in.Testimonies, in.Lessons, in.Decision, in.DecisionText, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditActiviteEvaluation, recordType: "activite", recordID: int64(id)})
	})
}

// ---------------------------------------------------------------------
// Sessions.

// seanceOf loads a session of a project already checked.
func (t *tx) seanceOf(ctx context.Context, id maillon.ActiviteID, sid maillon.SeanceID) (*maillon.Seance, error) {
	s, err := scanSeance(t.queryRow(ctx, selectSeances+" where id = ? and activite_id = ?", []any{sid, id}).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, maillon.NotFound("Séance")
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// CreateSeances implements maillon.ActiviteService.
func (s *Store) CreateSeances(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, in maillon.SeanceInput) (ids []maillon.SeanceID, err error) {
	defer wrap(&err, "CreateSeances")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		if !a.AcceptsSeances() {
			return maillon.Errorf(maillon.ErrInvalid, "L'action est terminée : ajoutez un ajustement plutôt qu'une séance.")
		}
		slot, err := in.Validate(a.StartsOn, true)
		if err != nil {
			return err
		}
		if a.SeanceCount+slot.Count > maillon.MaxSeancesPerActivite {
			return invalidField("count", "Une action compte au plus 400 séances.")
		}
		length := slot.EndsAt.Sub(slot.StartsAt)
		var series int64
		for _, start := range maillon.SeriesStarts(slot.StartsAt, in.Recurrence, slot.Count) {
			sid, err := t.insert(ctx, `insert into seances (structure_id, activite_id, series_id, starts_at, ends_at, place, capacity,
				facilitators, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`, a.StructureID, id, optID(series),
				start, start.Add(length), in.Place, slot.Capacity, in.Facilitators, t.now)
			if err != nil {
				return err
			}
			if series == 0 {
				series = sid
				if _, err := t.exec(ctx, "update seances set series_id = ? where id = ?", sid, sid); err != nil {
					return err
				}
			}
			ids = append(ids, maillon.SeanceID(sid))
		}
		if _, err := t.exec(ctx, "update activites set seance_count = seance_count + ?, updated_at = ? where id = ?", len(ids), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditSeanceCreate, recordType: "activite", recordID: int64(id),
			fields: []string{"seances_" + strconv.Itoa(len(ids))}})
	})
	return ids, err
}

// UpdateSeance implements maillon.ActiviteService.
func (s *Store) UpdateSeance(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, sid maillon.SeanceID, in maillon.SeanceInput) (err error) {
	defer wrap(&err, "UpdateSeance")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		se, err := t.seanceOf(ctx, id, sid)
		if err != nil {
			return err
		}
		slot, err := in.Validate(a.StartsOn, false)
		if err != nil {
			return err
		}
		targets := []maillon.Seance{*se}
		if in.Scope == "suivantes" {
			targets = nil
			if err := t.many(ctx, selectSeances+" where activite_id = ? and coalesce(series_id, id) = ? and starts_at >= ? order by starts_at",
				[]any{id, se.SeriesID, se.StartsAt}, func(r *sql.Rows) error {
					x, err := scanSeance(r.Scan)
					targets = append(targets, x)
					return err
				}); err != nil {
				return err
			}
		}
		ps, pe := maillon.InParis(slot.StartsAt), maillon.InParis(slot.EndsAt)
		for _, x := range targets {
			if slot.Capacity < x.Registered {
				return invalidField("capacity", fmt.Sprintf("La capacité (%d) ne peut pas être inférieure au nombre d'inscrits "+
					"(%d le %s) : désinscrivez d'abord des personnes ou gardez plus de places.", slot.Capacity, x.Registered,
					maillon.InParis(x.StartsAt).Format("02/01/2006")))
			}
			start, end := slot.StartsAt, slot.EndsAt
			if x.ID != sid {
				// The following sessions keep their day and take the
				// new hours.
				d := maillon.InParis(x.StartsAt)
				start = time.Date(d.Year(), d.Month(), d.Day(), ps.Hour(), ps.Minute(), 0, 0, maillon.Paris)
				end = time.Date(d.Year(), d.Month(), d.Day(), pe.Hour(), pe.Minute(), 0, 0, maillon.Paris)
			}
			if _, err := t.exec(ctx, `update seances set starts_at = ?, ends_at = ?, place = ?, capacity = ?, facilitators = ?
				where id = ?`, start, end, in.Place, slot.Capacity, in.Facilitators, x.ID); err != nil {
				return err
			}
			if err := t.promote(ctx, x.ID); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, "update activites set updated_at = ? where id = ?", t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditSeanceUpdate, recordType: "activite", recordID: int64(id),
			fields: []string{"seance_" + strconv.FormatInt(int64(sid), 10), "scope_" + in.Scope}})
	})
}

// promote moves waiting registrations into freed places, first come
// first served; a group that does not fit lets a smaller one pass.
func (t *tx) promote(ctx context.Context, sid maillon.SeanceID) error {
	var capacity, registered int
	if err := t.one(ctx, "select capacity, registered from seances where id = ?", []any{sid}, &capacity, &registered); err != nil {
		return err
	}
	type waiting struct {
		id    int64
		count int
	}
	var ws []waiting
	if err := t.many(ctx, "select id, count from seance_registrations where seance_id = ? and waiting order by created_at, id",
		[]any{sid}, func(r *sql.Rows) error {
			var w waiting
			err := r.Scan(&w.id, &w.count)
			ws = append(ws, w)
			return err
		}); err != nil {
		return err
	}
	moved := 0
	for _, w := range ws {
		if registered+w.count > capacity {
			continue
		}
		if _, err := t.exec(ctx, "update seance_registrations set waiting = ? where id = ?", false, w.id); err != nil {
			return err
		}
		registered += w.count
		moved += w.count
	}
	if moved == 0 {
		return nil
	}
	_, err := t.exec(ctx, "update seances set registered = registered + ?, waiting = waiting - ? where id = ?", moved, moved, sid)
	return err
}

// FindSeance implements maillon.ActiviteService; the registrations name
// people, so every read is audited.
func (s *Store) FindSeance(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, sid maillon.SeanceID, print bool) (a *maillon.Activite, se *maillon.Seance, err error) {
	defer wrap(&err, "FindSeance")
	if err := actor.Check(); err != nil {
		return nil, nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		if a, err = t.activiteRow(ctx, actor, id); err != nil {
			return err
		}
		if se, err = t.seanceOf(ctx, id, sid); err != nil {
			return err
		}
		// A named registration takes the name from the person's file,
		// never a copy: a correction or an erasure reaches the list.
		err = t.many(ctx, `select r.id, r.person_id, r.count, r.waiting, r.attendance, r.created_at, coalesce(p.first_name, ''),
			coalesce(p.last_name, ''), coalesce(p.pseudonym, '') from seance_registrations r left join persons p on p.id = r.person_id
			where r.seance_id = ? order by r.waiting, r.created_at, r.id`, []any{sid}, func(r *sql.Rows) error {
			var g maillon.Registration
			var p maillon.Person
			err := r.Scan(&g.ID, scanID(&g.PersonID), &g.Count, &g.Waiting, &g.Attendance, timeCol{&g.CreatedAt},
				&p.FirstName, &p.LastName, &p.Pseudonym)
			if g.PersonID != 0 {
				p.ID = g.PersonID
				g.Name = p.DisplayName()
			} else {
				g.Name = strconv.Itoa(g.Count) + " " + map[bool]string{true: "personne", false: "personnes"}[g.Count == 1] + " (sans nom)"
			}
			se.Registrations = append(se.Registrations, g)
			return err
		})
		if err != nil {
			return err
		}
		err = t.many(ctx, `select g.age_band, g.gender, g.zone_id, coalesce(z.name, ''), g.newcomer, g.count from seance_tallies g
			left join zones z on z.id = g.zone_id where g.seance_id = ? order by g.id`, []any{sid}, func(r *sql.Rows) error {
			var g maillon.Tally
			err := r.Scan(&g.AgeBand, &g.Gender, scanID(&g.ZoneID), &g.ZoneName, &g.Newcomer, &g.Count)
			se.Tallies = append(se.Tallies, g)
			return err
		})
		if err != nil {
			return err
		}
		var l maillon.QuestionnaireLink
		err = t.one(ctx, `select created_at, expires_at, revoked_at from seance_links where seance_id = ? and revoked_at is null
			order by id desc limit 1`, []any{sid}, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt}, timeCol{&l.RevokedAt})
		switch {
		case err == nil:
			se.Link = &l
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if se.Satisfaction, se.ByQuestion, err = t.satisfaction(ctx, "a.seance_id = ?", int64(sid)); err != nil {
			return err
		}
		err = t.many(ctx, `select comment from seance_answers where seance_id = ? and comment <> '' order by id desc limit 50`,
			[]any{sid}, func(r *sql.Rows) error {
				var c string
				err := r.Scan(&c)
				se.Comments = append(se.Comments, c)
				return err
			})
		if err != nil {
			return err
		}
		action := maillon.AuditSeanceRead
		if print {
			action = maillon.AuditSeancePrint
		}
		return t.audit(ctx, actor, auditRow{action: action, recordType: "activite", recordID: int64(id),
			fields: []string{"seance_" + strconv.FormatInt(int64(sid), 10)}})
	})
	return a, se, err
}

// Register implements maillon.ActiviteService.
func (s *Store) Register(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, sid maillon.SeanceID, in maillon.RegistrationInput) (waiting bool, err error) {
	defer wrap(&err, "Register")
	if err := actor.Check(); err != nil {
		return false, err
	}
	err = s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		n, err := in.Validate()
		if err != nil {
			return err
		}
		// Lock the session's row first: two registrations at once must
		// not both take the last place.
		if _, err := t.exec(ctx, "update seances set registered = registered where id = ? and activite_id = ?", sid, id); err != nil {
			return err
		}
		se, err := t.seanceOf(ctx, id, sid)
		if err != nil {
			return err
		}
		if se.AttendanceDone {
			return maillon.Errorf(maillon.ErrInvalid, "Les présences de cette séance sont déjà saisies : elle n'accepte plus d'inscription.")
		}
		if in.PersonID != 0 {
			if err := t.consentingPerson(ctx, actor, a.StructureID, in.PersonID); err != nil {
				return err
			}
			var k int
			if err := t.one(ctx, "select count(*) from seance_registrations where seance_id = ? and person_id = ?",
				[]any{sid, in.PersonID}, &k); err != nil {
				return err
			}
			if k > 0 {
				return invalidField("person_id", "Cette personne est déjà inscrite à la séance (ou sur la liste d'attente).")
			}
		}
		waiting = se.Registered+n > se.Capacity
		if _, err := t.exec(ctx, `insert into seance_registrations (seance_id, person_id, count, waiting, created_by, created_at)
			values (?, ?, ?, ?, ?, ?)`, sid, optID(in.PersonID), n, waiting, optID(actor.UserID), t.now); err != nil {
			return err
		}
		col := "registered"
		if waiting {
			col = "waiting"
		}
		if _, err := t.exec(ctx, "update seances set "+col+" = "+col+" + ? where id = ?", n, sid); err != nil {
			return err
		}
		fields := []string{"seance_" + strconv.FormatInt(int64(sid), 10)}
		if waiting {
			fields = append(fields, "waiting")
		}
		if in.PersonID != 0 {
			if err := t.audit(ctx, actor, auditRow{action: maillon.AuditSeanceRegister, recordType: "person",
				recordID: int64(in.PersonID), fields: []string{"activite_" + strconv.FormatInt(int64(id), 10)}}); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditSeanceRegister, recordType: "activite", recordID: int64(id), fields: fields})
	})
	return waiting, err
}

// consentingPerson applies the consent gate of a named registration: a
// person of the structure, with an open file and an active dossier
// consent.
func (t *tx) consentingPerson(ctx context.Context, actor maillon.Actor, sid maillon.StructureID, pid maillon.PersonID) error {
	op := actor
	op.StructureID = sid
	p, err := t.personInScope(ctx, op, pid)
	if errors.Is(err, maillon.ErrNotFound) {
		return invalidField("person_id", "La personne choisie n'existe pas dans la structure.")
	}
	if err != nil {
		return err
	}
	ok, err := t.hasActiveConsent(ctx, pid, maillon.ConsentDossier)
	if err != nil {
		return err
	}
	if !ok || p.Archived {
		return invalidField("person_id", "Cette personne n'a pas (ou plus) donné son accord pour un dossier nominatif, ou son dossier "+
			"est archivé : inscrivez-la sans la nommer, avec le nombre de personnes.")
	}
	return nil
}

// Unregister implements maillon.ActiviteService.
func (s *Store) Unregister(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, sid maillon.SeanceID, rid int64) (err error) {
	defer wrap(&err, "Unregister")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.openActivite(ctx, actor, id); err != nil {
			return err
		}
		se, err := t.seanceOf(ctx, id, sid)
		if err != nil {
			return err
		}
		if se.AttendanceDone {
			return maillon.Errorf(maillon.ErrInvalid, "Les présences de cette séance sont saisies : indiquez plutôt « excusé » ou « absent ».")
		}
		var count int
		var waiting bool
		err = t.one(ctx, "select count, waiting from seance_registrations where id = ? and seance_id = ?", []any{rid, sid}, &count, &waiting)
		if errors.Is(err, sql.ErrNoRows) {
			return maillon.NotFound("Inscription")
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "delete from seance_registrations where id = ?", rid); err != nil {
			return err
		}
		col := "registered"
		if waiting {
			col = "waiting"
		}
		if _, err := t.exec(ctx, "update seances set "+col+" = "+col+" - ? where id = ?", count, sid); err != nil {
			return err
		}
		if err := t.promote(ctx, sid); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditSeanceUnregister, recordType: "activite", recordID: int64(id),
			fields: []string{"seance_" + strconv.FormatInt(int64(sid), 10)}})
	})
}

// SaveAttendance implements maillon.ActiviteService.
func (s *Store) SaveAttendance(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, sid maillon.SeanceID, in maillon.AttendanceInput) (err error) {
	defer wrap(&err, "SaveAttendance")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		a, err := t.openActivite(ctx, actor, id)
		if err != nil {
			return err
		}
		se, err := t.seanceOf(ctx, id, sid)
		if err != nil {
			return err
		}
		if se.StartsAt.After(t.now) {
			return maillon.Errorf(maillon.ErrInvalid, "La séance n'a pas encore eu lieu : les présences se saisissent après.")
		}
		var regs []maillon.Registration
		if err := t.many(ctx, "select id, count, waiting from seance_registrations where seance_id = ?", []any{sid}, func(r *sql.Rows) error {
			var g maillon.Registration
			err := r.Scan(&g.ID, &g.Count, &g.Waiting)
			regs = append(regs, g)
			return err
		}); err != nil {
			return err
		}
		tallies, err := in.Validate(regs)
		if err != nil {
			return err
		}
		for _, g := range tallies {
			if g.ZoneID != 0 {
				var n int
				if err := t.one(ctx, "select count(*) from zones z join communes c on c.id = z.commune_id where z.id = ? and c.structure_id = ?",
					[]any{g.ZoneID, a.StructureID}, &n); err != nil {
					return err
				}
				if n == 0 {
					return invalidField("tally1_zone", "Choisissez un quartier du territoire de la structure.")
				}
			}
		}
		present := 0
		for _, g := range regs {
			v, ok := in.Presence[g.ID]
			if !ok {
				continue
			}
			if _, err := t.exec(ctx, "update seance_registrations set attendance = ? where id = ?", v, g.ID); err != nil {
				return err
			}
			if v == maillon.PresencePresent {
				present += g.Count
			}
		}
		if _, err := t.exec(ctx, "delete from seance_tallies where seance_id = ?", sid); err != nil {
			return err
		}
		for _, g := range tallies {
			if _, err := t.exec(ctx, `insert into seance_tallies (seance_id, age_band, gender, zone_id, newcomer, count)
				values (?, ?, ?, ?, ?, ?)`, sid, g.AgeBand, g.Gender, optID(g.ZoneID), g.Newcomer, g.Count); err != nil {
				return err
			}
			present += g.Count
		}
		if _, err := t.exec(ctx, "update seances set attendance_done = ?, present = ?, observations = ? where id = ?",
			true, present, in.Observations, sid); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditSeanceAttendance, recordType: "activite", recordID: int64(id),
			fields: []string{"seance_" + strconv.FormatInt(int64(sid), 10)}})
	})
}

// CreateQuestionnaireLink implements maillon.ActiviteService.
func (s *Store) CreateQuestionnaireLink(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, sid maillon.SeanceID, days int) (token string, err error) {
	defer wrap(&err, "CreateQuestionnaireLink")
	if err := actor.Check(); err != nil {
		return "", err
	}
	if days < 1 || days > maillon.MaxQuestionnaireDays {
		return "", invalidField("days", "La durée de validité du lien est comprise entre 1 et 90 jours.")
	}
	err = s.write(ctx, func(t *tx) error {
		if _, err := t.openActivite(ctx, actor, id); err != nil {
			return err
		}
		if _, err := t.seanceOf(ctx, id, sid); err != nil {
			return err
		}
		if token, err = randomToken(); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update seance_links set revoked_at = ? where seance_id = ? and revoked_at is null", t.now, sid); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into seance_links (seance_id, token_hash, created_by, created_at, expires_at)
			values (?, ?, ?, ?, ?)`, sid, tokenHash(token), optID(actor.UserID), t.now, t.now.Add(time.Duration(days)*24*time.Hour)); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditQuestionnaireLink, recordType: "activite", recordID: int64(id),
			fields: []string{"seance_" + strconv.FormatInt(int64(sid), 10)}})
	})
	return token, err
}

// insertAnswer records an answer and counts it on its session.
func (t *tx) insertAnswer(ctx context.Context, sid maillon.SeanceID, scores []int, comment, source string) error {
	var n int
	if err := t.one(ctx, "select answers from seances where id = ?", []any{sid}, &n); err != nil {
		return err
	}
	if n >= maillon.MaxSatisfactionAnswers {
		return maillon.Errorf(maillon.ErrConflict, "Cette séance a reçu le nombre maximal de réponses (1 000).")
	}
	args := []any{sid}
	for _, v := range scores {
		args = append(args, v)
	}
	args = append(args, comment, source, t.now)
	if _, err := t.exec(ctx, `insert into seance_answers (seance_id, q1, q2, q3, q4, q5, comment, source, created_at)
		values (?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
		return err
	}
	_, err := t.exec(ctx, "update seances set answers = answers + 1 where id = ?", sid)
	return err
}

// AddPaperAnswer implements maillon.ActiviteService.
func (s *Store) AddPaperAnswer(ctx context.Context, actor maillon.Actor, id maillon.ActiviteID, sid maillon.SeanceID, in maillon.SatisfactionInput) (err error) {
	defer wrap(&err, "AddPaperAnswer")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.openActivite(ctx, actor, id); err != nil {
			return err
		}
		if _, err := t.seanceOf(ctx, id, sid); err != nil {
			return err
		}
		scores, err := in.Validate()
		if err != nil {
			return err
		}
		if err := t.insertAnswer(ctx, sid, scores, in.Comment, "papier"); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditQuestionnaireAns, recordType: "activite", recordID: int64(id),
			fields: []string{"seance_" + strconv.FormatInt(int64(sid), 10), "papier"}})
	})
}

// questionnaireRow is a public link with what its page needs.
type questionnaireRow struct {
	seance    maillon.SeanceID
	activite  maillon.ActiviteID
	structure maillon.StructureID
	link      maillon.QuestionnaireLink
}

func (t *tx) questionnaireByToken(ctx context.Context, token string) (*questionnaireRow, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, sql.ErrNoRows
	}
	var r questionnaireRow
	err := t.one(ctx, `select l.seance_id, s.activite_id, s.structure_id, l.created_at, l.expires_at, l.revoked_at
		from seance_links l join seances s on s.id = l.seance_id where l.token_hash = ?`, []any{tokenHash(token)},
		&r.seance, &r.activite, &r.structure, timeCol{&r.link.CreatedAt}, timeCol{&r.link.ExpiresAt}, timeCol{&r.link.RevokedAt})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func questionnaireNotFound() error {
	return &maillon.Error{Kind: maillon.ErrNotFound, Message: "Ce questionnaire n'existe pas. Vérifiez que le lien a été copié en entier."}
}

// FindQuestionnaire implements maillon.ActiviteService.
func (s *Store) FindQuestionnaire(ctx context.Context, token, requestID string) (v *maillon.QuestionnaireView, err error) {
	defer wrap(&err, "FindQuestionnaire")
	err = s.read(ctx, func(t *tx) error {
		r, err := t.questionnaireByToken(ctx, token)
		if errors.Is(err, sql.ErrNoRows) {
			return questionnaireNotFound()
		}
		if err != nil {
			return err
		}
		v = &maillon.QuestionnaireView{Open: r.link.Open(t.now)}
		v.Expired = !v.Open
		return t.one(ctx, `select st.name, a.title, s.starts_at, s.place from seances s join activites a on a.id = s.activite_id
			join structures st on st.id = s.structure_id where s.id = ?`, []any{r.seance},
			&v.StructureName, &v.Title, timeCol{&v.StartsAt}, &v.Place)
	})
	return v, err
}

// AnswerQuestionnaire implements maillon.ActiviteService. A refused use
// is audited: the trace commits, then the refusal is returned.
func (s *Store) AnswerQuestionnaire(ctx context.Context, token string, in maillon.SatisfactionInput, requestID string) (err error) {
	defer wrap(&err, "AnswerQuestionnaire")
	var refused error
	err = s.write(ctx, func(t *tx) error {
		r, err := t.questionnaireByToken(ctx, token)
		if errors.Is(err, sql.ErrNoRows) {
			return questionnaireNotFound()
		}
		if err != nil {
			return err
		}
		actor := partnerActor(r.structure, requestID)
		if !r.link.Open(t.now) {
			refused = maillon.Errorf(maillon.ErrConflict, "Ce questionnaire n'est plus ouvert : le lien a expiré ou a été remplacé. Merci quand même !")
			return t.audit(ctx, actor, auditRow{action: maillon.AuditQuestionnaireRefus, recordType: "activite", recordID: int64(r.activite)})
		}
		scores, err := in.Validate()
		if err != nil {
			return err
		}
		if err := t.insertAnswer(ctx, r.seance, scores, in.Comment, "lien"); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditQuestionnaireAns, recordType: "activite", recordID: int64(r.activite),
			fields: []string{"seance_" + strconv.FormatInt(int64(r.seance), 10), "lien"}})
	})
	if err != nil {
		return err
	}
	return refused
}
