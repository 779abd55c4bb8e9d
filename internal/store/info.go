package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"maillon"
)

const infoCols = `i.id, i.structure_id, i.title, i.content, i.source, i.link, i.valid_from, i.valid_until, i.review_on,
	i.themes, i.commune_id, i.zone_id, coalesce(z.name, c.name, ''), i.level, i.status, i.team_id, i.author_id,
	coalesce(u.display_name, ''), i.validated_by, i.created_at, i.updated_at, i.replaces_id
	from infos i left join users u on u.id = i.author_id
	left join communes c on c.id = i.commune_id left join zones z on z.id = i.zone_id`

func scanInfo(r interface{ Scan(...any) error }) (maillon.Info, error) {
	var i maillon.Info
	var themes string
	err := r.Scan(&i.ID, &i.StructureID, &i.Title, &i.Content, &i.Source, &i.Link, timeCol{&i.ValidFrom}, timeCol{&i.ValidUntil},
		timeCol{&i.ReviewOn}, &themes, scanID(&i.Area.CommuneID), scanID(&i.Area.ZoneID), &i.AreaName, &i.Level, &i.Status,
		scanID(&i.TeamID), scanID(&i.AuthorID), &i.AuthorName, scanID(&i.ValidatedBy), timeCol{&i.CreatedAt}, timeCol{&i.UpdatedAt}, scanID(&i.Replaces))
	if themes != "" {
		i.Themes = strings.Split(themes, ",")
	}
	for _, p := range []*time.Time{&i.ValidFrom, &i.ValidUntil, &i.ReviewOn} {
		if !p.IsZero() {
			*p = maillon.InParis(*p)
		}
	}
	if i.Area.ZoneID > 0 {
		i.Area.CommuneID = 0
	}
	return i, err
}

// infoVisible is the condition an actor's reads add: proposals only to
// their author and the coordination, "équipe" items only to the author's
// team and the coordination.
func infoVisible(actor maillon.Actor, w *whereBuilder) {
	w.add("i.structure_id = ?", actor.StructureID)
	if actor.CanEditTerritory(actor.StructureID) {
		return
	}
	w.add("(i.status = 'publiee' or i.author_id = ?)", actor.UserID)
	w.add("(i.level <> 'equipe' or i.author_id = ? or (i.team_id is not null and i.team_id = ?))", actor.UserID, int64(actor.TeamID))
}

// checkInfoArea checks the item's area belongs to the structure and
// fills the zone's commune.
func (t *tx) checkInfoArea(ctx context.Context, actor maillon.Actor, ref maillon.AreaRef) (maillon.CommuneID, error) {
	if ref.CommuneID == 0 && ref.ZoneID == 0 {
		return 0, nil
	}
	a, err := t.loadArea(ctx, actor, ref)
	if errors.Is(err, maillon.ErrNotFound) {
		return 0, &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.",
			Fields: map[string]string{"place": "Choisissez un lieu du territoire."}}
	}
	if err != nil {
		return 0, err
	}
	return a.Commune.ID, nil
}

