package maillon

import "strings"

// Choice is one value of a closed list: a stable code stored in the
// database and its French label shown to users. Codes never change once
// shipped; labels may be reworded.
type Choice struct {
	Code  string
	Label string
}

// Choices is a closed list of values, in the order forms show them.
type Choices []Choice

// Valid reports whether code belongs to the list.
func (cs Choices) Valid(code string) bool {
	for _, c := range cs {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Label returns the label of code, or code itself when unknown.
func (cs Choices) Label(code string) string {
	for _, c := range cs {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// Labels returns the labels of several codes, in list order.
func (cs Choices) Labels(codes []string) []string {
	var out []string
	for _, c := range cs {
		for _, code := range codes {
			if c.Code == code {
				out = append(out, c.Label)
				break
			}
		}
	}
	return out
}

// CleanSet keeps the valid, distinct codes of in, in list order, and
// reports whether any was unknown.
func (cs Choices) CleanSet(in []string) ([]string, bool) {
	seen := map[string]bool{}
	for _, code := range in {
		seen[strings.TrimSpace(code)] = true
	}
	var out []string
	for _, c := range cs {
		if seen[c.Code] {
			out = append(out, c.Code)
			delete(seen, c.Code)
		}
	}
	delete(seen, "")
	return out, len(seen) > 0
}
