package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"maillon"
	"maillon/internal/ui"
)

const usersPerPage = 50

type usersPage struct {
	Page
	Users      []maillon.User
	Filter     *ui.Form
	Teams      []ui.Option
	Roles      []ui.Option
	Pagination pagination
}

// pagination holds the links of a paginated list.
type pagination struct {
	Summary    string
	Prev, Next string
}

func paginate(base url.Values, path string, offset, limit, shown, total int) pagination {
	p := pagination{}
	if total == 0 {
		return p
	}
	link := func(off int) string {
		v := url.Values{}
		for k, vs := range base {
			if k != "page" {
				v[k] = vs
			}
		}
		if off > 0 {
			v.Set("page", strconv.Itoa(off/limit+1))
		}
		if q := v.Encode(); q != "" {
			return path + "?" + q
		}
		return path
	}
	if shown == 0 && offset >= total {
		// A page past the end (an old link, a list that shrank): say so
		// and lead back to the last page.
		p.Summary = fmt.Sprintf("Cette page est au-delà de la fin de la liste, qui compte %d %s.", total, ui.Plural(total, "résultat", "résultats"))
		p.Prev = link((total - 1) / limit * limit)
		return p
	}
	p.Summary = fmt.Sprintf("%d à %d sur %d", offset+1, offset+shown, total)
	if offset > 0 {
		p.Prev = link(max(offset-limit, 0))
	}
	if offset+shown < total {
		p.Next = link(offset + limit)
	}
	return p
}

// pageOffset reads ?page=N (1-based); bad values mean the first page.
func pageOffset(r *http.Request, limit int) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 0
	}
	return (n - 1) * limit
}

func (h *Handler) teamOptions(r *http.Request, empty string) ([]ui.Option, error) {
	teams, err := h.svc.Teams.FindTeams(r.Context(), actor(r))
	if err != nil {
		return nil, err
	}
	out := []ui.Option{{Value: "", Label: empty}}
	for _, t := range teams {
		out = append(out, ui.Option{Value: strconv.FormatInt(int64(t.ID), 10), Label: t.Name})
	}
	return out, nil
}

func roleOptions(withEmpty bool) []ui.Option {
	var out []ui.Option
	if withEmpty {
		out = append(out, ui.Option{Value: "", Label: "Tous les rôles"})
	}
	for _, r := range maillon.Roles {
		out = append(out, ui.Option{Value: string(r), Label: r.Label(), Hint: r.Description()})
	}
	return out
}

func (h *Handler) handleUserIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	filter := ui.NewForm("q", "team", "role", "active")
	for _, k := range filter.Order {
		filter.Set(k, q.Get(k))
	}
	f := maillon.UserFilter{Role: maillon.Role(q.Get("role")), Limit: usersPerPage, Offset: pageOffset(r, usersPerPage)}
	if !f.Role.Valid() {
		f.Role = ""
		filter.Set("role", "")
	}
	if v, msg := maillon.CleanText(q.Get("q"), 100, false); msg == "" {
		f.Query = v
	} else {
		filter.Errors["q"] = msg
	}
	if id, err := strconv.ParseInt(q.Get("team"), 10, 64); err == nil && id > 0 {
		f.TeamID = maillon.TeamID(id)
	}
	f.ActiveOnly = checked(q.Get("active"))
	users, total, err := h.svc.Users.FindUsers(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	teams, err := h.teamOptions(r, "Toutes les équipes")
	if err != nil {
		return err
	}
	p := usersPage{Page: h.page(w, r, "Comptes", "admin", adminCrumbs("Comptes")...), Users: users, Filter: filter, Teams: teams,
		Roles: roleOptions(true), Pagination: paginate(q, "/admin/users", f.Offset, usersPerPage, len(users), total)}
	p.Form = filter
	status := http.StatusOK
	if filter.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, status, "admin/users", p)
}

type userNewPage struct {
	Page
	Teams []ui.Option
	Roles []ui.Option
}

var userFields = []string{"display_name", "email", "role", "team_id"}

func (h *Handler) userNewView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form) error {
	teams, err := h.teamOptions(r, "Aucune équipe")
	if err != nil {
		return err
	}
	p := userNewPage{Page: h.page(w, r, "Créer un compte", "admin", Crumb{"/admin", "Administration"}, Crumb{"/admin/users", "Comptes"}, Crumb{"", "Créer un compte"}),
		Teams: teams, Roles: roleOptions(false)}
	p.Form = f
	return h.render(w, status, "admin/user_new", p)
}

func (h *Handler) handleUserNew(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(userFields...)
	f.Set("role", string(maillon.RoleMediateur))
	return h.userNewView(w, r, http.StatusOK, f)
}

type userCreatedPage struct {
	Page
	Account           *maillon.User
	TemporaryPassword string
	Reset             bool
}

