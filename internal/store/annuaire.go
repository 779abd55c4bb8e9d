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

// The partner directory. Every member of a structure reads its directory;
// coordinators and administrators change it (CanViewTeamData); mediators
// propose changes. Another structure's entries answer ErrNotFound.

// encodeCodes stores a list as ",a,b," so that one LIKE finds a code.
func encodeCodes(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return "," + strings.Join(l, ",") + ","
}

func decodeCodes(s string) []string {
	s = strings.Trim(s, ",")
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func optFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func floatCol(dst **float64) any { return &nullFloat{dst} }

type nullFloat struct{ p **float64 }

func (n *nullFloat) Scan(src any) error {
	var f sql.NullFloat64
	if err := f.Scan(src); err != nil {
		return err
	}
	if f.Valid {
		v := f.Float64
		*n.p = &v
	} else {
		*n.p = nil
	}
	return nil
}

type nullInt struct{ p **int }

func (n *nullInt) Scan(src any) error {
	var f sql.NullInt64
	if err := f.Scan(src); err != nil {
		return err
	}
	if f.Valid {
		v := int(f.Int64)
		*n.p = &v
	} else {
		*n.p = nil
	}
	return nil
}

func optInt(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// serviceSearchText is what the full-text index holds for a service.
func serviceSearchText(s *maillon.DirectoryService, structureName string) string {
	var b strings.Builder
	b.WriteString(s.Nom)
	b.WriteByte(' ')
	b.WriteString(structureName)
	for _, t := range s.Thematiques {
		b.WriteByte(' ')
		b.WriteString(maillon.ThematiqueLabel(t))
	}
	b.WriteByte(' ')
	b.WriteString(s.Description)
	return searchFold(b.String())
}

// canEditDirectory: coordinators and administrators of owner.
func canEditDirectory(actor maillon.Actor, owner maillon.StructureID) bool {
	return actor.CanViewTeamData(owner)
}

func directoryMember(actor maillon.Actor) error {
	if err := actor.Check(); err != nil {
		return err
	}
	if actor.StructureID == 0 {
		return maillon.Forbidden()
	}
	return nil
}

const selectDirStructures = `select s.id, s.owner_id, s.source, s.di_id, s.nom, s.siret, s.telephone, s.courriel, s.site_web,
	s.lien_source, s.horaires_accueil, s.accessibilite_lieu, s.reseaux_porteurs, s.description, s.adresse,
	s.complement_adresse, s.commune, s.code_postal, s.code_insee, s.latitude, s.longitude, s.date_maj, s.verified_at,
	s.verified_by, coalesce(u.display_name, ''), s.temp_kind, s.temp_message, s.temp_hours, s.temp_from, s.temp_until,
	(select max(r.on_date) from directory_relations r where r.structure_id = s.id)
from directory_structures s
left join users u on u.id = s.verified_by`

func scanDirStructure(scan func(...any) error) (maillon.DirectoryStructure, error) {
	var s maillon.DirectoryStructure
	var reseaux string
	err := scan(&s.ID, &s.OwnerID, &s.Source, &s.DIID, &s.Nom, &s.Siret, &s.Telephone, &s.Courriel, &s.SiteWeb,
		&s.LienSource, &s.HorairesAccueil, &s.AccessibiliteLieu, &reseaux, &s.Description, &s.Adresse,
		&s.ComplementAdresse, &s.Commune, &s.CodePostal, &s.CodeInsee, floatCol(&s.Latitude), floatCol(&s.Longitude),
		timeCol{&s.DateMaj}, timeCol{&s.VerifiedAt}, scanID(&s.VerifiedBy), &s.VerifiedByName, &s.Temporary.Kind,
		&s.Temporary.Message, &s.Temporary.Hours, timeCol{&s.Temporary.From}, timeCol{&s.Temporary.Until},
		timeCol{&s.LastInteraction})
	s.ReseauxPorteurs = decodeCodes(reseaux)
	return s, err
}

const selectDirServices = `select v.id, v.owner_id, v.structure_id, st.nom, v.source, v.di_id, v.di_structure_id, v.nom,
	v.description, v.type, v.thematiques, v.frais, v.frais_precisions, v.publics, v.publics_precisions, v.conditions_acces,
	v.telephone, v.courriel, v.contact_nom_prenom, v.lien_mobilisation, v.lien_source, v.modes_accueil,
	v.modes_mobilisation, v.mobilisable_par, v.mobilisation_precisions, v.zone_eligibilite, v.horaires_accueil,
	v.nombre_semaines, v.volume_horaire_hebdomadaire, v.adresse, v.complement_adresse, v.commune, v.code_postal,
	v.code_insee, v.latitude, v.longitude, v.date_maj, v.verified_at, v.verified_by
from directory_services v
join directory_structures st on st.id = v.structure_id`

func scanDirService(scan func(...any) error, extra ...any) (maillon.DirectoryService, error) {
	var s maillon.DirectoryService
	var them, pubs, modesA, modesM, mob, zones string
	err := scan(append([]any{&s.ID, &s.OwnerID, &s.StructureID, &s.StructureName, &s.Source, &s.DIID, &s.DIStructureID,
		&s.Nom, &s.Description, &s.Type, &them, &s.Frais, &s.FraisPrecisions, &pubs, &s.PublicsPrecisions,
		&s.ConditionsAcces, &s.Telephone, &s.Courriel, &s.ContactNomPrenom, &s.LienMobilisation, &s.LienSource, &modesA,
		&modesM, &mob, &s.MobilisationPrecisions, &zones, &s.HorairesAccueil, &nullInt{&s.NombreSemaines},
		floatCol(&s.VolumeHoraireHebdomadaire), &s.Adresse, &s.ComplementAdresse, &s.Commune, &s.CodePostal,
		&s.CodeInsee, floatCol(&s.Latitude), floatCol(&s.Longitude), timeCol{&s.DateMaj}, timeCol{&s.VerifiedAt},
		scanID(&s.VerifiedBy)}, extra...)...)
	s.Thematiques, s.Publics, s.ModesAccueil = decodeCodes(them), decodeCodes(pubs), decodeCodes(modesA)
	s.ModesMobilisation, s.MobilisablePar, s.ZoneEligibilite = decodeCodes(modesM), decodeCodes(mob), decodeCodes(zones)
	s.DistanceKm = -1
	return s, err
}

// dirStructureByID loads a structure of the actor's directory.
func (t *tx) dirStructureByID(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID) (*maillon.DirectoryStructure, error) {
	q := selectDirStructures + " where s.id = ?"
	s, err := scanDirStructure(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(s.OwnerID)) {
		return nil, maillon.NotFound("Structure de l'annuaire")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &s, nil
}

// FindDirectoryStructure implements maillon.DirectoryManager.
func (s *Store) FindDirectoryStructure(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID) (out *maillon.DirectoryStructure, err error) {
	defer wrap(&err, "FindDirectoryStructure")
	if err := directoryMember(actor); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		st, err := t.dirStructureByID(ctx, actor, id)
		if err != nil {
			return err
		}
		err = t.many(ctx, selectDirServices+" where v.structure_id = ? order by v.nom, v.id", []any{id}, func(r *sql.Rows) error {
			sv, err := scanDirService(r.Scan)
			st.Services = append(st.Services, sv)
			return err
		})
		out = st
		return err
	})
	return out, err
}

// FindDirectoryService implements maillon.DirectoryManager.
func (s *Store) FindDirectoryService(ctx context.Context, actor maillon.Actor, id maillon.DirectoryServiceID) (out *maillon.DirectoryService, err error) {
	defer wrap(&err, "FindDirectoryService")
	if err := directoryMember(actor); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		q := selectDirServices + " where v.id = ?"
		sv, err := scanDirService(t.queryRow(ctx, q, []any{int64(id)}).Scan)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sv.OwnerID)) {
			return maillon.NotFound("Service de l'annuaire")
		}
		out = &sv
		return err
	})
	return out, err
}

