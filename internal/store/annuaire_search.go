package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"maillon"
)

// How a directory search stays fast (docs/performance.md §11).
//
// SQLite has no bitmap operations: a search that combined a thématique
// of 14,000 services with the name order probed each of them twice, at
// about a microsecond a probe, and any filter covering most of the
// directory cost tens of milliseconds; on PostgreSQL, the GIN index
// answered "en:*" in 33 ms and its matches were rechecked on 2 KB rows.
// So the store keeps, per directory, a search index in memory
// (dirIndex): each service's position in name order, its coordinates and
// freshness date, the services of each code (thématique, public, mode
// d'accueil, frais, commune), and the words of the folded search text
// (name, structure, thématique labels, description) with their services.
// Filtering, counting and sorting by name or distance are loops over
// arrays, a word prefix is a range of the sorted words, and only the
// page's rows are read from the database.
//
// The index is rebuilt when the directory's version changes: triggers
// bump directory_versions on every insert, update or delete of a service
// (migration 20261130-04), and each search reads the version in its own
// transaction, so that it never answers from an index older than what it
// reads. A large import bumps the version once instead of per row. The
// index holds no personal data: partners' services only.

// dirIndexMaxOwners bounds the directories kept in memory; a network on
// PostgreSQL has many small ones, a structure on SQLite one.
const dirIndexMaxOwners = 64

// dirIndex is the search index of one owner's directory at a version.
// Positions are indexes into the arrays, which are in ascending ID order.
type dirIndex struct {
	version  int64
	ids      []int64
	byName   []int32 // positions in (sort_key, id) order
	lat, lon []float64
	placed   []bool
	fresh    []time.Time // zero when unknown
	codes    map[string][]int32
	// words are the distinct words of the search texts, sorted, and
	// postings[i] the services holding words[i].
	words    []string
	postings [][]int32
}

// dirIndexes caches the indexes of the directories searched lately.
type dirIndexes struct {
	mu     sync.Mutex
	owners map[maillon.StructureID]*dirIndex
	build  sync.Mutex // one build at a time: a build reads the whole directory
}

