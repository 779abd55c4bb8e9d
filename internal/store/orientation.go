package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"maillon"
)

// partnerKey folds a partner's name so that "CAF de Lyon" and "caf  de
// lyon" count as one partner in the figures.
func partnerKey(name string) string {
	return strings.Join(strings.Fields(maillon.FoldText(name)), " ")
}

// noPartageConsent is the refusal of the consent gate.
const noPartageConsent = "La personne n'a pas (ou plus) donné son accord pour le partage avec un partenaire : " +
	"enregistrez son accord sur son dossier, ou faites l'orientation de façon anonyme."

// checkOrientationPerson applies the consent gate: a nominative orientation
// needs an open file with an active "partage" consent, at save time.
func (t *tx) checkOrientationPerson(ctx context.Context, actor maillon.Actor, pid maillon.PersonID) error {
	p, err := t.personInScope(ctx, actor, pid)
	if errors.Is(err, maillon.ErrNotFound) {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: "La personne choisie n'existe pas dans la structure.",
			Fields: map[string]string{"person_id": "La personne choisie n'existe pas dans la structure."}}
	}
	if err != nil {
		return err
	}
	ok, err := t.hasActiveConsent(ctx, pid, "partage")
	if err != nil {
		return err
	}
	if !ok || p.Archived {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: noPartageConsent, Fields: map[string]string{"person_id": noPartageConsent}}
	}
	return nil
}