// FindDirectoryStructures implements maillon.DirectoryManager.
func (s *Store) FindDirectoryStructures(ctx context.Context, actor maillon.Actor, query string, offset, limit int) (out []maillon.DirectoryStructure, total int, err error) {
	defer wrap(&err, "FindDirectoryStructures")
	if err := directoryMember(actor); err != nil {
		return nil, 0, err
	}
	limit = pageLimit(limit, 50, 200)
	var w whereBuilder
	w.add("s.owner_id = ?", actor.StructureID)
	if q := strings.TrimSpace(searchFold(query)); q != "" {
		w.add(`s.name_key like ? escape '\'`, likePattern(q))
	}
	q := strings.Replace(selectDirStructures, "select s.id,", "select count(*) over (), s.id,", 1) + "\n" + w.String() +
		" order by " + t0(s).d.binaryOrder("s.name_key") + ", s.id limit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, q, append(w.args, limit, max(offset, 0)), func(r *sql.Rows) error {
			st, err := scanDirStructure(func(dest ...any) error { return r.Scan(append([]any{&total}, dest...)...) })
			out = append(out, st)
			return err
		})
	})
	return out, total, err
}

// t0 gives a dialect holder for building queries outside a transaction.
func t0(s *Store) *tx { return &tx{d: s.d} }

