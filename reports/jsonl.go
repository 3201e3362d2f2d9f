package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/newsa11y/newsa11y/audit"
)

// JSONL writes one page object of the JSON contract per line, for streams
// and for tools that read pages one at a time.
type JSONL struct{}

var _ Writer = JSONL{}

// Write writes each page of r as one line.
func (JSONL) Write(w io.Writer, r *audit.Report) error {
	bw := bufio.NewWriter(w)
	for _, p := range r.Pages {
		line, err := pageLine(p)
		if err != nil {
			return err
		}
		bw.Write(line)
	}
	return bw.Flush()
}

func pageLine(p audit.PageResult) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode page %s: %w", p.URL, err)
	}
	return buf.Bytes(), nil
}

// A Stream appends page results to a JSON Lines file as pages finish. Each
// line is written whole in one call and synced to disk before Append
// returns, so a run that is killed loses no finished page; at worst the
// line being written when it died is cut short, and ReadStream drops it.
type Stream struct {
	mu sync.Mutex
	f  *os.File
}

// CreateStream creates (or empties) a stream file and holds it for this
// process alone: a stream another run is writing is refused, before
// anything in it is touched, with ErrStreamInUse. The hold ends with
// Close, or with the process.
func CreateStream(path string) (*Stream, error) {
	f, err := openExclusive(path)
	if err != nil {
		return nil, fmt.Errorf("create stream: %w", err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("create stream %s: %w", path, err)
	}
	return &Stream{f: f}, nil
}

// ResumeStream opens an existing stream file to append to it, holding it
// as CreateStream does, first cutting off a last line that an
// interrupted write left incomplete. It returns the pages already in the
// file.
func ResumeStream(path string) (*Stream, []audit.PageResult, error) {
	f, err := openExclusive(path)
	if err != nil {
		return nil, nil, fmt.Errorf("resume stream: %w", err)
	}
	pages, good, err := readLines(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("resume stream %s: %w", path, err)
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("resume stream %s: %w", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("resume stream %s: %w", path, err)
	}
	return &Stream{f: f}, pages, nil
}

// ErrStreamInUse is the error of a stream file that another run holds.
var ErrStreamInUse = errors.New("another newsa11y run is writing to it")

// openExclusive opens (creating) the file at path for reading and
// writing, without truncating it, and takes an exclusive lock on it that
// lasts until the file is closed or the process ends, even by a kill.
// Two runs writing one stream would each overwrite the other's lines.
func openExclusive(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("%s: %w; give another path, or wait for that run to end (a stream is continued with --resume)", path, ErrStreamInUse)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// Append writes one page as a line and syncs it to disk.
func (s *Stream) Append(p audit.PageResult) error {
	line, err := pageLine(p)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.Write(line); err != nil {
		return fmt.Errorf("append to stream: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("sync stream: %w", err)
	}
	return nil
}

// Close closes the stream file.
func (s *Stream) Close() error { return s.f.Close() }

// ReadStream reads the pages of a JSON Lines stream. A last line without
// its newline (a write cut short) is dropped; any other bad line is an
// error naming its number.
func ReadStream(r io.Reader) ([]audit.PageResult, error) {
	pages, _, err := readLines(r)
	return pages, err
}

// readLines reads complete lines and returns the pages and the byte offset
// just past the last complete, valid line.
func readLines(r io.Reader) ([]audit.PageResult, int64, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var pages []audit.PageResult
	var good int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			// A line without its newline is an interrupted write.
			return pages, good, nil
		}
		if err != nil {
			return nil, 0, err
		}
		if len(bytes.TrimSpace(line)) > 0 {
			var p audit.PageResult
			if err := json.Unmarshal(line, &p); err != nil {
				return nil, 0, fmt.Errorf("line %d: %w", n, err)
			}
			pages = append(pages, p)
		}
		good += int64(len(line))
	}
}

// ReadResults reads the pages of a JSON report or of a JSON Lines stream,
// with the report's own rule list and warnings when it is a report.
func ReadResults(path string) (*audit.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("{")) && !bytes.Contains(trimmed, []byte("\n{")) {
		var r audit.Report
		if err := json.Unmarshal(trimmed, &r); err == nil && r.SchemaVersion == audit.SchemaVersion && r.Pages != nil {
			return &r, nil
		}
	}
	pages, err := ReadStream(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read results %s: %w", path, err)
	}
	return &audit.Report{SchemaVersion: audit.SchemaVersion, Pages: pages}, nil
}
