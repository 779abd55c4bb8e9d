package web

import (
	"net/http"
	"strconv"
	"strings"

	"maillon"
	"maillon/internal/ui"
)

// The journal of practice: the user's own notes (/pratique) and the team's
// group sessions (/pratique/seances). The store answers "not found" for a
// note that is not the user's, whatever the role.

const (
	practiceNotesPerPage    = 20
	practiceSessionsPerPage = 20
	// practiceExcerptLen is how much of a situation the list shows.
	practiceExcerptLen = 280
)

// practiceHint reminds the author, on every text of a note, to write
// without identities.
const practiceHint = "Sans nom, initiales, adresse ni détail qui permette de reconnaître une personne. 10 000 caractères au plus."

func practiceNoteURL(id maillon.PracticeNoteID) string {
	return "/pratique/notes/" + strconv.FormatInt(int64(id), 10)
}

func practiceCrumbs(title string) []Crumb {
	return []Crumb{{"/pratique", "Journal de pratique"}, {"", title}}
}

// excerpt cuts s to about n characters, on a word boundary.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// ---------------------------------------------------------------------
// Notes.

type practiceNoteItem struct {
	maillon.PracticeNote
	Excerpt string
}

type practiceNotesPage struct {
	Page
	Notes      []practiceNoteItem
	Total      int
	Pagination pagination
}

func (h *Handler) handlePracticeIndex(w http.ResponseWriter, r *http.Request) error {
	offset := pageOffset(r, practiceNotesPerPage)
	notes, total, err := h.svc.Practice.FindPracticeNotes(r.Context(), actor(r), offset, practiceNotesPerPage)
	if err != nil {
		return err
	}
	p := practiceNotesPage{Page: h.page(w, r, "Journal de pratique", "practice"), Total: total,
		Pagination: paginate(r.URL.Query(), "/pratique", offset, practiceNotesPerPage, len(notes), total)}
	for _, n := range notes {
		p.Notes = append(p.Notes, practiceNoteItem{PracticeNote: n, Excerpt: excerpt(n.Situation, practiceExcerptLen)})
	}
	return h.render(w, http.StatusOK, "practice/index", p)
}

type practiceNotePage struct {
	Page
	Note    *maillon.PracticeNote
	Excerpt string
	Hint    string
	Max     int
}

func (h *Handler) practiceNoteForm(w http.ResponseWriter, r *http.Request, status int, note *maillon.PracticeNote, f *ui.Form) error {
	title := "Nouvelle note de pratique"
	if note != nil {
		title = "Modifier la note du " + ui.Date(note.CreatedAt)
	}
	p := practiceNotePage{Page: h.page(w, r, title, "practice", practiceCrumbs(title)...), Note: note, Hint: practiceHint,
		Max: maillon.MaxPracticeTextLen}
	p.Form = f
	return h.render(w, status, "practice/form", p)
}

func practiceNoteInput(r *http.Request) (*ui.Form, maillon.PracticeNoteInput) {
	pf := r.PostForm
	f := ui.NewForm(maillon.PracticeNoteFields...)
	for _, k := range maillon.PracticeNoteFields {
		f.Set(k, pf.Get(k))
	}
	return f, maillon.PracticeNoteInput{Situation: pf.Get("situation"), Action: pf.Get("action"), Raised: pf.Get("raised"),
		Learnt: pf.Get("learnt"), Questions: pf.Get("questions")}
}

func (h *Handler) handlePracticeNoteNew(w http.ResponseWriter, r *http.Request) error {
	return h.practiceNoteForm(w, r, http.StatusOK, nil, ui.NewForm(maillon.PracticeNoteFields...))
}

func (h *Handler) handlePracticeNoteCreate(w http.ResponseWriter, r *http.Request) error {
	f, in := practiceNoteInput(r)
	n, err := h.svc.Practice.CreatePracticeNote(r.Context(), actor(r), in)
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "situation")
		return h.practiceNoteForm(w, r, http.StatusUnprocessableEntity, nil, f)
	}
	h.setFlash(w, "La note a été enregistrée. Vous seul(e) pouvez la lire.")
	http.Redirect(w, r, practiceNoteURL(n.ID), http.StatusSeeOther)
	return nil
}