// directorySettings reads the thresholds of owner, or the defaults.
func (t *tx) directorySettings(ctx context.Context, owner maillon.StructureID) (maillon.DirectorySettings, error) {
	ds := maillon.DefaultDirectorySettings
	err := t.one(ctx, "select to_check_months, obsolete_months from directory_settings where owner_id = ?", []any{owner},
		&ds.ToCheckMonths, &ds.ObsoleteMonths)
	if errors.Is(err, sql.ErrNoRows) {
		return maillon.DefaultDirectorySettings, nil
	}
	return ds, err
}

// DirectorySettings implements maillon.DirectoryManager.
func (s *Store) DirectorySettings(ctx context.Context, actor maillon.Actor) (ds maillon.DirectorySettings, err error) {
	defer wrap(&err, "DirectorySettings")
	if err := directoryMember(actor); err != nil {
		return ds, err
	}
	err = s.read(ctx, func(t *tx) error {
		ds, err = t.directorySettings(ctx, actor.StructureID)
		return err
	})
	return ds, err
}

// SetDirectorySettings implements maillon.DirectoryManager.
func (s *Store) SetDirectorySettings(ctx context.Context, actor maillon.Actor, ds maillon.DirectorySettings) (err error) {
	defer wrap(&err, "SetDirectorySettings")
	if err := directoryMember(actor); err != nil {
		return err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return maillon.Forbidden()
	}
	if err := ds.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "delete from directory_settings where owner_id = ?", actor.StructureID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "insert into directory_settings (owner_id, to_check_months, obsolete_months) values (?, ?, ?)",
			actor.StructureID, ds.ToCheckMonths, ds.ObsoleteMonths); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectorySettings, recordType: "structure", recordID: int64(actor.StructureID)})
	})
}

// FindDirectoryReviewQueue implements maillon.DirectoryManager.
func (s *Store) FindDirectoryReviewQueue(ctx context.Context, actor maillon.Actor, limit int) (out []maillon.DirectoryStructure, err error) {
	defer wrap(&err, "FindDirectoryReviewQueue")
	if err := directoryMember(actor); err != nil {
		return nil, err
	}
	limit = pageLimit(limit, 50, 200)
	err = s.read(ctx, func(t *tx) error {
		ds, err := t.directorySettings(ctx, actor.StructureID)
		if err != nil {
			return err
		}
		_, upTo := ds.Bounds(maillon.FreshToCheck, t.now)
		return t.many(ctx, selectDirStructures+" where s.owner_id = ? and s.fresh_on <= ? order by s.fresh_on, s.id limit ?",
			[]any{actor.StructureID, upTo, limit}, func(r *sql.Rows) error {
				st, err := scanDirStructure(r.Scan)
				out = append(out, st)
				return err
			})
	})
	return out, err
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// SaveDirectoryStructure implements maillon.DirectoryManager. Entries
// typed in Maillon get the source "maillon" and an id of their own; an
// edited entry keeps its source and id, so a later import of the same
// producer updates it.
func (s *Store) SaveDirectoryStructure(ctx context.Context, actor maillon.Actor, in maillon.DirectoryStructure) (id maillon.DirectoryStructureID, err error) {
	defer wrap(&err, "SaveDirectoryStructure")
	if err := directoryMember(actor); err != nil {
		return 0, err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return 0, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		in.DateMaj = t.now
		if in.ID != 0 {
			old, err := t.dirStructureByID(ctx, actor, in.ID)
			if err != nil {
				return err
			}
			in.Source, in.DIID = old.Source, old.DIID
			in.Verification = old.Verification
		} else {
			in.Source, in.DIID = maillon.LocalSource, "pending"
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if in.ID == 0 {
			n, err := t.insertDirStructure(ctx, actor.StructureID, &in)
			if err != nil {
				return err
			}
			in.ID = maillon.DirectoryStructureID(n)
			in.DIID = maillon.LocalSource + "--" + itoa(n)
			if _, err := t.exec(ctx, "update directory_structures set di_id = ? where id = ?", in.DIID, n); err != nil {
				return err
			}
		} else {
			if err := t.updateDirStructure(ctx, &in, true); err != nil {
				return err
			}
		}
		id = in.ID
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryStructureSave, recordType: "directory_structure", recordID: int64(in.ID)})
	})
	return id, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

