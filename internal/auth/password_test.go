package auth

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := NewHasher(TestParams)
	enc, err := h.Hash("une phrase de passe assez longue")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", enc)
	}
	ok, err := h.Verify(enc, "une phrase de passe assez longue")
	if err != nil || !ok {
		t.Fatalf("Verify(right) = %v, %v", ok, err)
	}
	ok, err = h.Verify(enc, "une phrase de passe assez longuE")
	if err != nil || ok {
		t.Fatalf("Verify(wrong) = %v, %v", ok, err)
	}
	enc2, _ := h.Hash("une phrase de passe assez longue")
	if enc2 == enc {
		t.Fatal("two hashes of the same password share a salt")
	}
}

// Ensure hashes made with other parameters still verify: parameters travel
// with the hash, so raising DefaultParams does not lock anyone out.
func TestVerifyOtherParams(t *testing.T) {
	old := NewHasher(Params{Memory: 128, Time: 2, Threads: 1})
	enc, _ := old.Hash("mot de passe d'avant")
	ok, err := NewHasher(TestParams).Verify(enc, "mot de passe d'avant")
	if err != nil || !ok {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
}

func TestVerifyRejectsBadHashes(t *testing.T) {
	h := NewHasher(TestParams)
	for _, enc := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$!!!$a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
	} {
		if ok, err := h.Verify(enc, "x"); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want false and an error", enc, ok, err)
		}
	}
}
