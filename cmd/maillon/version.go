package main

import (
	"context"
	"fmt"
	"runtime"
)

func cmdVersion(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "version", "version", "Affiche la version de Maillon et celle de Go.", "maillon version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "maillon %s (%s, %s/%s)\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
