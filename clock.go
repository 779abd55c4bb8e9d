package maillon

import (
	"time"
	// Embedded zone data: Europe/Paris must resolve on minimal hosts and
	// containers that ship no /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Paris is the time zone every date is shown in. Storage is always UTC.
var Paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("maillon: time zone " + name + ": " + err.Error())
	}
	return loc
}

// Clock returns the current time. It is injected everywhere time matters so
// that tests can fix it; production uses SystemClock.
type Clock func() time.Time

// SystemClock is the real clock, in UTC.
func SystemClock() time.Time { return time.Now().UTC() }

// InParis converts t to Europe/Paris for display and calendar rules.
func InParis(t time.Time) time.Time { return t.In(Paris) }