const dirStructureCols = `source, di_id, nom, name_key, siret, telephone, courriel, site_web, lien_source, horaires_accueil,
	accessibilite_lieu, reseaux_porteurs, description, adresse, complement_adresse, commune, code_postal, code_insee,
	latitude, longitude, date_maj, fresh_on`

func dirStructureArgs(s *maillon.DirectoryStructure) []any {
	return []any{s.Source, s.DIID, s.Nom, searchFold(s.Nom), s.Siret, s.Telephone, s.Courriel, s.SiteWeb, s.LienSource,
		s.HorairesAccueil, s.AccessibiliteLieu, encodeCodes(s.ReseauxPorteurs), s.Description, s.Adresse,
		s.ComplementAdresse, s.Commune, s.CodePostal, s.CodeInsee, optFloat(s.Latitude), optFloat(s.Longitude), s.DateMaj,
		laterOf(s.VerifiedAt, s.DateMaj)}
}

const insertDirStructure = `insert into directory_structures (owner_id, ` + dirStructureCols + `,
	temp_kind, temp_message, temp_hours, temp_from, temp_until, created_at, updated_at)
	values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`

func (t *tx) insertDirStructure(ctx context.Context, owner maillon.StructureID, s *maillon.DirectoryStructure) (int64, error) {
	args := append([]any{owner}, dirStructureArgs(s)...)
	ti := s.Temporary
	args = append(args, ti.Kind, ti.Message, ti.Hours, ti.From, ti.Until, t.now, t.now)
	return t.insert(ctx, insertDirStructure, args...)
}

const updateDirStructureQ = `update directory_structures set source = ?, di_id = ?, nom = ?, name_key = ?, siret = ?,
	telephone = ?, courriel = ?, site_web = ?, lien_source = ?, horaires_accueil = ?, accessibilite_lieu = ?,
	reseaux_porteurs = ?, description = ?, adresse = ?, complement_adresse = ?, commune = ?, code_postal = ?,
	code_insee = ?, latitude = ?, longitude = ?, date_maj = ?, fresh_on = ?, updated_at = ?`

// updateDirStructure replaces the v1 fields (and, from a form, the
// temporary information), then the structure's name in its services'
// search text.
func (t *tx) updateDirStructure(ctx context.Context, s *maillon.DirectoryStructure, withTemp bool) error {
	args := append(dirStructureArgs(s), t.now)
	q := updateDirStructureQ
	if withTemp {
		q += ", temp_kind = ?, temp_message = ?, temp_hours = ?, temp_from = ?, temp_until = ?"
		ti := s.Temporary
		args = append(args, ti.Kind, ti.Message, ti.Hours, ti.From, ti.Until)
	}
	if _, err := t.exec(ctx, q+" where id = ?", append(args, int64(s.ID))...); err != nil {
		return err
	}
	return t.reindexServices(ctx, dirStructureRef{id: s.ID, nom: s.Nom, lat: s.Latitude, lon: s.Longitude})
}

// reindexServices rewrites what services keep of their structure (the
// search text, the order, the position) after a change of its name or
// position.
func (t *tx) reindexServices(ctx context.Context, st dirStructureRef) error {
	var svs []maillon.DirectoryService
	if err := t.many(ctx, selectDirServices+" where v.structure_id = ?", []any{st.id}, func(r *sql.Rows) error {
		sv, err := scanDirService(r.Scan)
		svs = append(svs, sv)
		return err
	}); err != nil {
		return err
	}
	for i := range svs {
		lat, lon := servicePosition(&svs[i], st)
		if _, err := t.exec(ctx, "update directory_services set search_text = ?, sort_key = ?, pos_lat = ?, pos_lon = ? where id = ?",
			serviceSearchText(&svs[i], st.nom), serviceSortKey(&svs[i], st), optFloat(lat), optFloat(lon), int64(svs[i].ID)); err != nil {
			return err
		}
	}
	return nil
}