func (h *Handler) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	f := ui.NewForm(userFields...)
	for _, k := range userFields {
		f.Set(k, r.PostForm.Get(k))
	}
	teamID, _ := strconv.ParseInt(f.Get("team_id"), 10, 64)
	if f.Get("team_id") != "" && teamID <= 0 {
		teamID = -1 // refused by validation with a message
	}
	pw := maillon.TemporaryPassword()
	u, err := h.svc.Users.CreateUser(r.Context(), a, a.StructureID, maillon.UserInput{
		Email: f.Get("email"), DisplayName: f.Get("display_name"), Role: maillon.Role(f.Get("role")),
		TeamID: maillon.TeamID(teamID), Password: pw, MustChangePassword: true,
	})
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "email")
		return h.userNewView(w, r, http.StatusUnprocessableEntity, f)
	}
	// Shown once, on this response only: the password is not kept in
	// clear anywhere.
	p := userCreatedPage{Page: h.page(w, r, "Compte créé", "admin", Crumb{"/admin", "Administration"}, Crumb{"/admin/users", "Comptes"}, Crumb{"", "Compte créé"}),
		Account: u, TemporaryPassword: pw}
	return h.render(w, http.StatusOK, "admin/user_password", p)
}

type userPage struct {
	Page
	Account *maillon.User
	Teams   []ui.Option
	Roles   []ui.Option
	Self    bool
	Problem string // why activation could not change
}

func (h *Handler) userView(w http.ResponseWriter, r *http.Request, status int, id maillon.UserID, f *ui.Form, problem string) error {
	a := actor(r)
	u, err := h.svc.Users.FindUserByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	teams, err := h.teamOptions(r, "Aucune équipe")
	if err != nil {
		return err
	}
	if f == nil {
		f = ui.NewForm("display_name", "role", "team_id")
		f.Set("display_name", u.DisplayName).Set("role", string(u.Role))
		if u.TeamID != 0 {
			f.Set("team_id", strconv.FormatInt(int64(u.TeamID), 10))
		}
	}
	p := userPage{Page: h.page(w, r, u.DisplayName, "admin", Crumb{"/admin", "Administration"}, Crumb{"/admin/users", "Comptes"}, Crumb{"", u.DisplayName}),
		Account: u, Teams: teams, Roles: roleOptions(false), Self: u.ID == a.UserID, Problem: problem}
	p.Form = f
	return h.render(w, status, "admin/user", p)
}

func (h *Handler) handleUserShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.userView(w, r, http.StatusOK, maillon.UserID(id), nil, "")
}

func (h *Handler) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm("display_name", "role", "team_id")
	for _, k := range f.Order {
		f.Set(k, r.PostForm.Get(k))
	}
	name, role := f.Get("display_name"), maillon.Role(f.Get("role"))
	teamID, _ := strconv.ParseInt(f.Get("team_id"), 10, 64)
	if f.Get("team_id") != "" && teamID <= 0 {
		teamID = -1
	}
	tid := maillon.TeamID(teamID)
	err = h.svc.Users.UpdateUser(r.Context(), actor(r), maillon.UserID(id), maillon.UserUpdate{DisplayName: &name, Role: &role, TeamID: &tid})
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "display_name")
		// Some refusals explain themselves only in the error's message
		// (removing one's own administration role): show it too.
		problem := maillon.ErrorMessage(err, "")
		if strings.HasPrefix(problem, "Le formulaire contient") {
			problem = ""
		}
		return h.userView(w, r, http.StatusUnprocessableEntity, maillon.UserID(id), f, problem)
	}
	h.setFlash(w, "Le compte a été enregistré.")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (h *Handler) setActive(w http.ResponseWriter, r *http.Request, active bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Users.SetUserActive(r.Context(), actor(r), maillon.UserID(id), active); err != nil {
		if !formError(err) {
			return err
		}
		return h.userView(w, r, http.StatusUnprocessableEntity, maillon.UserID(id), nil, maillon.ErrorMessage(err, "Action impossible."))
	}
	if active {
		h.setFlash(w, "Le compte a été réactivé.")
	} else {
		h.setFlash(w, "Le compte a été désactivé et ses sessions fermées.")
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleUserDeactivate(w http.ResponseWriter, r *http.Request) error {
	return h.setActive(w, r, false)
}

func (h *Handler) handleUserReactivate(w http.ResponseWriter, r *http.Request) error {
	return h.setActive(w, r, true)
}

func (h *Handler) handleUserResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	pw := maillon.TemporaryPassword()
	if err := h.svc.Users.ResetPassword(r.Context(), a, maillon.UserID(id), pw); err != nil {
		if !formError(err) {
			return err
		}
		return h.userView(w, r, http.StatusUnprocessableEntity, maillon.UserID(id), nil, maillon.ErrorMessage(err, "Action impossible."))
	}
	u, err := h.svc.Users.FindUserByID(r.Context(), a, maillon.UserID(id))
	if err != nil {
		return err
	}
	p := userCreatedPage{Page: h.page(w, r, "Mot de passe réinitialisé", "admin", Crumb{"/admin", "Administration"}, Crumb{"/admin/users", "Comptes"}, Crumb{"", "Mot de passe réinitialisé"}),
		Account: u, TemporaryPassword: pw, Reset: true}
	return h.render(w, http.StatusOK, "admin/user_password", p)
}

// checked reads a checkbox value the way the form partial shows it.
func checked(v string) bool { return v == "on" || v == "1" || v == "true" }