// CreateOrientation implements maillon.OrientationService.
func (s *Store) CreateOrientation(ctx context.Context, actor maillon.Actor, in maillon.OrientationInput) (o *maillon.Orientation, err error) {
	defer wrap(&err, "CreateOrientation")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		expected, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if in.PersonID != 0 {
			if err := t.checkOrientationPerson(ctx, actor, in.PersonID); err != nil {
				return err
			}
		}
		if in.InterventionID != 0 {
			var n int
			if err := t.one(ctx, "select count(*) from interventions where id = ? and structure_id = ?",
				[]any{in.InterventionID, actor.StructureID}, &n); err != nil {
				return err
			}
			if n == 0 {
				in.InterventionID = 0 // a stale link is dropped, not an error the user can fix
			}
		}
		if in.DirectoryServiceID != 0 {
			// Only a service of the actor's own directory is linked.
			var n int
			if err := t.one(ctx, "select count(*) from directory_services where id = ? and owner_id = ?",
				[]any{in.DirectoryServiceID, actor.StructureID}, &n); err != nil {
				return err
			}
			if n == 0 {
				in.DirectoryServiceID = 0
			}
		}
		id, err := t.insert(ctx, `insert into orientations
			(structure_id, person_id, intervention_id, partner_name, partner_key, partner_contact, reason, shared_items,
			shared_text, mode, status, expected_on, created_by, created_at, updated_at, directory_service_id)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, optID(in.PersonID), optID(in.InterventionID), in.PartnerName, partnerKey(in.PartnerName),
			in.PartnerContact, in.Reason, strings.Join(in.SharedItems, ","), in.SharedText, in.Mode,
			maillon.OrientationProposee, expected, optID(actor.UserID), t.now, t.now, optID(in.DirectoryServiceID))
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditOrientationCreate, recordType: "orientation", recordID: id}); err != nil {
			return err
		}
		if in.PersonID != 0 {
			if err := t.audit(ctx, actor, auditRow{action: maillon.AuditOrientationCreate, recordType: "person", recordID: int64(in.PersonID)}); err != nil {
				return err
			}
		}
		o, err = t.orientationByID(ctx, actor, maillon.OrientationID(id))
		return err
	})
	return o, err
}

const selectOrientations = `select o.id, o.structure_id, o.person_id, coalesce(p.first_name, ''), coalesce(p.last_name, ''),
	coalesce(p.pseudonym, ''), o.intervention_id, o.partner_name, o.partner_contact, o.reason, o.shared_items, o.shared_text,
	o.mode, o.status, o.closure_reason, o.closure_text, o.expected_on, o.transmitted_at, o.outcome_at, o.outcome_source,
	o.created_by, coalesce(u.display_name, ''), o.created_at, o.updated_at, o.directory_service_id, ds.structure_id
from orientations o
left join persons p on p.id = o.person_id
left join users u on u.id = o.created_by
left join directory_services ds on ds.id = o.directory_service_id`

func scanOrientation(scan func(...any) error, extra ...any) (maillon.Orientation, error) {
	var o maillon.Orientation
	var p maillon.Person
	var items string
	err := scan(append([]any{&o.ID, &o.StructureID, scanID(&o.PersonID), &p.FirstName, &p.LastName, &p.Pseudonym,
		scanID(&o.InterventionID), &o.PartnerName, &o.PartnerContact, &o.Reason, &items, &o.SharedText, &o.Mode, &o.Status,
		&o.ClosureReason, &o.ClosureText, timeCol{&o.ExpectedOn}, timeCol{&o.TransmittedAt}, timeCol{&o.OutcomeAt},
		&o.OutcomeSource, scanID(&o.CreatedBy), &o.CreatedByName, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt},
		scanID(&o.DirectoryServiceID), scanID(&o.DirectoryStructureID)}, extra...)...)
	o.SharedItems = splitList(items)
	if o.PersonID != 0 {
		p.ID = o.PersonID
		o.PersonName = p.DisplayName()
	}
	return o, err
}

// orientationByID loads an orientation of the actor's structure with its
// latest link, or ErrNotFound.
func (t *tx) orientationByID(ctx context.Context, actor maillon.Actor, id maillon.OrientationID) (*maillon.Orientation, error) {
	q := selectOrientations + " where o.id = ?"
	o, err := scanOrientation(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(o.StructureID)) {
		return nil, maillon.NotFound("Orientation")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	var l maillon.PartnerLink
	err = t.one(ctx, `select id, created_at, expires_at, revoked_at, used_at, created_by from orientation_links
		where orientation_id = ? order by created_at desc, id desc limit 1`, []any{id},
		&l.ID, timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt}, timeCol{&l.RevokedAt}, timeCol{&l.UsedAt}, scanID(&l.CreatedBy))
	switch {
	case err == nil:
		o.Link = &l
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	return &o, nil
}

// FindOrientationByID implements maillon.OrientationService.
func (s *Store) FindOrientationByID(ctx context.Context, actor maillon.Actor, id maillon.OrientationID) (o *maillon.Orientation, err error) {
	defer wrap(&err, "FindOrientationByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		o, err = t.orientationByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if o.History, err = t.recordHistory(ctx, o.StructureID, "orientation", int64(id), maillon.AuditOrientationCreate,
			maillon.AuditOrientationStatus, maillon.AuditPartnerLinkCreate, maillon.AuditPartnerLinkRevoke,
			maillon.AuditPartnerLinkView, maillon.AuditPartnerLinkAnswer, maillon.AuditPartnerLinkRefused); err != nil {
			return err
		}
		if o.Anonymous() {
			return nil
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditOrientationRead, recordType: "orientation", recordID: int64(id)})
	})
	return o, err
}

// maxPartnerKeys bounds the exact partner keys a partner filter turns
// into; past it the filter matches on the folded name with "like".
const maxPartnerKeys = 200

// orientationWhere builds the filter. A partner filter (part of a name)
// becomes the list of the structure's partner keys containing it, read by
// a skip scan of orientations_partner (one index seek per partner): the
// list and its count then seek those keys instead of testing a pattern on
// every orientation of the structure.
func (t *tx) orientationWhere(ctx context.Context, actor maillon.Actor, f maillon.OrientationFilter) (*whereBuilder, error) {
	var w whereBuilder
	w.add("o.structure_id = ?", actor.StructureID)
	if f.Status != "" {
		w.add("o.status = ?", f.Status)
	}
	if k := partnerKey(f.Partner); k != "" {
		keys, err := t.partnerKeys(ctx, actor.StructureID, k)
		switch {
		case err != nil:
			return nil, err
		case len(keys) == 0:
			w.add("o.partner_key is null") // never: the column is not null
		case len(keys) > maxPartnerKeys:
			w.add(`o.partner_key like ? escape '\'`, likePattern(k))
		default:
			args := make([]any, len(keys))
			for i, key := range keys {
				args[i] = key
			}
			w.add("o.partner_key in ("+strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ")+")", args...)
		}
	}
	if f.CreatedBy != 0 {
		w.add("o.created_by = ?", f.CreatedBy)
	}
	if f.PersonID != 0 {
		w.add("o.person_id = ?", f.PersonID)
	}
	return &w, nil
}