// practiceNote reads the note of the path: the user's own, or not found.
func (h *Handler) practiceNote(r *http.Request) (*maillon.PracticeNote, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.Practice.FindPracticeNote(r.Context(), actor(r), maillon.PracticeNoteID(id))
}

func (h *Handler) handlePracticeNoteShow(w http.ResponseWriter, r *http.Request) error {
	n, err := h.practiceNote(r)
	if err != nil {
		return err
	}
	title := "Note du " + ui.Date(n.CreatedAt)
	p := practiceNotePage{Page: h.page(w, r, title, "practice", practiceCrumbs(title)...), Note: n}
	return h.render(w, http.StatusOK, "practice/show", p)
}

func (h *Handler) handlePracticeNoteEdit(w http.ResponseWriter, r *http.Request) error {
	n, err := h.practiceNote(r)
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.PracticeNoteFields...)
	f.Set("situation", n.Situation).Set("action", n.Action).Set("raised", n.Raised).Set("learnt", n.Learnt).Set("questions", n.Questions)
	return h.practiceNoteForm(w, r, http.StatusOK, n, f)
}

func (h *Handler) handlePracticeNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	n, err := h.practiceNote(r)
	if err != nil {
		return err
	}
	f, in := practiceNoteInput(r)
	if err := h.svc.Practice.UpdatePracticeNote(r.Context(), actor(r), n.ID, in); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "situation")
		return h.practiceNoteForm(w, r, http.StatusUnprocessableEntity, n, f)
	}
	h.setFlash(w, "La note a été enregistrée.")
	http.Redirect(w, r, practiceNoteURL(n.ID), http.StatusSeeOther)
	return nil
}

// handlePracticeNoteConfirm asks before deleting, without JavaScript.
func (h *Handler) handlePracticeNoteConfirm(w http.ResponseWriter, r *http.Request) error {
	n, err := h.practiceNote(r)
	if err != nil {
		return err
	}
	title := "Supprimer la note du " + ui.Date(n.CreatedAt)
	p := practiceNotePage{Page: h.page(w, r, title, "practice", practiceCrumbs(title)...), Note: n, Excerpt: excerpt(n.Situation, 120)}
	return h.render(w, http.StatusOK, "practice/delete", p)
}

func (h *Handler) handlePracticeNoteDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Practice.DeletePracticeNote(r.Context(), actor(r), maillon.PracticeNoteID(id)); err != nil {
		return err
	}
	h.setFlash(w, "La note a été supprimée définitivement.")
	http.Redirect(w, r, "/pratique", http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// Group sessions.

type practiceSessionsPage struct {
	Page
	Sessions   []maillon.PracticeSession
	Total      int
	Pagination pagination
	CanEdit    map[maillon.PracticeSessionID]bool
}

func (h *Handler) handlePracticeSessionIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	offset := pageOffset(r, practiceSessionsPerPage)
	list, total, err := h.svc.Practice.FindPracticeSessions(r.Context(), a, offset, practiceSessionsPerPage)
	if err != nil {
		return err
	}
	p := practiceSessionsPage{Page: h.page(w, r, "Séances d'analyse de la pratique", "practice",
		practiceCrumbs("Séances d'analyse de la pratique")...), Sessions: list, Total: total,
		Pagination: paginate(r.URL.Query(), "/pratique/seances", offset, practiceSessionsPerPage, len(list), total),
		CanEdit:    map[maillon.PracticeSessionID]bool{}}
	for _, s := range list {
		p.CanEdit[s.ID] = s.CreatedBy == a.UserID || a.CanViewTeamData(s.StructureID)
	}
	return h.render(w, http.StatusOK, "practice/sessions", p)
}

type practiceSessionPage struct {
	Page
	Session   *maillon.PracticeSession
	Themes    []ui.Option
	Attendees []ui.Option
	Max       int
}