// CreateInfo implements maillon.InfoService.
func (s *Store) CreateInfo(ctx context.Context, actor maillon.Actor, in maillon.InfoInput) (out *maillon.Info, err error) {
	defer wrap(&err, "CreateInfo")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	d, err := in.Validate(s.clock())
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		cid, err := t.checkInfoArea(ctx, actor, in.Area)
		if err != nil {
			return err
		}
		status, validator := maillon.InfoProposed, maillon.UserID(0)
		if actor.CanEditTerritory(actor.StructureID) {
			status, validator = maillon.InfoPublished, actor.UserID
		}
		if in.Replaces != 0 {
			// Only a proposal updates another item; the coordination
			// edits it directly.
			old, err := t.loadInfo(ctx, actor, in.Replaces)
			if err != nil {
				return err
			}
			if status == maillon.InfoPublished || old.Proposed() {
				return maillon.Errorf(maillon.ErrConflict, "Seule une fiche publiée peut faire l'objet d'une proposition de mise à jour ; la coordination la modifie directement.")
			}
		}
		id, err := t.insert(ctx, `insert into infos (structure_id, title, content, source, link, valid_from, valid_until, review_on,
			themes, commune_id, zone_id, level, team_id, status, author_id, validated_by, created_at, updated_at, replaces_id)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, in.Title, in.Content, in.Source, in.Link, d.ValidFrom, d.ValidUntil, d.ReviewOn,
			strings.Join(in.Themes, ","), optID(cid), optID(in.Area.ZoneID), in.Level, optID(actor.TeamID), status,
			optID(actor.UserID), optID(validator), t.now, t.now, optID(in.Replaces))
		if err != nil {
			return err
		}
		out = &maillon.Info{ID: maillon.InfoID(id), StructureID: actor.StructureID, Title: in.Title, Level: in.Level, Status: status}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditInfoCreate, recordType: "info", recordID: id})
	})
	return out, err
}

// loadInfo reads one item the actor may see.
func (t *tx) loadInfo(ctx context.Context, actor maillon.Actor, id maillon.InfoID) (*maillon.Info, error) {
	var w whereBuilder
	w.add("i.id = ?", id)
	infoVisible(actor, &w)
	i, err := scanInfo(t.queryRow(ctx, "select "+infoCols+" "+w.String(), w.args))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, maillon.NotFound("Fiche d'information")
	}
	if err != nil {
		return nil, wrapQuery("select info", err)
	}
	return &i, nil
}

// FindInfo implements maillon.InfoService.
func (s *Store) FindInfo(ctx context.Context, actor maillon.Actor, id maillon.InfoID) (i *maillon.Info, err error) {
	defer wrap(&err, "FindInfo")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		i, err = t.loadInfo(ctx, actor, id)
		return err
	})
	return i, err
}

// UpdateInfo implements maillon.InfoService.
func (s *Store) UpdateInfo(ctx context.Context, actor maillon.Actor, id maillon.InfoID, in maillon.InfoInput) (err error) {
	defer wrap(&err, "UpdateInfo")
	if err := actor.Check(); err != nil {
		return err
	}
	d, err := in.Validate(s.clock())
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := t.loadInfo(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanEditTerritory(old.StructureID) && !(old.Proposed() && old.AuthorID == actor.UserID) {
			return maillon.Forbidden()
		}
		cid, err := t.checkInfoArea(ctx, actor, in.Area)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `update infos set title = ?, content = ?, source = ?, link = ?, valid_from = ?, valid_until = ?,
			review_on = ?, themes = ?, commune_id = ?, zone_id = ?, level = ?, updated_at = ? where id = ?`,
			in.Title, in.Content, in.Source, in.Link, d.ValidFrom, d.ValidUntil, d.ReviewOn, strings.Join(in.Themes, ","),
			optID(cid), optID(in.Area.ZoneID), in.Level, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: old.StructureID, action: maillon.AuditInfoUpdate, recordType: "info",
			recordID: int64(id), fields: infoChanges(old, &in, d)})
	})
}

func infoChanges(old *maillon.Info, in *maillon.InfoInput, d maillon.InfoDates) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("title", old.Title != in.Title)
	add("content", old.Content != in.Content)
	add("source", old.Source != in.Source)
	add("link", old.Link != in.Link)
	add("level", old.Level != in.Level)
	add("themes", strings.Join(old.Themes, ",") != strings.Join(in.Themes, ","))
	add("place", old.Area.ZoneID != in.Area.ZoneID || (in.Area.ZoneID == 0 && old.Area.CommuneID != in.Area.CommuneID))
	add("valid_from", !old.ValidFrom.Equal(d.ValidFrom))
	add("valid_until", !old.ValidUntil.Equal(d.ValidUntil))
	add("review_on", !old.ReviewOn.Equal(d.ReviewOn))
	return out
}

// coordinationInfo loads an item for a coordinator's action.
func (t *tx) coordinationInfo(ctx context.Context, actor maillon.Actor, id maillon.InfoID) (*maillon.Info, error) {
	i, err := t.loadInfo(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanEditTerritory(i.StructureID) {
		return nil, maillon.Forbidden()
	}
	return i, nil
}

// ValidateInfo implements maillon.InfoService.
func (s *Store) ValidateInfo(ctx context.Context, actor maillon.Actor, id maillon.InfoID) (published maillon.InfoID, err error) {
	defer wrap(&err, "ValidateInfo")
	if err := actor.Check(); err != nil {
		return 0, err
	}
	err = s.write(ctx, func(t *tx) error {
		i, err := t.coordinationInfo(ctx, actor, id)
		if err != nil {
			return err
		}
		if !i.Proposed() {
			return maillon.Errorf(maillon.ErrConflict, "Cette fiche est déjà publiée.")
		}
		if i.Replaces == 0 {
			published = id
			if _, err := t.exec(ctx, "update infos set status = 'publiee', validated_by = ?, updated_at = ? where id = ?",
				optID(actor.UserID), t.now, id); err != nil {
				return err
			}
			return t.audit(ctx, actor, auditRow{structureID: i.StructureID, action: maillon.AuditInfoValidate, recordType: "info", recordID: int64(id)})
		}
		// An update: the proposal's fields go into the item it names
		// (kept with its author and team), then the proposal goes.
		old, err := t.loadInfo(ctx, actor, i.Replaces)
		if err != nil {
			return err
		}
		published = old.ID
		in := maillon.InfoInput{Title: i.Title, Content: i.Content, Source: i.Source, Link: i.Link, Themes: i.Themes, Area: i.Area, Level: i.Level}
		d := maillon.InfoDates{ValidFrom: i.ValidFrom, ValidUntil: i.ValidUntil, ReviewOn: i.ReviewOn}
		cid := i.Area.CommuneID
		if i.Area.ZoneID > 0 {
			if err := t.one(ctx, "select commune_id from infos where id = ?", []any{id}, scanID(&cid)); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `update infos set title = ?, content = ?, source = ?, link = ?, valid_from = ?, valid_until = ?,
			review_on = ?, themes = ?, commune_id = ?, zone_id = ?, level = ?, validated_by = ?, updated_at = ? where id = ?`,
			in.Title, in.Content, in.Source, in.Link, d.ValidFrom, d.ValidUntil, d.ReviewOn, strings.Join(in.Themes, ","),
			optID(cid), optID(in.Area.ZoneID), in.Level, optID(actor.UserID), t.now, old.ID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "delete from infos where id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: i.StructureID, action: maillon.AuditInfoValidate, recordType: "info",
			recordID: int64(old.ID), fields: append(infoChanges(old, &in, d), "proposal:"+strconv.FormatInt(int64(id), 10))})
	})
	return published, err
}

// MarkInfoReviewed implements maillon.InfoService.
func (s *Store) MarkInfoReviewed(ctx context.Context, actor maillon.Actor, id maillon.InfoID, next string) (err error) {
	defer wrap(&err, "MarkInfoReviewed")
	if err := actor.Check(); err != nil {
		return err
	}
	now := s.clock()
	day, perr := maillon.ParseDay(next, now)
	today, _ := maillon.ParseDay("", now)
	fail := func(msg string) error {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Date invalide.", Fields: map[string]string{"next_review": msg}}
	}
	switch {
	case strings.TrimSpace(next) == "":
		return fail("Indiquez la date de la prochaine revue.")
	case perr != nil:
		return fail("Indiquez la date au format jj/mm/aaaa.")
	case !day.After(today):
		return fail("La prochaine revue doit être après aujourd'hui.")
	case day.After(today.AddDate(3, 0, 0)):
		return fail("La prochaine revue doit avoir lieu dans les trois ans.")
	}
	return s.write(ctx, func(t *tx) error {
		i, err := t.coordinationInfo(ctx, actor, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update infos set review_on = ?, updated_at = ? where id = ?", day, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: i.StructureID, action: maillon.AuditInfoReview, recordType: "info",
			recordID: int64(id), fields: []string{"review_on"}})
	})
}

// FindInfos implements maillon.InfoService.
func (s *Store) FindInfos(ctx context.Context, actor maillon.Actor, f maillon.InfoFilter) (out []maillon.Info, err error) {
	defer wrap(&err, "FindInfos")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		var w whereBuilder
		infoVisible(actor, &w)
		if f.Level != "" {
			w.add("i.level = ?", f.Level)
		}
		if f.Theme != "" {
			w.add("(',' || i.themes || ',') like ?", "%,"+f.Theme+",%")
		}
		switch {
		case f.Area.ZoneID > 0:
			w.add("i.zone_id = ?", f.Area.ZoneID)
		case f.Area.CommuneID > 0:
			w.add("i.commune_id = ?", f.Area.CommuneID)
		}
		today, _ := maillon.ParseDay("", t.now)
		if f.Expired {
			w.add("i.valid_until < ?", today)
		} else {
			w.add("(i.valid_until is null or i.valid_until >= ?)", today)
		}
		if !f.From.IsZero() {
			w.add("i.updated_at >= ? and i.updated_at < ?", f.From, f.To)
		}
		return t.many(ctx, "select "+infoCols+" "+w.String()+" order by i.updated_at desc, i.id desc limit 500", w.args,
			func(r *sql.Rows) error {
				i, err := scanInfo(r)
				out = append(out, i)
				return err
			})
	})
	return out, err
}

// FindInfosToReview implements maillon.InfoService.
func (s *Store) FindInfosToReview(ctx context.Context, actor maillon.Actor) (out []maillon.Info, err error) {
	defer wrap(&err, "FindInfosToReview")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if !actor.CanEditTerritory(actor.StructureID) {
		return nil, maillon.Forbidden()
	}
	err = s.read(ctx, func(t *tx) error {
		today, _ := maillon.ParseDay("", t.now)
		return t.many(ctx, "select "+infoCols+` where i.structure_id = ? and (i.status = 'proposee' or i.review_on <= ?)
			order by i.status, i.review_on, i.id limit 500`, []any{actor.StructureID, today},
			func(r *sql.Rows) error {
				i, err := scanInfo(r)
				out = append(out, i)
				return err
			})
	})
	return out, err
}

// CreateFeedToken implements maillon.InfoService.
func (s *Store) CreateFeedToken(ctx context.Context, actor maillon.Actor, label string) (token string, err error) {
	defer wrap(&err, "CreateFeedToken")
	if err := s.checkAdmin(actor, actor.StructureID); err != nil {
		return "", err
	}
	label, err = maillon.ValidateFeedLabel(label)
	if err != nil {
		return "", err
	}
	if token, err = randomToken(); err != nil {
		return "", err
	}
	err = s.write(ctx, func(t *tx) error {
		var n int
		if err := t.one(ctx, "select count(*) from feed_tokens where structure_id = ? and revoked_at is null", []any{actor.StructureID}, &n); err != nil {
			return err
		}
		if n >= 50 {
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Trop d'adresses actives.",
				Fields: map[string]string{"label": "50 adresses de flux sont déjà actives : retirez celles qui ne servent plus."}}
		}
		id, err := t.insert(ctx, `insert into feed_tokens (structure_id, label, token_hash, created_by, created_at)
			values (?, ?, ?, ?, ?) returning id`, actor.StructureID, label, tokenHash(token), optID(actor.UserID), t.now)
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditFeedTokenCreate, recordType: "feed_token", recordID: id})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFeedToken implements maillon.InfoService.
func (s *Store) RevokeFeedToken(ctx context.Context, actor maillon.Actor, id maillon.FeedTokenID) (err error) {
	defer wrap(&err, "RevokeFeedToken")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var sid maillon.StructureID
		err := t.one(ctx, "select structure_id from feed_tokens where id = ?", []any{id}, &sid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
			return maillon.NotFound("Adresse de flux")
		}
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(sid) {
			return maillon.Forbidden()
		}
		n, err := t.exec(ctx, "update feed_tokens set revoked_at = ? where id = ? and revoked_at is null", t.now, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return maillon.Errorf(maillon.ErrConflict, "Cette adresse de flux est déjà retirée.")
		}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditFeedTokenRevoke, recordType: "feed_token", recordID: int64(id)})
	})
}

// FindFeedTokens implements maillon.InfoService.
func (s *Store) FindFeedTokens(ctx context.Context, actor maillon.Actor) (out []maillon.FeedToken, err error) {
	defer wrap(&err, "FindFeedTokens")
	if err := s.checkAdmin(actor, actor.StructureID); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, `select f.id, f.label, f.created_at, coalesce(u.display_name, ''), f.revoked_at, f.last_used_at
			from feed_tokens f left join users u on u.id = f.created_by
			where f.structure_id = ? order by f.revoked_at is not null, f.created_at desc, f.id desc limit 200`,
			[]any{actor.StructureID}, func(r *sql.Rows) error {
				var ft maillon.FeedToken
				if err := r.Scan(&ft.ID, &ft.Label, timeCol{&ft.CreatedAt}, &ft.CreatedBy, timeCol{&ft.RevokedAt}, timeCol{&ft.LastUsed}); err != nil {
					return err
				}
				out = append(out, ft)
				return nil
			})
	})
	return out, err
}

// feedItems reads the structure's current published items of levels.
func (t *tx) feedItems(ctx context.Context, f *maillon.Feed, levels ...string) error {
	today, _ := maillon.ParseDay("", t.now)
	args := []any{f.StructureID, today, today}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(levels)), ", ") + ")"
	for _, l := range levels {
		args = append(args, l)
	}
	if err := t.one(ctx, "select name from structures where id = ?", []any{f.StructureID}, &f.StructureName); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return maillon.NotFound("Flux")
		}
		return err
	}
	err := t.many(ctx, "select "+infoCols+` where i.structure_id = ? and i.status = 'publiee'
		and (i.valid_until is null or i.valid_until >= ?) and (i.valid_from is null or i.valid_from <= ?)
		and i.level in `+in+` order by i.updated_at desc, i.id desc limit `+strconv.Itoa(maillon.MaxFeedEntries), args,
		func(r *sql.Rows) error {
			i, err := scanInfo(r)
			if i.UpdatedAt.After(f.Updated) {
				f.Updated = i.UpdatedAt
			}
			f.Items = append(f.Items, i)
			return err
		})
	if err != nil {
		return err
	}
	if f.Updated.IsZero() {
		// An empty feed still needs an "updated": the structure's
		// creation is stable and reveals nothing.
		return t.one(ctx, "select created_at from structures where id = ?", []any{f.StructureID}, timeCol{&f.Updated})
	}
	return nil
}

// FindPublicFeed implements maillon.InfoService.
func (s *Store) FindPublicFeed(ctx context.Context, id maillon.StructureID) (f *maillon.Feed, err error) {
	defer wrap(&err, "FindPublicFeed")
	f = &maillon.Feed{StructureID: id, Level: maillon.InfoPublic}
	err = s.read(ctx, func(t *tx) error { return t.feedItems(ctx, f, maillon.InfoPublic) })
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FindNetworkFeed implements maillon.InfoService.
func (s *Store) FindNetworkFeed(ctx context.Context, token, requestID string) (f *maillon.Feed, err error) {
	defer wrap(&err, "FindNetworkFeed")
	if token == "" || len(token) > 100 {
		return nil, maillon.NotFound("Flux")
	}
	err = s.write(ctx, func(t *tx) error {
		var id int64
		var sid maillon.StructureID
		var revoked time.Time
		err := t.one(ctx, "select id, structure_id, revoked_at from feed_tokens where token_hash = ?", []any{tokenHash(token)},
			&id, &sid, timeCol{&revoked})
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !revoked.IsZero()) {
			return maillon.NotFound("Flux")
		}
		if err != nil {
			return err
		}
		f = &maillon.Feed{StructureID: sid, Level: maillon.InfoReseau}
		if err := t.feedItems(ctx, f, maillon.InfoReseau, maillon.InfoPublic); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update feed_tokens set last_used_at = ? where id = ?", t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, maillon.Actor{Channel: maillon.ChannelWeb, RequestID: requestID},
			auditRow{structureID: sid, action: maillon.AuditFeedRead, recordType: "feed_token", recordID: id})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}