// partnerKeys lists the structure's partner keys that contain part, up to
// maxPartnerKeys+1.
func (t *tx) partnerKeys(ctx context.Context, sid maillon.StructureID, part string) ([]string, error) {
	var out []string
	err := t.many(ctx, `with recursive k(key) as (
			select min(partner_key) from orientations where structure_id = ?
			union all
			select (select min(partner_key) from orientations where structure_id = ? and partner_key > k.key)
			from k where k.key is not null)
		select key from k where key is not null`, []any{sid, sid}, func(r *sql.Rows) error {
		var key string
		if err := r.Scan(&key); err != nil {
			return err
		}
		if strings.Contains(key, part) && len(out) <= maxPartnerKeys {
			out = append(out, key)
		}
		return nil
	})
	return out, err
}

// FindOrientations implements maillon.OrientationService. The list shows
// people's names only, like the interventions list: it is not audited.
// The page's IDs are found on an index first, so that only its rows are
// joined to people and accounts; the total is counted apart, on the index
// alone, and only when the page does not tell it.
func (s *Store) FindOrientations(ctx context.Context, actor maillon.Actor, f maillon.OrientationFilter) (out []maillon.Orientation, total int, err error) {
	defer wrap(&err, "FindOrientations")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	limit, offset := pageLimit(f.Limit, 50, 500), max(f.Offset, 0)
	err = s.read(ctx, func(t *tx) error {
		w, err := t.orientationWhere(ctx, actor, f)
		if err != nil {
			return err
		}
		page := "(select o.id from orientations o\n" + w.String() + "\norder by o.created_at desc, o.id desc limit ? offset ?) page"
		q := strings.Replace(selectOrientations, "from orientations o", "from "+page+"\njoin orientations o on o.id = page.id", 1) +
			"\norder by o.created_at desc, o.id desc"
		err = t.many(ctx, q, append(w.args, limit, offset), func(r *sql.Rows) error {
			o, err := scanOrientation(r.Scan)
			out = append(out, o)
			return err
		})
		if err != nil {
			return err
		}
		if len(out) < limit && (len(out) > 0 || offset == 0) {
			total = offset + len(out) // the last page
			return nil
		}
		return t.one(ctx, "select count(*) from orientations o\n"+w.String(), w.args, &total)
	})
	return out, total, err
}

