package web

import (
	"net/http"
	"strconv"

	"maillon"
	"maillon/internal/ui"
)

type teamsPage struct {
	Page
	Teams []maillon.Team
}

func (h *Handler) teamsView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form) error {
	teams, err := h.svc.Teams.FindTeams(r.Context(), actor(r))
	if err != nil {
		return err
	}
	p := teamsPage{Page: h.page(w, r, "Équipes", "admin", adminCrumbs("Équipes")...), Teams: teams}
	p.Form = f
	return h.render(w, status, "admin/teams", p)
}

func (h *Handler) handleTeamIndex(w http.ResponseWriter, r *http.Request) error {
	return h.teamsView(w, r, http.StatusOK, ui.NewForm("name", "description"))
}

func (h *Handler) handleTeamCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("name", "description")
	f.Set("name", r.PostForm.Get("name")).Set("description", r.PostForm.Get("description"))
	if _, err := h.svc.Teams.CreateTeam(r.Context(), actor(r), maillon.TeamInput{Name: f.Get("name"), Description: f.Get("description")}); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "name")
		return h.teamsView(w, r, http.StatusUnprocessableEntity, f)
	}
	h.setFlash(w, "L'équipe a été créée.")
	http.Redirect(w, r, "/admin/teams", http.StatusSeeOther)
	return nil
}

type teamPage struct {
	Page
	Team    *maillon.Team
	Members []maillon.User
}

func (h *Handler) teamView(w http.ResponseWriter, r *http.Request, status int, id maillon.TeamID, f *ui.Form) error {
	a := actor(r)
	tm, err := h.svc.Teams.FindTeamByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	members, _, err := h.svc.Users.FindUsers(r.Context(), a, maillon.UserFilter{TeamID: id, Limit: 500})
	if err != nil {
		return err
	}
	p := teamPage{Page: h.page(w, r, tm.Name, "admin", Crumb{"/admin", "Administration"}, Crumb{"/admin/teams", "Équipes"}, Crumb{"", tm.Name}),
		Team: tm, Members: members}
	if f == nil {
		f = ui.NewForm("name", "description")
		f.Set("name", tm.Name).Set("description", tm.Description)
	}
	p.Form = f
	return h.render(w, status, "admin/team", p)
}

func (h *Handler) handleTeamEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.teamView(w, r, http.StatusOK, maillon.TeamID(id), nil)
}

func (h *Handler) handleTeamUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm("name", "description")
	f.Set("name", r.PostForm.Get("name")).Set("description", r.PostForm.Get("description"))
	err = h.svc.Teams.UpdateTeam(r.Context(), actor(r), maillon.TeamID(id), maillon.TeamInput{Name: f.Get("name"), Description: f.Get("description")})
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "name")
		return h.teamView(w, r, http.StatusUnprocessableEntity, maillon.TeamID(id), f)
	}
	h.setFlash(w, "L'équipe a été enregistrée.")
	http.Redirect(w, r, "/admin/teams/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleTeamDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Teams.DeleteTeam(r.Context(), actor(r), maillon.TeamID(id)); err != nil {
		return err
	}
	h.setFlash(w, "L'équipe a été supprimée ; ses membres n'ont plus d'équipe.")
	http.Redirect(w, r, "/admin/teams", http.StatusSeeOther)
	return nil
}