// dirServiceColumns are the columns a service's write sets, in the order
// of dirServiceArgs.
var dirServiceColumns = []string{"structure_id", "source", "di_id", "di_structure_id", "nom", "description", "type",
	"thematiques", "frais", "frais_precisions", "publics", "publics_precisions", "conditions_acces", "telephone",
	"courriel", "contact_nom_prenom", "lien_mobilisation", "lien_source", "modes_accueil", "modes_mobilisation",
	"mobilisable_par", "mobilisation_precisions", "zone_eligibilite", "horaires_accueil", "nombre_semaines",
	"volume_horaire_hebdomadaire", "adresse", "complement_adresse", "commune", "code_postal", "code_insee", "latitude",
	"longitude", "date_maj", "fresh_on", "search_text", "sort_key", "pos_lat", "pos_lon"}

// dirStructureRef is what a service needs of its structure: its row,
// its name for the search text and order, its position for the
// distance sort of services without one.
type dirStructureRef struct {
	id       maillon.DirectoryStructureID
	nom      string
	lat, lon *float64
}

// serviceSortKey orders services by structure, then name.
func serviceSortKey(s *maillon.DirectoryService, st dirStructureRef) string {
	return searchFold(st.nom) + "\x1f" + searchFold(s.Nom)
}

// servicePosition is the service's position, or its structure's.
func servicePosition(s *maillon.DirectoryService, st dirStructureRef) (lat, lon *float64) {
	if s.Latitude != nil && s.Longitude != nil {
		return s.Latitude, s.Longitude
	}
	return st.lat, st.lon
}

// dirServiceArgs are the values of dirServiceColumns.
func dirServiceArgs(s *maillon.DirectoryService, st dirStructureRef) []any {
	plat, plon := servicePosition(s, st)
	return []any{int64(st.id), s.Source, s.DIID, s.DIStructureID, s.Nom, s.Description, s.Type, encodeCodes(s.Thematiques),
		s.Frais, s.FraisPrecisions, encodeCodes(s.Publics), s.PublicsPrecisions, s.ConditionsAcces, s.Telephone, s.Courriel,
		s.ContactNomPrenom, s.LienMobilisation, s.LienSource, encodeCodes(s.ModesAccueil), encodeCodes(s.ModesMobilisation),
		encodeCodes(s.MobilisablePar), s.MobilisationPrecisions, encodeCodes(s.ZoneEligibilite), s.HorairesAccueil,
		optInt(s.NombreSemaines), optFloat(s.VolumeHoraireHebdomadaire), s.Adresse, s.ComplementAdresse, s.Commune,
		s.CodePostal, s.CodeInsee, optFloat(s.Latitude), optFloat(s.Longitude), s.DateMaj, laterOf(s.VerifiedAt, s.DateMaj),
		serviceSearchText(s, st.nom), serviceSortKey(s, st), optFloat(plat), optFloat(plon)}
}

var (
	insertDirService = "insert into directory_services (owner_id, " + strings.Join(dirServiceColumns, ", ") +
		", created_at, updated_at) values (" + strings.Repeat("?, ", len(dirServiceColumns)+2) + "?) returning id"
	updateDirService = "update directory_services set " + strings.Join(dirServiceColumns, " = ?, ") +
		" = ?, updated_at = ? where id = ?"
)

// serviceCodes are the rows of directory_service_codes of a service.
func serviceCodes(s *maillon.DirectoryService) []string {
	var out []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, t := range s.Thematiques {
		cat, _, _ := strings.Cut(t, "--")
		add("t:" + cat)
		add("t:" + t)
	}
	for _, p := range s.Publics {
		add("p:" + p)
	}
	for _, m := range s.ModesAccueil {
		add("a:" + m)
	}
	if s.Frais != "" {
		add("f:" + s.Frais)
	}
	if s.CodeInsee != "" {
		add("c:" + s.CodeInsee)
	}
	return out
}

const (
	deleteServiceCodes = "delete from directory_service_codes where service_id = ?"
	insertServiceCode  = "insert into directory_service_codes (owner_id, code, service_id) values (?, ?, ?)"
)

