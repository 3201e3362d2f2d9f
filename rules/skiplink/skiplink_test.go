package skiplink_test

import (
	"testing"

	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/rules/skiplink"
)

func TestFixtures(t *testing.T) {
	audittest.Run(t, skiplink.Rules...)
}
