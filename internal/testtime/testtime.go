// Package testtime gives the tests one factor by which to stretch every
// time bound they assert, so that a slow or busy machine gets
// proportionally more time and a hang still fails.
//
// The bounds in the tests were set on a quiet two-core machine. Elsewhere
// they are multiplied by Scale, which is
//
//   - the value of NEWSA11Y_TIME_SCALE when it is set: a positive number
//     (0.5 tightens, 3 gives three times as long). Anything else makes
//     Scale panic and Log fail the test, so a typo is not silently ignored;
//   - otherwise a factor measured from the machine, never below 1: the
//     larger of how much slower a short CPU-bound calibration workload ran
//     than it does on the reference machine, and the machine's one-minute
//     load average per core. The calibration sees a slow CPU and the
//     contention of the moment; the load average sees contention that the
//     calibration's few tens of milliseconds may fall between. Both measure
//     the same slowness, so the larger is taken, not their product. A
//     measured factor is capped at MaxMeasured.
//
// The factor is measured at first use, and again at the first use after
// it is MaxAge old: a test binary may run for minutes while other work
// starts and stops on the machine, and a bound taken later then gets the
// factor of its own time. The load average counts the tests' own browsers
// too (a Chromium suite alone lifts it to several per core), so while a
// suite is busy the factor may rise on a quiet machine as well: bounds
// err on the long side, and a hang still fails, later.
//
// Only the bounds on work stretch: a timeout that a test expects to fire
// is the product's own timer and stays as it is, while the bound on how
// long the firing may take beyond it stretches.
package testtime

import (
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvVar names the environment variable that sets the factor by hand.
const EnvVar = "NEWSA11Y_TIME_SCALE"

// MaxMeasured caps a measured factor. Beyond it the measurement says
// little more than "very busy", and bounds stretched further would let a
// hang hold a test binary for many minutes; NEWSA11Y_TIME_SCALE may still
// go higher.
const MaxMeasured = 10.0

// reference is how long the calibration workload takes on the quiet
// two-core machine the bounds were set on (an AMD EPYC virtual machine):
// the fastest of many runs there. TestCalibrationTime logs the time on
// another machine, to record a new reference.
const reference = 15 * time.Millisecond

// MaxAge is how long a measured factor holds.
const MaxAge = 30 * time.Second

// The factor as last settled.
var (
	mu       sync.Mutex
	settled  time.Time // zero before first use
	measured bool      // false when NEWSA11Y_TIME_SCALE gave it
	scale    float64
	origin   string
	err      error
)

// resolve returns the factor and how it was obtained, settling it on
// first use and measuring it again once the measurement is MaxAge old.
func resolve() (float64, string, error) {
	mu.Lock()
	defer mu.Unlock()
	if settled.IsZero() || (measured && time.Since(settled) > MaxAge) {
		env := os.Getenv(EnvVar)
		scale, origin, err = settle(env, measure)
		settled, measured = time.Now(), env == ""
	}
	return scale, origin, err
}

// Scale returns the factor by which the tests stretch their time bounds
// on this machine now. It panics when NEWSA11Y_TIME_SCALE is set to
// something other than a positive number.
func Scale() float64 {
	f, _, err := resolve()
	if err != nil {
		panic(err)
	}
	return f
}

// Bound returns the time bound d, set on a quiet two-core machine,
// stretched by Scale.
func Bound(d time.Duration) time.Duration {
	return time.Duration(float64(d) * Scale())
}

// logged holds the tests that have logged the factor.
var logged sync.Map

// Log writes the factor and how it was obtained to the test's log, once
// per test, or fails the test when NEWSA11Y_TIME_SCALE is not a positive
// number. Tests that stretch bounds call it, or helpers do for them, so
// that a failure's log says by how much.
func Log(tb testing.TB) {
	tb.Helper()
	f, origin, err := resolve()
	if err != nil {
		tb.Fatal(err)
	}
	if _, done := logged.LoadOrStore(tb, true); done {
		return
	}
	tb.Cleanup(func() { logged.Delete(tb) })
	tb.Logf("time bounds stretched by %.2f: %s", f, origin)
}

// settle returns the factor from the value of NEWSA11Y_TIME_SCALE when it
// is set, or from a measurement, and says which.
func settle(env string, measure func() measurement) (float64, string, error) {
	if env != "" {
		f, err := parse(env)
		if err != nil {
			return 0, "", err
		}
		return f, EnvVar + " set", nil
	}
	m := measure()
	return m.factor(), m.String(), nil
}

// parse reads a factor given by hand: a positive, finite number.
func parse(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive number, such as 2 for twice as long", EnvVar, s)
	}
	return f, nil
}

// A measurement is what the machine showed when the factor was measured.
type measurement struct {
	// calibration is how long the calibration workload took.
	calibration time.Duration
	// load is the one-minute load average, or -1 when it is unknown.
	load float64
	// cores is the number of cores the process may use.
	cores int
	// reference is the calibration's time on a quiet machine.
	reference time.Duration
}

// factor is the measured factor: the larger of the calibration's slowness
// and the load per core, between 1 and MaxMeasured.
func (m measurement) factor() float64 {
	f := max(1, float64(m.calibration)/float64(m.reference))
	if m.load > 0 && m.cores > 0 {
		f = max(f, m.load/float64(m.cores))
	}
	return min(f, MaxMeasured)
}

// String says what was measured.
func (m measurement) String() string {
	load := "load average unknown"
	if m.load >= 0 {
		load = fmt.Sprintf("load average %.2f on %d cores", m.load, m.cores)
	}
	return fmt.Sprintf("measured: calibration %s against %s on a quiet two-core machine, %s; measured again when %s old (set %s to override)",
		m.calibration.Round(100*time.Microsecond), m.reference, load, MaxAge, EnvVar)
}

// measure calibrates and reads the load average.
func measure() measurement {
	load, err := loadAverage()
	if err != nil {
		load = -1
	}
	return measurement{calibration: calibrate(), load: load, cores: runtime.NumCPU(), reference: reference}
}

// loadAverage reads the one-minute load average from /proc/loadavg.
func loadAverage() (float64, error) {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, fmt.Errorf("read the load average: %w", err)
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, errors.New("read the load average: /proc/loadavg is empty")
	}
	load, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return 0, fmt.Errorf("read the load average %q: %w", fields[0], err)
	}
	return load, nil
}

// calibrationRuns is how many times the calibration workload runs; the
// median time counts, so that one preemption more or less does not.
const calibrationRuns = 3

// calibrate runs the calibration workload calibrationRuns times and
// returns the median time.
func calibrate() time.Duration {
	times := make([]time.Duration, calibrationRuns)
	for i := range times {
		start := time.Now()
		runtime.KeepAlive(workload()) // so the compiler cannot drop the work
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	return times[len(times)/2]
}

// workload is a fixed CPU-bound task of the kind tests wait on (memory
// and branches, not a single instruction the CPU may have a unit for):
// sorting 65,536 pseudo-random numbers, four times. It takes about 15 ms
// on the reference machine.
func workload() uint64 {
	var sum uint64
	xs := make([]uint32, 1<<16)
	for round := range 4 {
		x := uint32(2463534242 + round)
		for i := range xs {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			xs[i] = x
		}
		slices.Sort(xs)
		for i, v := range xs {
			sum += uint64(v) * uint64(i+1)
		}
	}
	return sum
}