// setServiceCodes replaces the filter codes of a service.
func (t *tx) setServiceCodes(ctx context.Context, owner maillon.StructureID, id int64, s *maillon.DirectoryService) error {
	if _, err := t.exec(ctx, deleteServiceCodes, id); err != nil {
		return err
	}
	for _, c := range serviceCodes(s) {
		if _, err := t.exec(ctx, insertServiceCode, owner, c, id); err != nil {
			return err
		}
	}
	return nil
}

// SaveDirectoryService implements maillon.DirectoryManager.
func (s *Store) SaveDirectoryService(ctx context.Context, actor maillon.Actor, in maillon.DirectoryService) (id maillon.DirectoryServiceID, err error) {
	defer wrap(&err, "SaveDirectoryService")
	if err := directoryMember(actor); err != nil {
		return 0, err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return 0, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		st, err := t.dirStructureByID(ctx, actor, in.StructureID)
		if err != nil {
			return err
		}
		in.DateMaj = t.now
		in.DIStructureID = st.DIID
		if in.ID != 0 {
			var owner maillon.StructureID
			if err := t.one(ctx, "select owner_id, source, di_id, verified_at from directory_services where id = ?",
				[]any{int64(in.ID)}, &owner, &in.Source, &in.DIID, timeCol{&in.VerifiedAt}); errors.Is(err, sql.ErrNoRows) || owner != actor.StructureID {
				return maillon.NotFound("Service de l'annuaire")
			} else if err != nil {
				return err
			}
		} else {
			in.Source, in.DIID = st.Source, "pending"
		}
		if err := in.Validate(); err != nil {
			return err
		}
		ref := dirStructureRef{id: st.ID, nom: st.Nom, lat: st.Latitude, lon: st.Longitude}
		if in.ID == 0 {
			n, err := t.insert(ctx, insertDirService, append(append([]any{actor.StructureID}, dirServiceArgs(&in, ref)...), t.now, t.now)...)
			if err != nil {
				return err
			}
			in.ID = maillon.DirectoryServiceID(n)
			if _, err := t.exec(ctx, "update directory_services set di_id = ? where id = ?", st.Source+"--s"+itoa(n), n); err != nil {
				return err
			}
		} else if _, err := t.exec(ctx, updateDirService, append(dirServiceArgs(&in, ref), t.now, int64(in.ID))...); err != nil {
			return err
		}
		if err := t.setServiceCodes(ctx, actor.StructureID, int64(in.ID), &in); err != nil {
			return err
		}
		id = in.ID
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryServiceSave, recordType: "directory_service", recordID: int64(in.ID)})
	})
	return id, err
}

// VerifyDirectoryStructure implements maillon.DirectoryManager.
func (s *Store) VerifyDirectoryStructure(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID) (err error) {
	defer wrap(&err, "VerifyDirectoryStructure")
	if err := directoryMember(actor); err != nil {
		return err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return maillon.Forbidden()
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.dirStructureByID(ctx, actor, id); err != nil {
			return err
		}
		for _, table := range []string{"directory_structures where id = ?", "directory_services where structure_id = ?"} {
			if _, err := t.exec(ctx, "update "+strings.Replace(table, " where", ` set verified_at = ?, verified_by = ?,
				fresh_on = case when date_maj > ? then date_maj else ? end where`, 1), t.now, optID(actor.UserID), t.now, t.now, int64(id)); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryVerify, recordType: "directory_structure", recordID: int64(id)})
	})
}

// SetDirectoryTemporary implements maillon.DirectoryManager.
func (s *Store) SetDirectoryTemporary(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID, in maillon.TemporaryInput) (err error) {
	defer wrap(&err, "SetDirectoryTemporary")
	if err := directoryMember(actor); err != nil {
		return err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return maillon.Forbidden()
	}
	return s.write(ctx, func(t *tx) error {
		ti, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if _, err := t.dirStructureByID(ctx, actor, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `update directory_structures set temp_kind = ?, temp_message = ?, temp_hours = ?,
			temp_from = ?, temp_until = ?, updated_at = ? where id = ?`, ti.Kind, ti.Message, ti.Hours, ti.From, ti.Until, t.now, int64(id)); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryStructureSave, recordType: "directory_structure",
			recordID: int64(id), fields: []string{"temporary"}})
	})
}

