package web

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"maillon"
)

// The iCalendar (RFC 5545) encoder of the agenda: the feed and the
// download of one event. It is small on purpose: Maillon writes a closed
// set of properties, so a dependency would bring more than it saves.

// icalWriter writes content lines: CRLF endings, lines folded at 75
// octets without splitting a UTF-8 sequence (RFC 5545 §3.1).
type icalWriter struct {
	b   strings.Builder
	col int // octets written on the current physical line
}

func (w *icalWriter) line(name, value string) {
	w.col = 0
	w.write(name)
	w.write(":")
	w.write(value)
	w.b.WriteString("\r\n")
}

// write appends s to the current line, folding before the 76th octet; a
// continuation line starts with a space, which counts.
func (w *icalWriter) write(s string) {
	const max = 75
	for len(s) > 0 {
		room := max - w.col
		if len(s) <= room {
			w.b.WriteString(s)
			w.col += len(s)
			return
		}
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		w.col = 1
		s = s[cut:]
	}
}

// icalEscaper escapes TEXT values: backslash, semicolon, comma and
// newline (RFC 5545 §3.3.11). Built once: a feed escapes thousands.
var icalEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// icalText escapes a TEXT value.
func icalText(s string) string { return icalEscaper.Replace(s) }

const (
	icalUTC   = "20060102T150405Z"
	icalLocal = "20060102T150405"
)

func icalUTCTime(t time.Time) string { return t.UTC().Format(icalUTC) }

// icalParis is a local time with its TZID parameter.
func icalParis(t time.Time) (string, string) {
	return ";TZID=Europe/Paris", maillon.InParis(t).Format(icalLocal)
}

// parisTimezone is Europe/Paris since 1996 (EU rules): the VTIMEZONE the
// weekly permanences refer to, so that they keep their wall-clock time
// across daylight-saving changes.
var parisTimezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:Europe/Paris",
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19700329T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19701025T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

// icalCalendar is what one .ics file holds.
type icalCalendar struct {
	Name     string // X-WR-CALNAME, optional
	Host     string // the domain of the UIDs
	Now      time.Time
	Holidays maillon.HolidayCalendar
	Events   []maillon.AgendaEvent
}

// icalSummary names an event without naming the person: the feed leaves
// the structure (phones, online calendars), so a rendez-vous shows the
// person's initials and the purpose category only (docs/securite.md).
func icalSummary(e *maillon.AgendaEvent) string {
	if e.Kind != maillon.AgendaRendezVous {
		return maillon.AgendaKinds.Label(e.Kind) + " – " + e.Purpose
	}
	s := "Rendez-vous"
	if e.Initials != "" {
		s += " " + e.Initials
	}
	if e.Theme != "" {
		s += " – " + maillon.Themes.Label(e.Theme)
	}
	return s
}

// icalLocation gives the place; for a rendez-vous only the quartier and
// the commune, since the label may be the person's home address.
func icalLocation(e *maillon.AgendaEvent) string {
	if e.Kind != maillon.AgendaRendezVous {
		return e.PlaceName()
	}
	var parts []string
	for _, s := range []string{e.ZoneName, e.CommuneName} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// encode writes the calendar.
func (c icalCalendar) encode() string {
	var w icalWriter
	w.b.Grow(1024 + 512*len(c.Events))
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//Maillon//Agenda//FR")
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	if c.Name != "" {
		w.line("X-WR-CALNAME", icalText(c.Name))
	}
	for _, l := range parisTimezone {
		name, value, _ := strings.Cut(l, ":")
		w.line(name, value)
	}
	for i := range c.Events {
		c.event(&w, &c.Events[i])
	}
	w.line("END", "VCALENDAR")
	return w.b.String()
}

func (c icalCalendar) event(w *icalWriter, e *maillon.AgendaEvent) {
	w.line("BEGIN", "VEVENT")
	w.line("UID", "agenda-"+strconv.FormatInt(int64(e.ID), 10)+"@"+c.Host)
	w.line("DTSTAMP", icalUTCTime(c.Now))
	w.line("CREATED", icalUTCTime(e.CreatedAt))
	w.line("LAST-MODIFIED", icalUTCTime(e.UpdatedAt))
	w.line("SEQUENCE", strconv.Itoa(e.Revision))
	if e.Recurring() {
		p, v := icalParis(e.StartAt)
		w.line("DTSTART"+p, v)
		p, v = icalParis(e.EndAt)
		w.line("DTEND"+p, v)
		// UNTIL in UTC, the end of the last day (RFC 5545 §3.3.10: UTC
		// when DTSTART has a TZID).
		until := maillon.DayOf(e.RepeatUntil).AddDate(0, 0, 1).Add(-time.Second)
		w.line("RRULE", "FREQ=WEEKLY;UNTIL="+icalUTCTime(until))
		for _, d := range e.SkippedDays(c.Holidays) {
			p, v := icalParis(d)
			w.line("EXDATE"+p, v)
		}
	} else {
		w.line("DTSTART", icalUTCTime(e.StartAt))
		w.line("DTEND", icalUTCTime(e.EndAt))
	}
	w.line("SUMMARY", icalText(icalSummary(e)))
	if loc := icalLocation(e); loc != "" {
		w.line("LOCATION", icalText(loc))
	}
	// The description carries what to bring, nothing about who: the
	// colleagues' names stay in Maillon too.
	if e.Kind == maillon.AgendaRendezVous && e.Documents != "" {
		w.line("DESCRIPTION", icalText("Documents à apporter : "+e.Documents))
	}
	if e.Attendance == maillon.AttendanceAnnule {
		w.line("STATUS", "CANCELLED")
	} else {
		w.line("STATUS", "CONFIRMED")
	}
	w.line("TRANSP", "OPAQUE")
	w.line("END", "VEVENT")
}
