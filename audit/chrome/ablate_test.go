//go:build ablate

package chrome

import (
	"maps"
	"slices"
	"testing"
)

func TestParseAblated(t *testing.T) {
	for _, tc := range []struct {
		list string
		want []string
	}{
		{"", nil},
		{"walk", []string{"walk"}},
		{"walk, ax,scroll,settle", []string{"ax", "scroll", "settle", "walk"}},
		{"walk,,walk", []string{"walk"}},
	} {
		got := slices.Sorted(maps.Keys(parseAblated(tc.list)))
		if !slices.Equal(got, tc.want) {
			t.Errorf("parseAblated(%q) = %v, want %v", tc.list, got, tc.want)
		}
	}
}