// FindPartnerStats implements maillon.OrientationService. The figures are
// computed in Go from one row per orientation, so that both engines give
// the same medians.
func (s *Store) FindPartnerStats(ctx context.Context, actor maillon.Actor, createdBy maillon.UserID) (out []maillon.PartnerStats, err error) {
	defer wrap(&err, "FindPartnerStats")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	type acc struct {
		stats maillon.PartnerStats
		days  []int
	}
	byKey := map[string]*acc{}
	var keys []string
	err = s.read(ctx, func(t *tx) error {
		w, err := t.orientationWhere(ctx, actor, maillon.OrientationFilter{CreatedBy: createdBy})
		if err != nil {
			return err
		}
		return t.many(ctx, `select o.partner_key, o.partner_name, o.status, o.outcome_source, o.created_at, o.transmitted_at, o.outcome_at
			from orientations o `+w.String()+` order by o.created_at desc, o.id desc limit 20000`, w.args, func(r *sql.Rows) error {
			var key, name, status, source string
			var created, transmitted, outcome time.Time
			if err := r.Scan(&key, &name, &status, &source, timeCol{&created}, timeCol{&transmitted}, timeCol{&outcome}); err != nil {
				return err
			}
			a := byKey[key]
			if a == nil {
				// The most recent spelling names the partner.
				a = &acc{stats: maillon.PartnerStats{Partner: name}}
				byKey[key] = a
				keys = append(keys, key)
			}
			a.stats.Orientations++
			if maillon.OrientationClosed(status) {
				a.stats.Outcomes++
				if source == "partenaire" || source == "partenaire_lien" {
					a.stats.Feedback++
				}
				from := transmitted
				if from.IsZero() || outcome.Before(from) {
					from = created
				}
				a.days = append(a.days, int(outcome.Sub(from).Hours()/24))
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		a := byKey[k]
		a.stats.MedianDays = -1
		if len(a.days) > 0 {
			slices.Sort(a.days)
			n := len(a.days)
			a.stats.MedianDays = a.days[n/2]
			if n%2 == 0 {
				a.stats.MedianDays = (a.days[n/2-1] + a.days[n/2]) / 2
			}
		}
		out = append(out, a.stats)
	}
	slices.SortStableFunc(out, func(x, y maillon.PartnerStats) int {
		if x.Orientations != y.Orientations {
			return y.Orientations - x.Orientations
		}
		return strings.Compare(partnerKey(x.Partner), partnerKey(y.Partner))
	})
	return out, nil
}

// editableOrientation loads an orientation the actor may change: its
// author, coordinators and administrators.
func (t *tx) editableOrientation(ctx context.Context, actor maillon.Actor, id maillon.OrientationID) (*maillon.Orientation, error) {
	o, err := t.orientationByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if o.CreatedBy != actor.UserID && !actor.CanViewTeamData(o.StructureID) {
		return nil, maillon.Errorf(maillon.ErrForbidden,
			"Seuls l'auteur de l'orientation, la coordination et l'administration peuvent la modifier.")
	}
	return o, nil
}

// setStatus moves an orientation and, on a final status, ends its link.
func (t *tx) setStatus(ctx context.Context, o *maillon.Orientation, in maillon.OrientationStatusInput) error {
	transmitted := o.TransmittedAt
	if in.Status == maillon.OrientationTransmise && transmitted.IsZero() {
		transmitted = t.now
	}
	var outcome time.Time
	if maillon.OrientationClosed(in.Status) {
		outcome = t.now
		if _, err := t.exec(ctx, `update orientation_links set revoked_at = ?
			where orientation_id = ? and revoked_at is null and used_at is null`, t.now, o.ID); err != nil {
			return err
		}
	}
	_, err := t.exec(ctx, `update orientations set status = ?, closure_reason = ?, closure_text = ?, transmitted_at = ?,
		outcome_at = ?, outcome_source = ?, updated_at = ? where id = ?`,
		in.Status, in.Reason, in.Text, transmitted, outcome, in.Source, t.now, o.ID)
	return err
}

// SetOrientationStatus implements maillon.OrientationService.
func (s *Store) SetOrientationStatus(ctx context.Context, actor maillon.Actor, id maillon.OrientationID, in maillon.OrientationStatusInput) (err error) {
	defer wrap(&err, "SetOrientationStatus")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		o, err := t.editableOrientation(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := in.Validate(o.Status); err != nil {
			return err
		}
		if err := t.setStatus(ctx, o, in); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditOrientationStatus, recordType: "orientation", recordID: int64(id),
			fields: []string{"status_" + in.Status}})
	})
}

// CreatePartnerLink implements maillon.OrientationService.
func (s *Store) CreatePartnerLink(ctx context.Context, actor maillon.Actor, id maillon.OrientationID, days int) (token string, err error) {
	defer wrap(&err, "CreatePartnerLink")
	if err := actor.Check(); err != nil {
		return "", err
	}
	if days < maillon.MinLinkDays || days > maillon.MaxLinkDays {
		msg := "La durée de validité du lien est comprise entre 1 et 90 jours."
		return "", &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"days": msg}}
	}
	err = s.write(ctx, func(t *tx) error {
		o, err := t.editableOrientation(ctx, actor, id)
		if err != nil {
			return err
		}
		if o.Closed() {
			return maillon.Errorf(maillon.ErrInvalid, "L'orientation est close : son issue est connue, aucun lien de réponse n'est utile.")
		}
		if !o.Anonymous() {
			// The consent gate holds for every new sharing, not only at
			// creation.
			ok, err := t.hasActiveConsent(ctx, o.PersonID, "partage")
			if err != nil {
				return err
			}
			if !ok {
				return maillon.Errorf(maillon.ErrInvalid, noPartageConsent)
			}
		}
		if token, err = randomToken(); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `update orientation_links set revoked_at = ?
			where orientation_id = ? and revoked_at is null and used_at is null`, t.now, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into orientation_links (structure_id, orientation_id, token_hash, created_by, created_at, expires_at)
			values (?, ?, ?, ?, ?, ?)`, o.StructureID, id, tokenHash(token), optID(actor.UserID), t.now,
			t.now.Add(time.Duration(days)*24*time.Hour)); err != nil {
			return err
		}
		if o.Status == maillon.OrientationProposee {
			if err := t.setStatus(ctx, o, maillon.OrientationStatusInput{Status: maillon.OrientationTransmise}); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPartnerLinkCreate, recordType: "orientation", recordID: int64(id)})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokePartnerLink implements maillon.OrientationService.
func (s *Store) RevokePartnerLink(ctx context.Context, actor maillon.Actor, id maillon.OrientationID) (err error) {
	defer wrap(&err, "RevokePartnerLink")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.editableOrientation(ctx, actor, id); err != nil {
			return err
		}
		n, err := t.exec(ctx, `update orientation_links set revoked_at = ?
			where orientation_id = ? and revoked_at is null and used_at is null`, t.now, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return maillon.Errorf(maillon.ErrInvalid, "Cette orientation n'a pas de lien de réponse actif.")
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPartnerLinkRevoke, recordType: "orientation", recordID: int64(id)})
	})
}

// revokePersonLinks ends the open links of a person's orientations: the
// withdrawal of the "partage" consent stops every sharing at once.
func (t *tx) revokePersonLinks(ctx context.Context, actor maillon.Actor, pid maillon.PersonID) error {
	var ids []int64
	err := t.many(ctx, `select distinct l.orientation_id from orientation_links l join orientations o on o.id = l.orientation_id
		where o.person_id = ? and l.revoked_at is null and l.used_at is null order by l.orientation_id`, []any{pid},
		func(r *sql.Rows) error {
			var id int64
			ids = append(ids, id)
			return r.Scan(&ids[len(ids)-1])
		})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := t.exec(ctx, `update orientation_links set revoked_at = ?
			where orientation_id = ? and revoked_at is null and used_at is null`, t.now, id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditPartnerLinkRevoke, recordType: "orientation", recordID: id,
			fields: []string{"consent_partage"}}); err != nil {
			return err
		}
	}
	return nil
}

// linkRow is a partner link with what its page needs.
type linkRow struct {
	link        maillon.PartnerLink
	orientation maillon.OrientationID
	structure   maillon.StructureID
}

// linkByToken finds a link by its token's hash; sql.ErrNoRows when none.
func (t *tx) linkByToken(ctx context.Context, token string) (*linkRow, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, sql.ErrNoRows
	}
	var r linkRow
	err := t.one(ctx, `select id, orientation_id, structure_id, created_at, expires_at, revoked_at, used_at
		from orientation_links where token_hash = ?`, []any{tokenHash(token)},
		&r.link.ID, &r.orientation, &r.structure, timeCol{&r.link.CreatedAt}, timeCol{&r.link.ExpiresAt},
		timeCol{&r.link.RevokedAt}, timeCol{&r.link.UsedAt})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// partnerActor is who acts through a link: nobody logged in, in the link's
// structure, on the web.
func partnerActor(sid maillon.StructureID, requestID string) maillon.Actor {
	return maillon.Actor{StructureID: sid, Channel: maillon.ChannelWeb, RequestID: requestID}
}

func linkNotFound() error {
	return &maillon.Error{Kind: maillon.ErrNotFound, Message: "Ce lien n'existe pas. Vérifiez qu'il a été copié en entier."}
}

// FindPartnerView implements maillon.OrientationService.
func (s *Store) FindPartnerView(ctx context.Context, token, requestID string) (v *maillon.PartnerView, err error) {
	defer wrap(&err, "FindPartnerView")
	err = s.write(ctx, func(t *tx) error {
		l, err := t.linkByToken(ctx, token)
		if errors.Is(err, sql.ErrNoRows) {
			return linkNotFound()
		}
		if err != nil {
			return err
		}
		st, err := t.structureByID(ctx, l.structure)
		if err != nil {
			return err
		}
		v = &maillon.PartnerView{State: l.link.State(t.now), StructureName: st.Name, ExpiresAt: l.link.ExpiresAt, AnsweredAt: l.link.UsedAt}
		actor := partnerActor(l.structure, requestID)
		if v.State != maillon.LinkOpen {
			return t.audit(ctx, actor, auditRow{action: maillon.AuditPartnerLinkRefused, recordType: "orientation",
				recordID: int64(l.orientation), fields: []string{v.State}})
		}
		op := maillon.OperatorActor()
		o, err := t.orientationByID(ctx, op, l.orientation)
		if err != nil {
			return err
		}
		v.PartnerName, v.Reason, v.Mode, v.OrientedOn = o.PartnerName, o.Reason, o.Mode, o.CreatedAt
		v.SharedItems = o.SharedItems
		if o.Shares("situation") || o.Shares("demarche") || o.Shares("documents") {
			v.SharedText = o.SharedText
		}
		if !o.Anonymous() && (o.Shares("identite") || o.Shares("coordonnees")) {
			p, err := t.personInScope(ctx, op, o.PersonID)
			if err != nil {
				return err
			}
			if o.Shares("identite") {
				v.PersonName = p.DisplayName()
			}
			if o.Shares("coordonnees") {
				v.Phone, v.Email = p.Phone, p.Email
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPartnerLinkView, recordType: "orientation", recordID: int64(l.orientation)})
	})
	return v, err
}

// AnswerPartnerLink implements maillon.OrientationService.
func (s *Store) AnswerPartnerLink(ctx context.Context, token string, in maillon.PartnerAnswerInput, requestID string) (err error) {
	defer wrap(&err, "AnswerPartnerLink")
	if err := in.Validate(); err != nil {
		return err
	}
	// A refused use is audited too: the transaction commits the trace,
	// then the refusal is returned.
	var refused error
	err = s.write(ctx, func(t *tx) error {
		l, err := t.linkByToken(ctx, token)
		if errors.Is(err, sql.ErrNoRows) {
			return linkNotFound()
		}
		if err != nil {
			return err
		}
		actor := partnerActor(l.structure, requestID)
		refuse := func(msg string) error {
			refused = maillon.Errorf(maillon.ErrConflict, "%s", msg)
			return t.audit(ctx, actor, auditRow{action: maillon.AuditPartnerLinkRefused, recordType: "orientation",
				recordID: int64(l.orientation), fields: []string{l.link.State(t.now)}})
		}
		switch l.link.State(t.now) {
		case maillon.LinkAnswered:
			return refuse("Une réponse a déjà été enregistrée avec ce lien.")
		case maillon.LinkExpired:
			return refuse("Ce lien a expiré.")
		case maillon.LinkRevoked:
			return refuse("Ce lien a été retiré par la structure.")
		}
		o, err := t.orientationByID(ctx, maillon.OperatorActor(), l.orientation)
		if err != nil {
			return err
		}
		status := in.Status()
		if err := maillon.CheckTransition(o.Status, status.Status); err != nil {
			return refuse("L'issue de cette orientation est déjà connue.")
		}
		// Mark the link used first, guarded, so that two answers sent at
		// once record one.
		n, err := t.exec(ctx, "update orientation_links set used_at = ? where id = ? and used_at is null and revoked_at is null", t.now, l.link.ID)
		if err != nil {
			return err
		}
		if n == 0 {
			return refuse("Une réponse a déjà été enregistrée avec ce lien.")
		}
		if err := t.setStatus(ctx, o, status); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPartnerLinkAnswer, recordType: "orientation", recordID: int64(l.orientation),
			fields: []string{"status_" + status.Status}})
	})
	if err != nil {
		return err
	}
	return refused
}

// orientationFollowUps lists the expected feedbacks of open orientations
// as follow-ups.
func (t *tx) orientationFollowUps(ctx context.Context, w *whereBuilder, limit int) ([]maillon.FollowUp, error) {
	var out []maillon.FollowUp
	err := t.many(ctx, `select o.id, o.expected_on, o.partner_name, o.person_id, coalesce(p.first_name, ''), coalesce(p.last_name, ''),
		coalesce(p.pseudonym, '') from orientations o left join persons p on p.id = o.person_id `+w.String()+
		` order by o.expected_on, o.id limit ?`, append(w.args, limit), func(r *sql.Rows) error {
		var fu maillon.FollowUp
		var partner string
		var p maillon.Person
		if err := r.Scan(&fu.OrientationID, timeCol{&fu.On}, &partner, scanID(&p.ID), &p.FirstName, &p.LastName, &p.Pseudonym); err != nil {
			return err
		}
		fu.NextStep = "Retour attendu de " + partner
		if p.ID != 0 {
			fu.Persons = []maillon.PersonRef{{ID: p.ID, Name: p.DisplayName()}}
		}
		out = append(out, fu)
		return nil
	})
	return out, err
}

// openOrientationWhere selects the open orientations with an expected
// feedback date.
func openOrientationWhere(sid maillon.StructureID) *whereBuilder {
	var w whereBuilder
	w.add("o.structure_id = ?", sid)
	w.add("o.expected_on is not null")
	w.add("o.status in (?, ?)", maillon.OrientationProposee, maillon.OrientationTransmise)
	return &w
}
