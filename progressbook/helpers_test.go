package progressbook_test

import (
	"strconv"
	"testing"

	"lnvedash/seeds"
)

func itoa(n int) string { return strconv.Itoa(n) }

func mustSeeds(t *testing.T) *seeds.Set {
	t.Helper()
	set, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}
