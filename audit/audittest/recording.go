package audittest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

// Origin stands in a recording for the loopback server's origin, which
// changes from run to run; a replayed page's addresses are on it.
const Origin = "http://fixture.test"

// gzipAbove is the size of recording JSON above which it is stored
// gzipped: small recordings stay readable in a diff, large ones small.
const gzipAbove = 192 << 10

// A Recording is the snapshot Chromium captured of one fixture, stored
// beside it so that rule tests replay it with no browser.
type Recording struct {
	// Fixture is the page's path below testdata.
	Fixture string `json:"fixture"`
	// Source is the SHA-256 of what the recording was made from: the
	// fixture and the other files of its folder that it may load.
	Source string `json:"source_sha256"`
	// Browser is the product and version of the browser that captured it.
	Browser string `json:"browser"`
	// Command is how to record it again.
	Command string `json:"command"`
	// Page is the snapshot, its addresses on Origin and its timings
	// cleared.
	Page *audit.Page `json:"page"`
}

// RecordingPath returns the file the fixture's recording is stored in:
// the gzipped one when it exists, else the plain one.
func (f Fixture) RecordingPath() string {
	base := strings.TrimSuffix(f.Path, ".html") + ".snapshot.json"
	if _, err := os.Stat(base + ".gz"); err == nil {
		return base + ".gz"
	}
	return base
}

// SourceHash returns the SHA-256 of the fixture and of the other files of
// its folder that are neither fixtures nor recordings (frames and
// pictures it loads).
func (f Fixture) SourceHash() (string, error) {
	h := sha256.New()
	dir := filepath.Dir(f.Path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("hash fixture %s: %w", f.Rel, err)
	}
	names := []string{f.Name}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || filepath.Ext(n) == ".html" || strings.Contains(n, ".snapshot.json") {
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names[1:])
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return "", fmt.Errorf("hash fixture %s: %w", f.Rel, err)
		}
		fmt.Fprintf(h, "%s %d\n", n, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Normalize makes a captured page recordable and comparable: the server
// origin becomes Origin, and the timings, which differ on every run, are
// cleared. It returns a new page; p is not changed.
func Normalize(p *audit.Page, origin string) (*audit.Page, error) {
	data, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("normalize %s: %w", p.URL, err)
	}
	if origin != "" {
		data = bytes.ReplaceAll(data, []byte(origin), []byte(Origin))
	}
	out := new(audit.Page)
	if err := json.Unmarshal(data, out); err != nil {
		return nil, fmt.Errorf("normalize %s: %w", p.URL, err)
	}
	out.Timings = nil
	if out.Walk != nil {
		out.Walk.Millis = 0
	}
	return out, nil
}

// WriteRecording stores a normalized page as the fixture's recording,
// gzipped when large, and removes the other form of the file.
func WriteRecording(f Fixture, p *audit.Page, browser string) error {
	hash, err := f.SourceHash()
	if err != nil {
		return err
	}
	rec := Recording{Fixture: f.Rel, Source: hash, Browser: browser, Command: RecordCommand, Page: p}
	data, err := json.MarshalIndent(rec, "", " ")
	if err != nil {
		return fmt.Errorf("record %s: %w", f.Rel, err)
	}
	data = append(data, '\n')
	plain := strings.TrimSuffix(f.Path, ".html") + ".snapshot.json"
	path, stale := plain, plain+".gz"
	if len(data) > gzipAbove {
		path, stale = stale, path
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(data)
		if err := zw.Close(); err != nil {
			return fmt.Errorf("record %s: %w", f.Rel, err)
		}
		data = buf.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("record %s: %w", f.Rel, err)
	}
	if err := os.Remove(stale); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("record %s: %w", f.Rel, err)
	}
	return nil
}

// ReadRecording reads the fixture's recording.
func ReadRecording(f Fixture) (*Recording, error) {
	path := f.RecordingPath()
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read recording of %s: %w (record it with %s)", f.Rel, err, RecordCommand)
	}
	defer file.Close()
	var r io.Reader = file
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(file)
		if err != nil {
			return nil, fmt.Errorf("read recording %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	rec := new(Recording)
	if err := json.NewDecoder(r).Decode(rec); err != nil {
		return nil, fmt.Errorf("read recording %s: %w", path, err)
	}
	if rec.Page == nil {
		return nil, fmt.Errorf("read recording %s: no page", path)
	}
	return rec, nil
}

// Replay returns the page recorded for the fixture. A missing recording,
// or one made from another version of the fixture, fails the test with
// the command that records it again.
func Replay(tb testing.TB, f Fixture) *audit.Page {
	tb.Helper()
	rec, err := ReadRecording(f)
	if err != nil {
		tb.Fatal(err)
	}
	hash, err := f.SourceHash()
	if err != nil {
		tb.Fatal(err)
	}
	if rec.Source != hash {
		tb.Fatalf("the recording of %s was made from another version of it; record it again with %s", f.Rel, RecordCommand)
	}
	return rec.Page
}

// Difference returns the first difference between a recorded page and a
// page captured now, both normalized, as a path into the snapshot's JSON
// and the two values, or "" when they agree. Boxes and other numbers may
// differ by less than a CSS pixel.
func Difference(recorded, now *audit.Page) (string, error) {
	var a, b any
	for _, x := range []struct {
		p   *audit.Page
		out *any
	}{{recorded, &a}, {now, &b}} {
		data, err := json.Marshal(x.p)
		if err != nil {
			return "", fmt.Errorf("compare %s: %w", recorded.URL, err)
		}
		if err := json.Unmarshal(data, x.out); err != nil {
			return "", fmt.Errorf("compare %s: %w", recorded.URL, err)
		}
	}
	return difference("page", a, b), nil
}

// difference compares two decoded JSON values.
func difference(path string, a, b any) string {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: recorded %s, now %s", path, brief(a), brief(b))
		}
		keys := make([]string, 0, len(av)+len(bv))
		for k := range av {
			keys = append(keys, k)
		}
		for k := range bv {
			if _, ok := av[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if d := difference(path+"."+k, av[k], bv[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return fmt.Sprintf("%s: recorded %s, now %s", path, brief(a), brief(b))
		}
		for i := range av {
			if d := difference(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i]); d != "" {
				return d
			}
		}
		return ""
	case float64:
		if bv, ok := b.(float64); ok && math.Abs(av-bv) < 1 {
			return ""
		}
	default:
		if a == b {
			return ""
		}
	}
	return fmt.Sprintf("%s: recorded %s, now %s", path, brief(a), brief(b))
}

// brief renders a JSON value for a difference message, cut short.
func brief(v any) string {
	data, _ := json.Marshal(v)
	s := string(data)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
