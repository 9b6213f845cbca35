package sample

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/xuri/excelize/v2"

	"lnvedash/seeds"
)

// TestSampleEncryptedFixture checks the embedded encrypted workbook: it opens with the password and
// holds a checklist, and without the password excelize cannot read it. With
// LNVEDASH_UPDATE_ENCRYPTED=1 it first rewrites the fixture (new salts, so new bytes: regenerate
// sample-data afterwards).
func TestSampleEncryptedFixture(t *testing.T) {
	if os.Getenv("LNVEDASH_UPDATE_ENCRYPTED") == "1" {
		b, err := encryptedFixture(seeds.MustLoad())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("fixtures/encrypted.xlsx", b, 0o644); err != nil {
			t.Fatal(err)
		}
		encryptedXLSX = b
	}
	if !bytes.HasPrefix(encryptedXLSX, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		t.Fatalf("fixture does not start with the OLE2 magic")
	}
	if _, err := excelize.OpenReader(bytes.NewReader(encryptedXLSX)); err == nil {
		t.Fatalf("opened without a password")
	}
	_, err := excelize.OpenReader(bytes.NewReader(encryptedXLSX), excelize.Options{Password: "wrong"})
	if !errors.Is(err, excelize.ErrWorkbookPassword) {
		t.Fatalf("wrong password: err = %v, want ErrWorkbookPassword", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(encryptedXLSX), excelize.Options{Password: EncryptedPassword})
	if err != nil {
		t.Fatalf("open with password: %v", err)
	}
	defer f.Close()
	found := false
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			for _, c := range r {
				if c == "单位：辽宁政法职业学院" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("decrypted workbook has no 单位：辽宁政法职业学院 line")
	}
}
