package target

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// ErrNotRegular is the error for a path that names something other than a
// regular file: a FIFO, a device such as /dev/tty, a socket or a folder.
// newsa11y never opens those: reading a FIFO or a terminal can block for
// ever.
var ErrNotRegular = errors.New("not a regular file")

// OpenRegular opens the file at path for reading if it is a regular file,
// following symbolic links. It checks before opening, opens without
// blocking (a FIFO swapped in between does not wait for a writer), and
// checks the opened file again; anything else fails with an error that
// wraps ErrNotRegular.
func OpenRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if st, err = f.Stat(); err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, st.Mode())
	}
	return f, nil
}

// notRegular says what path is instead of a regular file.
func notRegular(path string, mode fs.FileMode) error {
	kind := "special file"
	switch {
	case mode.IsDir():
		kind = "folder"
	case mode&fs.ModeNamedPipe != 0:
		kind = "FIFO"
	case mode&fs.ModeCharDevice != 0:
		kind = "character device"
	case mode&fs.ModeDevice != 0:
		kind = "device"
	case mode&fs.ModeSocket != 0:
		kind = "socket"
	}
	return fmt.Errorf("%s: %w but a %s", termsafe.String(path), ErrNotRegular, kind)
}

// safeError is an error whose message is made safe for a terminal (see
// termsafe.String), for errors that may quote a document: an XML syntax
// error names the elements it met. It unwraps to the original.
type safeError struct{ err error }

func (e safeError) Error() string { return termsafe.String(e.err.Error()) }
func (e safeError) Unwrap() error { return e.err }
