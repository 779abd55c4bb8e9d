package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"maillon"
	"maillon/internal/ui"
)

// The directory picker of the intervention form: a search field and its
// "Chercher dans l'annuaire" button post the form, which comes back with
// the structures found offered to the intervention and to each procedure,
// every typed value kept. No script is needed.

// maxDirectoryChoices bounds the structures a search offers.
const maxDirectoryChoices = 10

// interventionDirectorySearch runs the directory search when its button
// was pressed with a query; ok is false otherwise (an empty query: the
// Enter key in another field presses the form's first button).
func (h *Handler) interventionDirectorySearch(w http.ResponseWriter, r *http.Request, iv *maillon.Intervention, f *ui.Form,
	in maillon.InterventionInput, st interventionFormState) (ok bool, err error) {
	found, ok, err := h.directorySearch(r, f)
	if !ok || err != nil {
		return ok, err
	}
	status := http.StatusOK
	if f.Errors["dir_q"] != "" {
		status = http.StatusUnprocessableEntity
	}
	st.dirFound = found
	var known []maillon.PersonRef
	if iv != nil {
		known = iv.Persons
	}
	if st.persons, _, err = h.resolvePersons(r, in.Persons, known, false); err != nil {
		return true, err
	}
	return true, h.interventionFormView(w, r, status, iv, f, st)
}

// interventionDirectoryOptions lists the structures the form offers: none,
// those already chosen (on the intervention or a procedure), then those a
// search found.
func (h *Handler) interventionDirectoryOptions(r *http.Request, p *interventionFormPage, iv *maillon.Intervention, f *ui.Form,
	found []maillon.DirectoryStructure, blocks int) error {
	names := map[maillon.DirectoryStructureID]string{}
	if iv != nil {
		names[iv.Directory.ID] = iv.Directory.Name
		for _, pr := range iv.Procedures {
			names[pr.Directory.ID] = pr.Directory.Name
		}
	}
	chosen := []string{f.Get("directory_structure_id")}
	for i := range blocks {
		chosen = append(chosen, f.Get(maillon.ProcedureField(i, "directory_structure_id")))
	}
	picker, err := h.newDirectoryPicker(r, chosen, names, found)
	p.directoryPicker = picker
	return err
}

// directoryPicker is the directory part of a form that cites a partner
// structure without a script: a search box whose button posts the form
// back, and a select of the structures offered. Pages embed it, and
// partials/annuaire.html draws the search box ("directory-search").
type directoryPicker struct {
	DirOptions  []ui.Option
	DirSearched bool // a search ran: DirFound says how it went
	DirFound    int
}

// directorySearch runs the picker's search when its button was pressed
// with a query; ok is false otherwise (an empty query: the Enter key in
// another field presses the form's first button). A query too long is a
// field error on f, and found is then empty.
func (h *Handler) directorySearch(r *http.Request, f *ui.Form) (found []maillon.DirectoryStructure, ok bool, err error) {
	q := strings.TrimSpace(r.PostForm.Get("dir_q"))
	if r.PostForm.Get("dir_search") == "" || q == "" {
		return nil, false, nil
	}
	found = []maillon.DirectoryStructure{}
	if utf8.RuneCountInString(q) > maillon.MaxShortTextLen {
		f.Errors["dir_q"] = "Indiquez au plus 250 caractères : une partie du nom suffit."
		return found, true, nil
	}
	list, _, err := h.svc.Directory.FindDirectoryStructures(r.Context(), actor(r), q, 0, maxDirectoryChoices)
	return append(found, list...), true, err
}

// newDirectoryPicker offers "Aucune", the structures already chosen (by
// the values of their fields; names gives those known, the others are
// read, and one gone from the directory is dropped), then those found
// (nil when no search ran).
func (h *Handler) newDirectoryPicker(r *http.Request, chosen []string, names map[maillon.DirectoryStructureID]string,
	found []maillon.DirectoryStructure) (directoryPicker, error) {
	p := directoryPicker{DirOptions: []ui.Option{{Value: "", Label: "Aucune"}}, DirSearched: found != nil, DirFound: len(found)}
	seen := map[string]bool{"": true}
	add := func(id maillon.DirectoryStructureID, name string) {
		v := strconv.FormatInt(int64(id), 10)
		if !seen[v] {
			seen[v] = true
			p.DirOptions = append(p.DirOptions, ui.Option{Value: v, Label: name})
		}
	}
	for _, v := range chosen {
		id := formID[maillon.DirectoryStructureID](v)
		if id <= 0 || seen[strconv.FormatInt(int64(id), 10)] {
			continue
		}
		name, ok := names[id]
		if !ok {
			s, err := h.svc.Directory.FindDirectoryStructure(r.Context(), actor(r), id)
			if errors.Is(err, maillon.ErrNotFound) {
				continue
			}
			if err != nil {
				return p, err
			}
			name = s.Nom
		}
		add(id, name)
	}
	for _, s := range found {
		label := s.Nom
		if s.Commune != "" {
			label += " (" + s.Commune + ")"
		}
		add(s.ID, label)
	}
	return p, nil
}