// directoryIndex returns the owner's index at the version the
// transaction sees, building it if needed.
func (s *Store) directoryIndex(ctx context.Context, t *tx, owner maillon.StructureID) (*dirIndex, error) {
	var version int64
	err := t.one(ctx, "select version from directory_versions where owner_id = ?", []any{owner}, &version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	get := func() *dirIndex {
		s.dirIdx.mu.Lock()
		defer s.dirIdx.mu.Unlock()
		if ix := s.dirIdx.owners[owner]; ix != nil && ix.version == version {
			return ix
		}
		return nil
	}
	if ix := get(); ix != nil {
		return ix, nil
	}
	s.dirIdx.build.Lock()
	defer s.dirIdx.build.Unlock()
	if ix := get(); ix != nil { // built while this search waited
		return ix, nil
	}
	ix, err := t.buildDirIndex(ctx, owner, version)
	if err != nil {
		return nil, err
	}
	s.dirIdx.mu.Lock()
	defer s.dirIdx.mu.Unlock()
	if s.dirIdx.owners == nil {
		s.dirIdx.owners = map[maillon.StructureID]*dirIndex{}
	}
	if old := s.dirIdx.owners[owner]; old == nil && len(s.dirIdx.owners) >= dirIndexMaxOwners {
		for k := range s.dirIdx.owners { // any one: rebuilt on its next search
			delete(s.dirIdx.owners, k)
			break
		}
	}
	// A slower search may have built a newer version meanwhile.
	if old := s.dirIdx.owners[owner]; old == nil || old.version < version {
		s.dirIdx.owners[owner] = ix
	}
	return ix, nil
}

// buildDirIndex reads the owner's services through three covering
// indexes (name, position, freshness) rather than the wide rows, then the
// codes: about a third of a second for 100,000 services and 640,000
// codes.
func (t *tx) buildDirIndex(ctx context.Context, owner maillon.StructureID, version int64) (*dirIndex, error) {
	ix := &dirIndex{version: version, codes: map[string][]int32{}}
	// In (sort_key, id) byte order: the order of binaryOrder.
	var named []int64
	if err := t.many(ctx, "select id from directory_services where owner_id = ? order by "+t.d.binaryOrder("sort_key")+", id",
		[]any{owner}, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			named = append(named, id)
			return err
		}); err != nil {
		return nil, err
	}
	n := len(named)
	ix.ids = slices.Clone(named)
	slices.Sort(ix.ids)
	posOf := func(id int64) (int32, bool) {
		pos, ok := slices.BinarySearch(ix.ids, id)
		return int32(pos), ok
	}
	ix.byName = make([]int32, n)
	for rank, id := range named {
		ix.byName[rank], _ = posOf(id)
	}
	ix.lat, ix.lon, ix.placed, ix.fresh = make([]float64, n), make([]float64, n), make([]bool, n), make([]time.Time, n)
	if err := t.many(ctx, "select id, pos_lat, pos_lon from directory_services where owner_id = ? and pos_lat is not null and pos_lon is not null",
		[]any{owner}, func(r *sql.Rows) error {
			var id int64
			var lat, lon float64
			if err := r.Scan(&id, &lat, &lon); err != nil {
				return err
			}
			if pos, ok := posOf(id); ok {
				ix.lat[pos], ix.lon[pos], ix.placed[pos] = lat, lon, true
			}
			return nil
		}); err != nil {
		return nil, err
	}
	if err := t.many(ctx, "select id, fresh_on from directory_services where owner_id = ? and fresh_on is not null",
		[]any{owner}, func(r *sql.Rows) error {
			var id int64
			var fresh time.Time
			if err := r.Scan(&id, timeCol{&fresh}); err != nil {
				return err
			}
			if pos, ok := posOf(id); ok {
				ix.fresh[pos] = fresh
			}
			return nil
		}); err != nil {
		return nil, err
	}
	byWord := map[string][]int32{}
	if err := t.many(ctx, "select id, search_text from directory_services where owner_id = ?", []any{owner}, func(r *sql.Rows) error {
		var id int64
		var text string
		if err := r.Scan(&id, &text); err != nil {
			return err
		}
		pos, ok := posOf(id)
		if !ok {
			return nil
		}
		for w := range dirWords(text) {
			// A word repeated in one text is listed once per service.
			if list := byWord[w]; len(list) == 0 || list[len(list)-1] != pos {
				byWord[w] = append(list, pos)
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	ix.words = make([]string, 0, len(byWord))
	for w := range byWord {
		ix.words = append(ix.words, w)
	}
	slices.Sort(ix.words)
	ix.postings = make([][]int32, len(ix.words))
	for i, w := range ix.words {
		ix.postings[i] = byWord[w]
	}
	if err := t.many(ctx, "select code, service_id from directory_service_codes where owner_id = ?", []any{owner}, func(r *sql.Rows) error {
		var code string
		var id int64
		if err := r.Scan(&code, &id); err != nil {
			return err
		}
		if pos, ok := posOf(id); ok {
			ix.codes[code] = append(ix.codes[code], pos)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return ix, nil
}

// dirSet is a set of positions of an index.
type dirSet []uint64

func newDirSet(n int, full bool) dirSet {
	s := make(dirSet, (n+63)/64)
	if full {
		for i := range s {
			s[i] = ^uint64(0)
		}
		if r := n % 64; r != 0 {
			s[len(s)-1] = 1<<r - 1
		}
	}
	return s
}

func (s dirSet) has(i int32) bool { return s[i/64]&(1<<(i%64)) != 0 }
func (s dirSet) add(i int32)      { s[i/64] |= 1 << (i % 64) }
func (s dirSet) and(o dirSet) {
	for i := range s {
		s[i] &= o[i]
	}
}
func (s dirSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// SearchDirectory implements maillon.DirectoryManager.
func (s *Store) SearchDirectory(ctx context.Context, actor maillon.Actor, f maillon.DirectoryFilter) (out []maillon.DirectoryService, total int, err error) {
	defer wrap(&err, "SearchDirectory")
	if err := directoryMember(actor); err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	owner := actor.StructureID
	limit, offset := pageLimit(f.Limit, 20, 100), max(f.Offset, 0)
	err = s.read(ctx, func(t *tx) error {
		ix, err := s.directoryIndex(ctx, t, owner)
		if err != nil {
			return err
		}
		match, err := t.directoryMatch(ctx, ix, owner, f)
		if err != nil {
			return err
		}
		total = match.count()
		if total == 0 || offset >= total {
			return nil
		}
		lat, lon := f.Lat, f.Lon
		if f.NearInsee != "" && lat == nil {
			lat, lon = ix.centre("c:" + f.NearInsee)
		}
		var page []int32
		if lat == nil {
			page = ix.pageByName(match, limit, offset)
		} else {
			page = ix.pageByDistance(match, *lat, *lon, limit, offset)
		}
		ids := make([]int64, len(page))
		for i, pos := range page {
			ids[i] = ix.ids[pos]
		}
		out, err = t.servicesByIDs(ctx, ids, lat, lon)
		return err
	})
	return out, total, err
}

// directoryMatch is the set of services passing every filter.
func (t *tx) directoryMatch(ctx context.Context, ix *dirIndex, owner maillon.StructureID, f maillon.DirectoryFilter) (dirSet, error) {
	match := newDirSet(len(ix.ids), true)
	for _, token := range searchTokens(f.Query) {
		match.and(ix.prefixed(token))
	}
	for _, code := range []string{"t:" + f.Thematique, "p:" + f.Public, "a:" + f.ModeAccueil, "f:" + f.Frais, "c:" + f.CodeInsee} {
		if len(code) > 2 {
			set := newDirSet(len(ix.ids), false)
			for _, pos := range ix.codes[code] {
				set.add(pos)
			}
			match.and(set)
		}
	}
	if f.Freshness != "" {
		ds, err := t.directorySettings(ctx, owner)
		if err != nil {
			return nil, err
		}
		after, upTo := ds.Bounds(f.Freshness, t.now)
		for pos, fresh := range ix.fresh {
			// Like "fresh_on > after and fresh_on <= upTo" in SQL: an
			// unknown date passes no bound.
			if (!after.IsZero() && (fresh.IsZero() || !fresh.After(after))) ||
				(!upTo.IsZero() && (fresh.IsZero() || fresh.After(upTo))) {
				match[pos/64] &^= 1 << (pos % 64)
			}
		}
	}
	return match, nil
}

// pageByName returns the positions of a page of the match in name order.
func (ix *dirIndex) pageByName(match dirSet, limit, offset int) []int32 {
	var page []int32
	for _, pos := range ix.byName {
		if !match.has(pos) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if page = append(page, pos); len(page) == limit {
			break
		}
	}
	return page
}

// pageByDistance returns the positions of a page of the match by
// distance from (lat, lon), then ID; services without a position last.
// The distance is equirectangular, which within a territory orders
// services as the haversine distance shown does.
func (ix *dirIndex) pageByDistance(match dirSet, lat, lon float64, limit, offset int) []int32 {
	cosLat := math.Cos(lat * math.Pi / 180)
	type placed struct {
		d   float64
		pos int32
	}
	less := func(a, b placed) bool { return a.d < b.d || (a.d == b.d && a.pos < b.pos) }
	// The offset+limit nearest, kept in a max-heap: sorting a whole
	// directory of 100,000 services for a page of 20 cost 15 ms.
	k := offset + limit
	heap := make([]placed, 0, k)
	down := func(i int) {
		for {
			l, r, top := 2*i+1, 2*i+2, i
			if l < len(heap) && less(heap[top], heap[l]) {
				top = l
			}
			if r < len(heap) && less(heap[top], heap[r]) {
				top = r
			}
			if top == i {
				return
			}
			heap[i], heap[top] = heap[top], heap[i]
			i = top
		}
	}
	for pos := range ix.ids {
		p := int32(pos)
		if !match.has(p) {
			continue
		}
		d := math.Inf(1)
		if ix.placed[p] {
			dy, dx := ix.lat[p]-lat, (ix.lon[p]-lon)*cosLat
			d = dy*dy + dx*dx
		}
		c := placed{d, p}
		switch {
		case len(heap) < k:
			heap = append(heap, c)
			for i := len(heap) - 1; i > 0 && less(heap[(i-1)/2], heap[i]); i = (i - 1) / 2 {
				heap[i], heap[(i-1)/2] = heap[(i-1)/2], heap[i]
			}
		case less(c, heap[0]):
			heap[0] = c
			down(0)
		}
	}
	// Positions are in ID order, so comparing them breaks ties by ID.
	slices.SortFunc(heap, func(a, b placed) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	var page []int32
	for _, p := range heap[min(offset, len(heap)):] {
		page = append(page, p.pos)
	}
	return page
}

// centre is the mean position of a code's services (a commune's), nil
// when none has a position.
func (ix *dirIndex) centre(code string) (lat, lon *float64) {
	var sumLat, sumLon float64
	n := 0
	for _, pos := range ix.codes[code] {
		if ix.placed[pos] {
			sumLat, sumLon, n = sumLat+ix.lat[pos], sumLon+ix.lon[pos], n+1
		}
	}
	if n == 0 {
		return nil, nil
	}
	la, lo := sumLat/float64(n), sumLon/float64(n)
	return &la, &lo
}

// servicesByIDs reads services in the order of ids, with their distance
// from (lat, lon) when given.
func (t *tx) servicesByIDs(ctx context.Context, ids []int64, lat, lon *float64) ([]maillon.DirectoryService, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	byID := map[maillon.DirectoryServiceID]maillon.DirectoryService{}
	q := strings.Replace(selectDirServices, "v.verified_by\nfrom", "v.verified_by, v.pos_lat, v.pos_lon\nfrom", 1) +
		" where v.id in (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	if err := t.many(ctx, q, args, func(r *sql.Rows) error {
		var plat, plon *float64
		sv, err := scanDirService(r.Scan, floatCol(&plat), floatCol(&plon))
		if lat != nil && plat != nil && plon != nil {
			sv.DistanceKm = maillon.DistanceKm(*lat, *lon, *plat, *plon)
		}
		byID[sv.ID] = sv
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]maillon.DirectoryService, 0, len(ids))
	for _, id := range ids {
		if sv, ok := byID[maillon.DirectoryServiceID(id)]; ok {
			out = append(out, sv)
		}
	}
	return out, nil
}

// dirWords yields the words of a folded search text: runs of letters and
// digits, as the people's search tokenises.
func dirWords(text string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		start := -1
		for i, r := range text {
			if isWordRune(r) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 {
				if !yield(text[start:i]) {
					return
				}
				start = -1
			}
		}
		if start >= 0 {
			yield(text[start:])
		}
	}
}

// prefixed is the set of services holding a word that starts with
// prefix: the words in the sorted range [prefix, prefix + U+10FFFF).
func (ix *dirIndex) prefixed(prefix string) dirSet {
	set := newDirSet(len(ix.ids), false)
	i, _ := slices.BinarySearch(ix.words, prefix)
	for ; i < len(ix.words) && strings.HasPrefix(ix.words[i], prefix); i++ {
		for _, pos := range ix.postings[i] {
			set.add(pos)
		}
	}
	return set
}
