package ingest

import (
	"fmt"
	"os"
	"time"
)

// HookEnv lets the kill tests (cmd/lnvedash TestIngestKilled, faulttest TestKill9) kill a run inside
// its write transaction on a signal instead of after a guessed delay. The points are "begin" (just
// after BEGIN), "precommit" (every row written and the derived tables refreshed, COMMIT not yet sent)
// and "committed" (just after COMMIT). Set to a point, the run prints "HookEnv point" on a line of
// stderr there and waits to be killed; set to "trace", it prints the line at every point and goes on.
// Unset (always, outside those tests) it costs one Getenv per point.
const HookEnv = "LNVEDASH_TEST_KILL_AT"

func testHook(point string) {
	v := os.Getenv(HookEnv)
	if v != point && v != "trace" {
		return
	}
	fmt.Fprintf(os.Stderr, "%s %s\n", HookEnv, point)
	for v == point {
		time.Sleep(time.Hour)
	}
}
