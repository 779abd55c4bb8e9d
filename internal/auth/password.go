package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"

	"maillon"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow OWASP's argon2id recommendation (46 MiB, one pass,
// one lane): about 50 ms on one core, so a login stays quick while an
// offline attack on a stolen hash stays expensive.
var DefaultParams = Params{Memory: 46 * 1024, Time: 1, Threads: 1}

// TestParams are cheap parameters for tests only.
var TestParams = Params{Memory: 64, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher implements maillon.PasswordHasher with argon2id. At most a few
// hashes run at once, so a burst of logins cannot exhaust memory.
type Hasher struct {
	p   Params
	sem chan struct{}
}

var _ maillon.PasswordHasher = (*Hasher)(nil)

// NewHasher returns a Hasher with the given parameters.
func NewHasher(p Params) *Hasher {
	return &Hasher{p: p, sem: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// Hash returns the PHC string of password with a fresh salt.
func (h *Hasher) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	h.sem <- struct{}{}
	key := argon2.IDKey([]byte(password), salt, h.p.Time, h.p.Memory, h.p.Threads, keyLen)
	<-h.sem
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.Memory, h.p.Time, h.p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash is returned for a stored hash Maillon cannot read.
var ErrBadHash = errors.New("auth: unreadable password hash")

// Verify checks password against an encoded hash, with the parameters
// stored in the hash, in constant time.
func (h *Hasher) Verify(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrBadHash
	}
	// Refuse absurd costs from a tampered row rather than allocate them.
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 20 || p.Threads == 0 {
		return false, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	h.sem <- struct{}{}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	<-h.sem
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
