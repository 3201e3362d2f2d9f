package chrome

import (
	"os"
	"sync"
	"time"
)

// live holds the browser processes newsa11y started and has not yet
// ended, so that a process that must exit at once can still take them
// down with it.
var live = struct {
	sync.Mutex
	procs map[*process]bool
}{procs: map[*process]bool{}}

// remember records a started browser process.
func remember(p *process) {
	live.Lock()
	defer live.Unlock()
	live.procs[p] = true
}

// forget drops an ended browser process from the record; nil is ignored.
func forget(p *process) {
	if p == nil {
		return
	}
	live.Lock()
	defer live.Unlock()
	delete(live.procs, p)
}

// Abandon kills every browser this process started and has not closed,
// and removes their temporary profiles, without the graceful close that
// Close attempts. A program calls it just before it exits on its own
// terms (a run that did not stop within its grace after Ctrl-C), which
// would otherwise leave the browsers' profiles behind: ending a browser's
// context removes its profile only once the browser has exited, and an
// exiting program does not wait for that.
func Abandon() {
	live.Lock()
	procs := make([]*process, 0, len(live.procs))
	for p := range live.procs {
		procs = append(procs, p)
	}
	live.procs = map[*process]bool{}
	live.Unlock()
	for _, p := range procs {
		killGroup(p.pid())
	}
	for _, p := range procs {
		removeSingleton(p.singleton)
		if p.profile == "" {
			continue
		}
		// A killed process can still be closing files for a moment.
		for try := 0; try < 5; try++ {
			if os.RemoveAll(p.profile) == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}