// FindDirectoryContacts implements maillon.DirectoryManager.
func (s *Store) FindDirectoryContacts(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID) (out []maillon.DirectoryContact, err error) {
	defer wrap(&err, "FindDirectoryContacts")
	if err := directoryMember(actor); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		if _, err := t.dirStructureByID(ctx, actor, id); err != nil {
			return err
		}
		return t.many(ctx, `select id, structure_id, name, role, phone, email, created_at from directory_contacts
			where structure_id = ? order by name, id`, []any{id}, func(r *sql.Rows) error {
			var c maillon.DirectoryContact
			err := r.Scan(&c.ID, &c.StructureID, &c.Name, &c.Role, &c.Phone, &c.Email, timeCol{&c.CreatedAt})
			out = append(out, c)
			return err
		})
	})
	return out, err
}

// AddDirectoryContact implements maillon.DirectoryManager.
func (s *Store) AddDirectoryContact(ctx context.Context, actor maillon.Actor, c maillon.DirectoryContact) (err error) {
	defer wrap(&err, "AddDirectoryContact")
	if err := directoryMember(actor); err != nil {
		return err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return maillon.Forbidden()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.dirStructureByID(ctx, actor, c.StructureID); err != nil {
			return err
		}
		n, err := t.insert(ctx, `insert into directory_contacts (owner_id, structure_id, name, role, phone, email, created_by, created_at)
			values (?, ?, ?, ?, ?, ?, ?, ?) returning id`, actor.StructureID, int64(c.StructureID), c.Name, c.Role, c.Phone, c.Email,
			optID(actor.UserID), t.now)
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryContact, recordType: "directory_contact", recordID: n})
	})
}

// DeleteDirectoryContact implements maillon.DirectoryManager.
func (s *Store) DeleteDirectoryContact(ctx context.Context, actor maillon.Actor, id maillon.DirectoryContactID) (err error) {
	defer wrap(&err, "DeleteDirectoryContact")
	if err := directoryMember(actor); err != nil {
		return err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return maillon.Forbidden()
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, "delete from directory_contacts where id = ? and owner_id = ?", int64(id), actor.StructureID)
		if err != nil {
			return err
		}
		if n == 0 {
			return maillon.NotFound("Contact")
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryContact, recordType: "directory_contact", recordID: int64(id), fields: []string{"deleted"}})
	})
}

// FindDirectoryRelations implements maillon.DirectoryManager.
func (s *Store) FindDirectoryRelations(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID) (out []maillon.DirectoryRelation, err error) {
	defer wrap(&err, "FindDirectoryRelations")
	if err := directoryMember(actor); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		if _, err := t.dirStructureByID(ctx, actor, id); err != nil {
			return err
		}
		return t.many(ctx, `select id, structure_id, kind, title, on_date, end_date, participants, decisions, follow_ups,
			documents, created_by, created_at from directory_relations where structure_id = ? order by on_date desc, id desc`,
			[]any{id}, func(r *sql.Rows) error {
				var x maillon.DirectoryRelation
				err := r.Scan(&x.ID, &x.StructureID, &x.Kind, &x.Title, timeCol{&x.Date}, timeCol{&x.EndDate}, &x.Participants,
					&x.Decisions, &x.FollowUps, &x.Documents, scanID(&x.CreatedBy), timeCol{&x.CreatedAt})
				out = append(out, x)
				return err
			})
	})
	return out, err
}

// AddDirectoryRelation implements maillon.DirectoryManager.
func (s *Store) AddDirectoryRelation(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID, in maillon.DirectoryRelationInput) (err error) {
	defer wrap(&err, "AddDirectoryRelation")
	if err := directoryMember(actor); err != nil {
		return err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return maillon.Forbidden()
	}
	return s.write(ctx, func(t *tx) error {
		x, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if _, err := t.dirStructureByID(ctx, actor, id); err != nil {
			return err
		}
		n, err := t.insert(ctx, `insert into directory_relations (owner_id, structure_id, kind, title, on_date, end_date,
			participants, decisions, follow_ups, documents, created_by, created_at)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`, actor.StructureID, int64(id), x.Kind, x.Title, x.Date,
			x.EndDate, x.Participants, x.Decisions, x.FollowUps, x.Documents, optID(actor.UserID), t.now)
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryRelation, recordType: "directory_relation", recordID: n})
	})
}

