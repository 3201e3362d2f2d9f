package testtime

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true},
		{"2.5", 2.5, true},
		{" 3 ", 3, true},
		{"0.5", 0.5, true},
		{"1e1", 10, true},
		{"0", 0, false},
		{"-2", 0, false},
		{"abc", 0, false},
		{"2x", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"+Inf", 0, false},
	} {
		got, err := parse(c.in)
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("parse(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if !c.ok && err == nil {
			t.Errorf("parse(%q) = %v, want an error", c.in, got)
		}
		if !c.ok && err != nil && !strings.Contains(err.Error(), EnvVar) {
			t.Errorf("parse(%q): the error %q does not name %s", c.in, err, EnvVar)
		}
	}
}

func TestSettle(t *testing.T) {
	noMeasure := func() measurement {
		t.Error("measured although the factor was given")
		return measurement{}
	}
	if f, origin, err := settle("4", noMeasure); err != nil || f != 4 || !strings.Contains(origin, EnvVar) {
		t.Errorf("given 4: %v, %q, %v", f, origin, err)
	}
	if _, _, err := settle("fast", noMeasure); err == nil {
		t.Error("given fast: no error")
	}
	busy := func() measurement {
		return measurement{calibration: 45 * time.Millisecond, load: 1, cores: 2, reference: 15 * time.Millisecond}
	}
	if f, origin, err := settle("", busy); err != nil || f != 3 || !strings.Contains(origin, "calibration 45ms") {
		t.Errorf("measured: %v, %q, %v; want 3 from the calibration", f, origin, err)
	}
}

func TestFactor(t *testing.T) {
	ref := 15 * time.Millisecond
	for _, c := range []struct {
		name string
		m    measurement
		want float64
	}{
		{"quiet", measurement{calibration: ref, load: 0.2, cores: 2, reference: ref}, 1},
		{"faster than the reference", measurement{calibration: ref / 3, load: 0, cores: 2, reference: ref}, 1},
		{"slow CPU", measurement{calibration: 2 * ref, load: 1, cores: 2, reference: ref}, 2},
		{"loaded", measurement{calibration: ref, load: 6, cores: 2, reference: ref}, 3},
		{"both: the larger", measurement{calibration: 2 * ref, load: 8, cores: 2, reference: ref}, 4},
		{"load unknown", measurement{calibration: ref, load: -1, cores: 2, reference: ref}, 1},
		{"capped", measurement{calibration: 40 * ref, load: 100, cores: 2, reference: ref}, MaxMeasured},
	} {
		if got := c.m.factor(); got != c.want {
			t.Errorf("%s: factor %v, want %v", c.name, got, c.want)
		}
	}
}

// TestLoadedMachineGivesLargerFactor runs the calibration on this machine
// as it is, then again while many busy threads compete for its cores, as
// other processes would: the loaded run must take longer, and so give a
// larger factor against the first. Other work on the machine may slow any
// one run, so each is the fastest of five.
func TestLoadedMachineGivesLargerFactor(t *testing.T) {
	fastest := func() time.Duration {
		d := calibrate()
		for range 4 {
			d = min(d, calibrate())
		}
		return d
	}
	quiet := fastest()
	busy := 8 * runtime.NumCPU()
	// More threads than cores, so that the operating system, not only
	// Go's scheduler, shares the cores among them.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(busy + 1))
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range busy {
		wg.Go(func() {
			x := uint64(1)
			for !stop.Load() {
				for range 1000 {
					x = x*6364136223846793005 + 1442695040888963407
				}
			}
			runtime.KeepAlive(x)
		})
	}
	time.Sleep(50 * time.Millisecond) // let them all get going
	loaded := fastest()
	stop.Store(true)
	wg.Wait()
	t.Logf("calibration %s as the machine is, %s with %d busy threads", quiet, loaded, busy)
	if loaded < quiet*3/2 {
		t.Errorf("the loaded calibration took %s, not clearly longer than %s", loaded, quiet)
	}
	base := measurement{calibration: quiet, load: -1, cores: runtime.NumCPU(), reference: quiet}
	more := measurement{calibration: loaded, load: -1, cores: runtime.NumCPU(), reference: quiet}
	if base.factor() != 1 || more.factor() <= base.factor() {
		t.Errorf("factor %v quiet, %v loaded; want 1 and more", base.factor(), more.factor())
	}
}

// TestCalibrationTime checks that the calibration workload is fixed (the
// same result each time) and logs its fastest time here, the figure to
// record as the reference on a quiet machine.
func TestCalibrationTime(t *testing.T) {
	first := workload()
	fastest := time.Duration(1 << 62)
	for range 20 {
		start := time.Now()
		if got := workload(); got != first {
			t.Fatalf("the workload gave %d, then %d", first, got)
		}
		fastest = min(fastest, time.Since(start))
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("calibration workload: fastest of 20 runs %s; reference %s", fastest, reference)
}

// TestBadValueFailsLoudly runs this test binary with a malformed
// NEWSA11Y_TIME_SCALE: a test using Bound must not run with some default.
func TestBadValueFailsLoudly(t *testing.T) {
	if os.Getenv("TESTTIME_CHILD") == "1" {
		_ = Bound(time.Second)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBadValueFailsLoudly$")
	cmd.Env = append(os.Environ(), "TESTTIME_CHILD=1", EnvVar+"=three")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the test passed with %s=three:\n%s", EnvVar, out)
	}
	if !strings.Contains(string(out), EnvVar+`="three": want a positive number`) {
		t.Errorf("the failure does not say what is wrong:\n%s", out)
	}
}

func TestBoundAndLog(t *testing.T) {
	Log(t)
	if s := Scale(); s <= 0 || (os.Getenv(EnvVar) == "" && (s < 1 || s > MaxMeasured)) {
		t.Errorf("scale %v", s)
	}
	if got, want := Bound(10*time.Second), time.Duration(float64(10*time.Second)*Scale()); got != want {
		t.Errorf("Bound(10s) = %s, want %s", got, want)
	}
}

// TestLogOncePerTest logs the factor once however often a test and its
// helpers ask, and again for the next test.
func TestLogOncePerTest(t *testing.T) {
	var lines []string
	for range 2 {
		rec := &recorder{TB: t}
		Log(rec)
		Log(rec)
		rec.cleanup()
		lines = append(lines, rec.logs...)
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "time bounds stretched by") {
		t.Errorf("logged %q, want one line per test", lines)
	}
}

// recorder is a test of its own for Log: it keeps what is logged and runs
// its cleanups when asked.
type recorder struct {
	testing.TB
	logs     []string
	cleanups []func()
}

func (r *recorder) Helper()          {}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}
func (r *recorder) cleanup() {
	for _, f := range r.cleanups {
		f()
	}
}
