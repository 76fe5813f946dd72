package provider

import "testing"

func TestCheckSCIMFilter(t *testing.T) {
	t.Parallel()
	valid := []string{
		`active eq true`,
		`userName sw "a" and active eq true`,
		`userName EQ "A" AND (title eq "x" or title pr)`,
		`not (userName eq "a")`,
		`emails[type eq "work" and value co "@example.com"]`,
		`emails[type eq "work"].value eq "a+b@example.com"`, // as Entra ID sends it
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Security"`,
		`meta.lastModified gt "2026-01-01T00:00:00Z"`,
	}
	for _, f := range valid {
		if err := checkSCIMFilter(f); err != nil {
			t.Errorf("%s: %v, want valid", f, err)
		}
	}
	invalid := []string{``, `   `, `userName eq alice`, `userName eq "a" or`, `userName = "a"`, `(active eq true`, `userName eq "unterminated`}
	for _, f := range invalid {
		if err := checkSCIMFilter(f); err == nil {
			t.Errorf("%q: accepted, want an error", f)
		}
	}
}

func TestCheckSCIMFilterSubAttributeForm(t *testing.T) {
	t.Parallel()
	if err := checkSCIMFilter(`emails[type eq work].value eq "x"`); err == nil {
		t.Error("an invalid value filter inside brackets was accepted")
	}
	if err := checkSCIMFilter(`emails[type eq "work"].value eq x`); err == nil {
		t.Error("an unquoted value after the sub-attribute was accepted")
	}
}
