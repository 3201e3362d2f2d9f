package audit_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestChromedpStaysInAuditChrome holds the central decision: rules read a
// snapshot and never touch the browser, so neither the audit package nor
// any rule package may depend on chromedp or cdproto, tests included: rule
// tests replay recorded snapshots through audittest, which must not link
// the browser either.
func TestChromedpStaysInAuditChrome(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{.ImportPath}}",
		"github.com/newsa11y/newsa11y/audit", "github.com/newsa11y/newsa11y/audit/audittest", "github.com/newsa11y/newsa11y/rules/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/chromedp/") {
			t.Errorf("chromedp is reachable from audit, audittest or rules (tests included): %s", dep)
		}
	}
}

// TestAuditImportsNoModulePackage holds the direction of the dependencies:
// rules, reports, the loaders and the command import audit, and audit
// imports no package of the module.
func TestAuditImportsNoModulePackage(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	const self = "github.com/newsa11y/newsa11y/audit"
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", self).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != self && strings.HasPrefix(dep, "github.com/newsa11y/newsa11y/") {
			t.Errorf("audit depends on a package of the module: %s", dep)
		}
	}
}