// ProposeDirectoryUpdate implements maillon.DirectoryManager.
func (s *Store) ProposeDirectoryUpdate(ctx context.Context, actor maillon.Actor, id maillon.DirectoryStructureID, text string) (err error) {
	defer wrap(&err, "ProposeDirectoryUpdate")
	if err := directoryMember(actor); err != nil {
		return err
	}
	text, msg := maillon.CleanText(text, maillon.MaxLongTextLen, true)
	if msg == "" && text == "" {
		msg = "Décrivez la modification à apporter."
	}
	if msg != "" {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"text": msg}}
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.dirStructureByID(ctx, actor, id); err != nil {
			return err
		}
		n, err := t.insert(ctx, `insert into directory_proposals (owner_id, structure_id, text, proposed_by, created_at)
			values (?, ?, ?, ?, ?) returning id`, actor.StructureID, int64(id), text, optID(actor.UserID), t.now)
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryProposal, recordType: "directory_proposal", recordID: n})
	})
}

// FindDirectoryProposals implements maillon.DirectoryManager: the open
// proposals, oldest first.
func (s *Store) FindDirectoryProposals(ctx context.Context, actor maillon.Actor) (out []maillon.DirectoryProposal, err error) {
	defer wrap(&err, "FindDirectoryProposals")
	if err := directoryMember(actor); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, `select p.id, p.structure_id, s.nom, p.text, p.proposed_by, coalesce(u.display_name, ''), p.created_at
			from directory_proposals p join directory_structures s on s.id = p.structure_id
			left join users u on u.id = p.proposed_by
			where p.owner_id = ? and p.closed_at is null order by p.created_at, p.id limit 200`, []any{actor.StructureID},
			func(r *sql.Rows) error {
				var p maillon.DirectoryProposal
				err := r.Scan(&p.ID, &p.StructureID, &p.StructureName, &p.Text, scanID(&p.ProposedBy), &p.ProposedByName, timeCol{&p.CreatedAt})
				out = append(out, p)
				return err
			})
	})
	return out, err
}

// CloseDirectoryProposal implements maillon.DirectoryManager.
func (s *Store) CloseDirectoryProposal(ctx context.Context, actor maillon.Actor, id maillon.DirectoryProposalID, accepted bool) (err error) {
	defer wrap(&err, "CloseDirectoryProposal")
	if err := directoryMember(actor); err != nil {
		return err
	}
	if !canEditDirectory(actor, actor.StructureID) {
		return maillon.Forbidden()
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, `update directory_proposals set closed_at = ?, closed_by = ?, accepted = ?
			where id = ? and owner_id = ? and closed_at is null`, t.now, optID(actor.UserID), accepted, int64(id), actor.StructureID)
		if err != nil {
			return err
		}
		if n == 0 {
			return maillon.NotFound("Proposition")
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditDirectoryProposalClose, recordType: "directory_proposal", recordID: int64(id)})
	})
}

// ExportDirectory implements maillon.DirectoryManager.
func (s *Store) ExportDirectory(ctx context.Context, actor maillon.Actor, owner maillon.StructureID) (sts []maillon.DirectoryStructure, svs []maillon.DirectoryService, err error) {
	defer wrap(&err, "ExportDirectory")
	if err := actor.Check(); err != nil {
		return nil, nil, err
	}
	if owner == 0 {
		owner = actor.StructureID
	}
	if !actor.InStructure(owner) {
		return nil, nil, maillon.Forbidden()
	}
	err = s.read(ctx, func(t *tx) error {
		if err := t.many(ctx, selectDirStructures+" where s.owner_id = ? order by s.source, s.di_id", []any{owner}, func(r *sql.Rows) error {
			st, err := scanDirStructure(r.Scan)
			sts = append(sts, st)
			return err
		}); err != nil {
			return err
		}
		// The services' structure_id is their structure's current id, in
		// case it was typed in Maillon after the service.
		return t.many(ctx, strings.Replace(selectDirServices, "v.di_structure_id,", "st.di_id,", 1)+
			" where v.owner_id = ? order by v.source, v.di_id", []any{owner}, func(r *sql.Rows) error {
			sv, err := scanDirService(r.Scan)
			svs = append(svs, sv)
			return err
		})
	})
	return sts, svs, err
}