func (h *Handler) practiceSessionForm(w http.ResponseWriter, r *http.Request, status int, s *maillon.PracticeSession, f *ui.Form) error {
	title := "Nouvelle séance d'analyse de la pratique"
	if s != nil {
		title = "Modifier la séance du " + ui.Date(s.HeldOn)
	}
	crumbs := []Crumb{{"/pratique", "Journal de pratique"}, {"/pratique/seances", "Séances"}, {"", title}}
	p := practiceSessionPage{Page: h.page(w, r, title, "practice", crumbs...), Session: s,
		Themes: options(maillon.PracticeThemes, ""), Max: maillon.MaxPracticeTextLen}
	var err error
	if p.Attendees, err = h.memberOptions(r, ""); err != nil {
		return err
	}
	// An attendee whose account has been deactivated since stays listed.
	if s != nil {
		for _, u := range s.Attendees {
			v := strconv.FormatInt(int64(u.ID), 10)
			found := false
			for _, o := range p.Attendees {
				found = found || o.Value == v
			}
			if !found {
				p.Attendees = append(p.Attendees, ui.Option{Value: v, Label: u.Name})
			}
		}
	}
	p.Form = f
	return h.render(w, status, "practice/session_form", p)
}

func practiceSessionInput(r *http.Request) (*ui.Form, maillon.PracticeSessionInput) {
	pf := r.PostForm
	f := ui.NewForm(maillon.PracticeSessionFields...)
	f.Set("held_on", pf.Get("held_on")).Set("facilitator", pf.Get("facilitator")).Set("themes_text", pf.Get("themes_text")).
		Set("summary", pf.Get("summary"))
	f.SetAll("themes", pf["themes"])
	f.SetAll("attendees", pf["attendees"])
	in := maillon.PracticeSessionInput{HeldOn: pf.Get("held_on"), Facilitator: pf.Get("facilitator"), Themes: pf["themes"],
		ThemesText: pf.Get("themes_text"), Summary: pf.Get("summary")}
	for _, v := range pf["attendees"] {
		// A malformed ID is kept as invalid, for the message.
		in.Attendees = append(in.Attendees, formID[maillon.UserID](v))
	}
	return f, in
}

func (h *Handler) handlePracticeSessionNew(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.PracticeSessionFields...)
	f.Set("held_on", maillon.InParis(h.now()).Format("2006-01-02"))
	f.SetAll("attendees", []string{strconv.FormatInt(int64(actor(r).UserID), 10)})
	return h.practiceSessionForm(w, r, http.StatusOK, nil, f)
}

func (h *Handler) handlePracticeSessionCreate(w http.ResponseWriter, r *http.Request) error {
	f, in := practiceSessionInput(r)
	if _, err := h.svc.Practice.CreatePracticeSession(r.Context(), actor(r), in); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "held_on")
		return h.practiceSessionForm(w, r, http.StatusUnprocessableEntity, nil, f)
	}
	h.setFlash(w, "La séance a été enregistrée.")
	http.Redirect(w, r, "/pratique/seances", http.StatusSeeOther)
	return nil
}

func (h *Handler) practiceSession(r *http.Request) (*maillon.PracticeSession, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.Practice.FindPracticeSession(r.Context(), actor(r), maillon.PracticeSessionID(id))
}

func (h *Handler) handlePracticeSessionEdit(w http.ResponseWriter, r *http.Request) error {
	s, err := h.practiceSession(r)
	if err != nil {
		return err
	}
	a := actor(r)
	if s.CreatedBy != a.UserID && !a.CanViewTeamData(s.StructureID) {
		return maillon.Errorf(maillon.ErrForbidden, "Seuls l'auteur de la séance, la coordination et l'administration peuvent la modifier.")
	}
	f := ui.NewForm(maillon.PracticeSessionFields...)
	f.Set("held_on", maillon.InParis(s.HeldOn).Format("2006-01-02")).Set("facilitator", s.Facilitator).
		Set("themes_text", s.ThemesText).Set("summary", s.Summary)
	f.SetAll("themes", s.Themes)
	var ids []string
	for _, u := range s.Attendees {
		ids = append(ids, strconv.FormatInt(int64(u.ID), 10))
	}
	f.SetAll("attendees", ids)
	return h.practiceSessionForm(w, r, http.StatusOK, s, f)
}

func (h *Handler) handlePracticeSessionUpdate(w http.ResponseWriter, r *http.Request) error {
	s, err := h.practiceSession(r)
	if err != nil {
		return err
	}
	f, in := practiceSessionInput(r)
	if err := h.svc.Practice.UpdatePracticeSession(r.Context(), actor(r), s.ID, in); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "held_on")
		return h.practiceSessionForm(w, r, http.StatusUnprocessableEntity, s, f)
	}
	h.setFlash(w, "La séance a été enregistrée.")
	http.Redirect(w, r, "/pratique/seances", http.StatusSeeOther)
	return nil
}
