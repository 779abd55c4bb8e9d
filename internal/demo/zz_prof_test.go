package demo_test

import (
	"context"
	"testing"
	"time"

	"maillon/internal/demo"
	"maillon/internal/storetest"
)

func TestZZProf(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	start := time.Now()
	sum, err := demo.Load(context.Background(), db.Services(), demo.Options{Scale: demo.Large, Seed: 1, People: 40000})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s %s %v", sum, sum.Activity(), time.Since(start))
}
