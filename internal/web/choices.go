package web

import (
	"net/http"
	"strconv"
	"strings"

	"maillon"
	"maillon/internal/ui"
)

// options turns a closed list into form options, with an optional first
// empty choice.
func options(cs maillon.Choices, empty string) []ui.Option {
	var out []ui.Option
	if empty != "" {
		out = append(out, ui.Option{Value: "", Label: empty})
	}
	for _, c := range cs {
		out = append(out, ui.Option{Value: c.Code, Label: c.Label})
	}
	return out
}

// placeOptions lists the structure's territory as one select: each
// commune, then its quartiers, so that no script is needed to pick a
// quartier within a commune. Values are "c<id>" or "z<id>".
func (h *Handler) placeOptions(r *http.Request, empty string) ([]ui.Option, error) {
	a := actor(r)
	terr, err := h.svc.Structures.FindTerritory(r.Context(), a, a.StructureID)
	if err != nil {
		return nil, err
	}
	out := []ui.Option{{Value: "", Label: empty}}
	for _, c := range terr.Communes {
		out = append(out, ui.Option{Value: "c" + strconv.FormatInt(int64(c.ID), 10), Label: c.Name + " (toute la commune)"})
		for _, z := range c.Zones {
			label := c.Name + " – " + z.Name
			if z.IsQPV() {
				label += " (QPV)"
			}
			out = append(out, ui.Option{Value: "z" + strconv.FormatInt(int64(z.ID), 10), Label: label})
		}
	}
	return out, nil
}

// parsePlace reads a place option value back into commune and zone IDs,
// looking the zone's commune up in the territory. A malformed value gives
// a field error.
func (h *Handler) parsePlace(r *http.Request, v string) (maillon.CommuneID, maillon.ZoneID, string) {
	if v == "" {
		return 0, 0, ""
	}
	id, err := strconv.ParseInt(v[1:], 10, 64)
	if err != nil || id <= 0 || (v[0] != 'c' && v[0] != 'z') {
		return 0, 0, "Choisissez un lieu dans la liste."
	}
	if v[0] == 'c' {
		return maillon.CommuneID(id), 0, ""
	}
	a := actor(r)
	terr, err := h.svc.Structures.FindTerritory(r.Context(), a, a.StructureID)
	if err != nil {
		return 0, 0, "Choisissez un lieu dans la liste."
	}
	for _, c := range terr.Communes {
		for _, z := range c.Zones {
			if z.ID == maillon.ZoneID(id) {
				return c.ID, z.ID, ""
			}
		}
	}
	return 0, 0, "Choisissez un quartier du territoire de la structure."
}

// placeValue is the option value of a commune and zone.
func placeValue(c maillon.CommuneID, z maillon.ZoneID) string {
	switch {
	case z != 0:
		return "z" + strconv.FormatInt(int64(z), 10)
	case c != 0:
		return "c" + strconv.FormatInt(int64(c), 10)
	}
	return ""
}

// memberOptions lists the structure's active accounts.
func (h *Handler) memberOptions(r *http.Request, empty string) ([]ui.Option, error) {
	a := actor(r)
	users, err := h.members(r)
	if err != nil {
		return nil, err
	}
	var out []ui.Option
	if empty != "" {
		out = append(out, ui.Option{Value: "", Label: empty})
	}
	for _, u := range users {
		label := u.DisplayName
		if u.ID == a.UserID {
			label += " (moi)"
		}
		out = append(out, ui.Option{Value: strconv.FormatInt(int64(u.ID), 10), Label: label})
	}
	return out, nil
}

// members lists the active accounts of the actor's structure.
func (h *Handler) members(r *http.Request) ([]maillon.User, error) {
	return h.svc.Users.FindColleagues(r.Context(), actor(r))
}

// formIDs reads repeated numeric form values (checkboxes of IDs).
func formIDs[T ~int64](vals []string) []T {
	var out []T
	for _, v := range vals {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 {
			out = append(out, T(id))
		}
	}
	return out
}

// formID reads one numeric form value; anything else is 0 (or -1 when
// present but malformed, which validation refuses with a message).
func formID[T ~int64](v string) T {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return -1
	}
	return T(id)
}
