package main

import (
	"bytes"
	"testing"
)

func TestCapConcurrency(t *testing.T) {
	for _, tc := range []struct {
		asked, pages, cores, want int
		note                      bool
	}{
		{asked: 3, pages: 10, cores: 2, want: 3},
		{asked: 40, pages: 1, cores: 2, want: 1, note: true},
		{asked: 40, pages: 100, cores: 2, want: 8, note: true},
		{asked: 8, pages: 100, cores: 2, want: 8},
		{asked: 5, pages: 2, cores: 2, want: 2},
		{asked: 5, pages: 0, cores: 2, want: 1},
		{asked: 4, pages: 10, cores: 0, want: 4},
	} {
		var stderr bytes.Buffer
		got := capConcurrency(tc.asked, tc.pages, tc.cores, &stderr)
		if got != tc.want || (stderr.Len() > 0) != tc.note {
			t.Errorf("capConcurrency(%d, %d pages, %d cores) = %d, note %q; want %d, a note: %v", tc.asked, tc.pages, tc.cores, got, stderr.String(), tc.want, tc.note)
		}
	}
}
