package imagealt

import (
	"slices"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

func TestSrcsetURLs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"photo.jpg", []string{"photo.jpg"}},
		{"a.jpg 1x, b.jpg 2x", []string{"a.jpg", "b.jpg"}},
		{"a.jpg 320w,b.jpg 640w", []string{"a.jpg", "b.jpg"}},
		// Kinja's image URLs hold commas.
		{"https://i.kinja-img.com/image/upload/c_fill,f_auto,w_320/eco.jpg 320w, https://i.kinja-img.com/image/upload/c_fill,f_auto,w_470/eco.jpg 470w",
			[]string{"https://i.kinja-img.com/image/upload/c_fill,f_auto,w_320/eco.jpg", "https://i.kinja-img.com/image/upload/c_fill,f_auto,w_470/eco.jpg"}},
		// MSN keeps its lazy source in JSON.
		{`{"default":"//img-s-msn-com.akamaized.net/tenant/amp/entityid/BBlfFAC.img?h=16&w=16"}`,
			[]string{"//img-s-msn-com.akamaized.net/tenant/amp/entityid/BBlfFAC.img?h=16&w=16"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := srcsetURLs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("srcsetURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLazySources(t *testing.T) {
	n := &audit.Node{Kind: audit.ElementNode, Tag: "img", Attrs: []audit.Attr{
		{Name: "src", Value: "data:image/gif;base64,R0lGOD"},
		{Name: "data-src", Value: "real.jpg"},
		{Name: "data-srcset", Value: "real-320.jpg 320w, real-640.jpg 640w"},
		{Name: "data-lazy", Value: "true"},
		{Name: "data-src-facebook", Value: "share-1200x630.jpg"},
		{Name: "data-source-standard", Value: "http://media.example/thumb-90x60.jpg"},
	}}
	want := []string{"real.jpg", "real-320.jpg", "real-640.jpg", "http://media.example/thumb-90x60.jpg"}
	if got := lazySources(n); !slices.Equal(got, want) {
		t.Errorf("lazySources = %q, want %q", got, want)
	}
}

func TestCreditCoreAndHomeLinks(t *testing.T) {
	for in, want := range map[string]string{
		"Photograph: Jane Doe/AP":  "jane doe ap",
		"(Jane Doe / AP)":          "jane doe ap",
		"Foto: Pedro Ladeira":      "pedro ladeira",
		"Kirsten Luce for The NYT": "kirsten luce for the nyt",
	} {
		if got := creditCore(in); got != want {
			t.Errorf("creditCore(%q) = %q, want %q", in, got, want)
		}
	}
	for href, want := range map[string]bool{
		"/": true, "http://www.ap.org/": true, "https://example.com": true,
		"/news/story": false, "#top": false, "?page=2": false, "": false,
	} {
		if got := homePageLink(href); got != want {
			t.Errorf("homePageLink(%q) = %v, want %v", href, got, want)
		}
	}
}
