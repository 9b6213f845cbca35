package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		wantErr string
		unit    string // A2 of the written file; "" when no file is expected
	}{
		{"blank", []string{"-o", filepath.Join(dir, "blank.xlsx")}, "", "单位：（公章）"},
		{"for alias", []string{"-o", filepath.Join(dir, "dl.xlsx"), "--for", "大连"}, "", "单位：大连市"},
		{"unknown", []string{"-o", filepath.Join(dir, "x.xlsx"), "--for", "某某培训中心"}, "名册中没有报送单位“某某培训中心”", ""},
		{"no output", []string{"--for", "大连"}, "需要 -o", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := Run(context.Background(), append([]string{"template"}, tc.args...), strings.NewReader(""), &out, &errb)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if _, serr := os.Stat(filepath.Join(dir, "x.xlsx")); serr == nil {
					t.Errorf("a file was written despite the error")
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (stderr %s)", err, errb.String())
			}
			f, err := excelize.OpenFile(tc.args[1])
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got, _ := f.GetCellValue("任务落实举措清单", "A2"); got != tc.unit {
				t.Errorf("A2 = %q, want %q", got, tc.unit)
			}
		})
	}
}
