package ui

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"maillon"
)

var monthNames = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

var dayNames = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// Date formats t as "10 mars 2026" in Paris time; the zero time gives "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	p := maillon.InParis(t)
	d := strconv.Itoa(p.Day())
	if p.Day() == 1 {
		d = "1er"
	}
	return d + " " + monthNames[p.Month()-1] + " " + strconv.Itoa(p.Year())
}

// LongDate formats t as "mardi 10 mars 2026".
func LongDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return dayNames[maillon.InParis(t).Weekday()] + " " + Date(t)
}

// Weekday is the French name of t's day in Paris: "mardi".
func Weekday(t time.Time) string { return dayNames[maillon.InParis(t).Weekday()] }

// Clock formats t as "14 h 05", the French typographic form.
func Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	p := maillon.InParis(t)
	return fmt.Sprintf("%d h %02d", p.Hour(), p.Minute())
}

// DateTime formats t as "10 mars 2026 à 14 h 05".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return Date(t) + " à " + Clock(t)
}

// ISODateTime is the machine-readable form for <time datetime>.
func ISODateTime(t time.Time) string { return maillon.InParis(t).Format(time.RFC3339) }

// Number formats n with a narrow no-break space between thousands.
func Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Duration formats minutes as "2 h 05 min", "45 min" or "3 h": how the
// main courante and the reports say time spent.
func Duration(minutes int) string {
	switch h, m := minutes/60, minutes%60; {
	case minutes <= 0:
		return "0 min"
	case h == 0:
		return strconv.Itoa(m) + " min"
	case m == 0:
		return Number(h) + " h"
	default:
		return fmt.Sprintf("%s h %02d min", Number(h), m)
	}
}

// Plural returns one when n is 0 or 1 (the French rule, which looks at the
// absolute value: -1 is singular, -2 plural), else many.
func Plural(n int, one, many string) string {
	if n >= -1 && n <= 1 {
		return one
	}
	return many
}

// choiceLists names the closed lists templates may label codes from.
var choiceLists = map[string]maillon.Choices{
	"gender": maillon.Genders, "age": maillon.AgeBands, "access": maillon.AccessNeeds,
	"household": maillon.Households, "housing": maillon.Housings, "activity": maillon.Activities,
	"nationality": maillon.Nationalities, "scope": maillon.ConsentScopes, "method": maillon.ConsentMethods,
	"equipment": maillon.Equipments, "internet": maillon.InternetAccess, "yesno": maillon.YesNoUnknown,
	"level": maillon.AutonomyLevels, "place": maillon.PlaceTypes, "registre": maillon.Registres,
	"theme": maillon.Themes, "outcome": maillon.Outcomes, "initiative": maillon.Initiatives,
	"organisme": maillon.Organismes, "channel": maillon.Channels, "mode": maillon.ProcedureModes,
	"obstacle": maillon.Obstacles, "procedure_outcome": maillon.ProcedureOutcomes,
	"orientation_status": maillon.OrientationStatuses, "orientation_mode": maillon.OrientationModes,
	"shared_item": maillon.SharedItems, "outcome_source": maillon.OutcomeSources,
	"observation": maillon.ObservationKinds, "checkin": maillon.CheckInKinds,
	"agenda_kind": maillon.AgendaKinds, "attendance": maillon.Attendances,
	"mediation_kind": maillon.MediationKinds, "mediation_status": maillon.MediationStatuses,
	"mediation_outcome": maillon.MediationOutcomes, "mediation_origin": maillon.MediationOrigins,
	"party_kind": maillon.PartyKinds, "relay_target": maillon.RelayTargets, "scope_issue": maillon.ScopeIssues,
	"step_kind": maillon.StepKinds, "followup_result": maillon.FollowUpResults,
	// Veille sociale.
	"veille_kind": maillon.VeilleKinds, "veille_source": maillon.VeilleSources, "reliability": maillon.Reliabilities,
	"veille_status": maillon.VeilleObservationStatuses, "risk_platform": maillon.RiskPlatforms,
	"risk_category": maillon.RiskCategories, "risk_public": maillon.RiskPublics, "risk_action": maillon.RiskActions,
	"risk_status": maillon.RiskStatuses, "tech_category": maillon.TechCategories, "tech_partner_kind": maillon.TechPartnerKinds,
	"tech_status": maillon.TechStatuses,
}

// Label returns the French label of code in the named list; an unknown
// list is a template bug and panics at render time in tests.
func Label(list, code string) string {
	cs, ok := choiceLists[list]
	if !ok {
		panic("ui: unknown list " + list)
	}
	return cs.Label(code)
}

// Labels joins the labels of several codes.
func Labels(list string, codes []string) string {
	cs, ok := choiceLists[list]
	if !ok {
		panic("ui: unknown list " + list)
	}
	return strings.Join(cs.Labels(codes), ", ")
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":       r.Asset,
		"date":        Date,
		"longDate":    LongDate,
		"weekday":     Weekday,
		"clock":       Clock,
		"dateTime":    DateTime,
		"isoDateTime": ISODateTime,
		"timeline":    Timeline,
		"nav":         Nav,
		"number":      Number,
		"plural":      Plural,
		"duration":    Duration,
		"field":       makeField,
		"add":         func(a, b int) int { return a + b },
		"join":        strings.Join,
		"label":       Label,
		"labels":      Labels,
		"ageBand":     func(code string) string { return Label("age", code) },
		"days":        Days,
		"countText":   maillon.CountText,
	}
}

// Days shows a delay in days with one decimal at most, French style
// ("2,5 jours"); a negative delay means none and shows "–".
func Days(d float64) string {
	if d < 0 {
		return "–"
	}
	s := strconv.FormatFloat(math.Round(d*10)/10, 'f', -1, 64)
	unit := " jours"
	if d <= 1 {
		unit = " jour"
	}
	return strings.Replace(s, ".", ",", 1) + unit
}
