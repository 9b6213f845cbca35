package dashboard

import (
	"testing"

	"lnvedash/ingest"
	"lnvedash/ingest/ingesttest"
	"lnvedash/queries"
)

// sampleDB is a real database built once from sample-data/ by the real ingest (TestMain); its
// archive is under ingesttest.Dir.
var sampleDB *queries.DB

func TestMain(m *testing.M) {
	ingesttest.Main(m, &sampleDB, "../sample-data", ingest.Options{Source: "cli"})
}
