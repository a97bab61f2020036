package awsconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// edit parses in, runs fn and returns the rendered file.
func edit(t *testing.T, k kind, in string, fn func(f *File)) string {
	t.Helper()
	f := mustParse(t, k, in)
	fn(f)
	if f.err != nil {
		t.Fatalf("edit failed: %v", f.err)
	}
	out := string(f.bytes())
	if _, err := parse("reparse", k, []byte(out)); err != nil {
		t.Fatalf("the edited file does not parse: %v\n%s", err, out)
	}
	return out
}

func wantText(t *testing.T, want, got string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
}

func TestSet(t *testing.T) {
	t.Run("an existing key changes on its own line, keeping its spelling", func(t *testing.T) {
		got := edit(t, configFile, personal, func(f *File) {
			f.Set(ProfileSection("work"), KV{"region", "us-west-2"})
		})
		wantText(t, strings.Replace(personal, "Region : eu-west-1", "Region = us-west-2", 1), got)
	})
	t.Run("setting the same value leaves the file untouched", func(t *testing.T) {
		f := mustParse(t, configFile, personal)
		f.Set(ProfileSection("default"), KV{"output", "json"})
		if f.dirty {
			t.Error("the file is marked changed")
		}
		wantText(t, personal, string(f.bytes()))
	})
	t.Run("a new key goes after the section's last setting, before its trailing comment", func(t *testing.T) {
		got := edit(t, configFile, personal, func(f *File) {
			f.Set(ProfileSection("work"), KV{"output", "text"})
		})
		wantText(t, strings.Replace(personal, "cli_pager =\n", "cli_pager =\noutput = text\n", 1), got)
	})
	t.Run("a nested value replaced by a plain one loses its sub-lines", func(t *testing.T) {
		got := edit(t, configFile, personal, func(f *File) {
			f.Set(ProfileSection("work"), KV{"s3", "x"})
		})
		wantText(t, strings.Replace(personal, "s3 =\n  max_concurrent_requests = 20\n  addressing_style = path\n", "s3 = x\n", 1), got)
	})
	t.Run("a missing section is added at the end after a blank line", func(t *testing.T) {
		got := edit(t, configFile, personal, func(f *File) {
			f.Set(ProfileSection("new"), KV{"region", "eu-central-1"}, KV{"Output", "json"})
		})
		wantText(t, personal+"\n[profile new]\nregion = eu-central-1\noutput = json\n", got)
	})
	t.Run("CRLF files get CRLF lines, a file without a final newline gets one", func(t *testing.T) {
		got := edit(t, configFile, "[default]\r\nregion = a\r\n", func(f *File) {
			f.Set(ProfileSection("default"), KV{"output", "json"})
		})
		wantText(t, "[default]\r\nregion = a\r\noutput = json\r\n", got)
		got = edit(t, configFile, "[default]\nregion = a", func(f *File) {
			f.Set(SSOSessionSection("s"), KV{"sso_region", "us-east-1"})
		})
		wantText(t, "[default]\nregion = a\n\n[sso-session s]\nsso_region = us-east-1\n", got)
	})
	t.Run("the credentials file takes plain [NAME] sections", func(t *testing.T) {
		in := "# keys\n[default]\naws_access_key_id = AKIAOLD\n\n[mine]\naws_access_key_id = AKIAMINE\n"
		got := edit(t, credentialsFile, in, func(f *File) {
			f.Set(Section{Name: "default"}, KV{"aws_access_key_id", "AKIANEW"}, KV{"aws_session_token", "tok"})
		})
		wantText(t, "# keys\n[default]\naws_access_key_id = AKIANEW\naws_session_token = tok\n\n[mine]\naws_access_key_id = AKIAMINE\n", got)
	})
}

func TestDeleteAndPut(t *testing.T) {
	t.Run("Delete removes a key and its nested lines only", func(t *testing.T) {
		got := edit(t, configFile, personal, func(f *File) {
			f.Delete(ProfileSection("work"), "S3", "no_such_key")
		})
		wantText(t, strings.Replace(personal, "s3 =\n  max_concurrent_requests = 20\n  addressing_style = path\n", "", 1), got)
	})
	t.Run("PutSection updates in place, drops other keys and adds new ones", func(t *testing.T) {
		in := "[profile p]\n# mine\nregion = a\nold = 1\n\n[profile q]\nregion = b\n"
		got := edit(t, configFile, in, func(f *File) {
			f.PutSection(ProfileSection("p"), []KV{{"region", "c"}, {"new", "2"}})
		})
		wantText(t, "[profile p]\n# mine\nregion = c\nnew = 2\n\n[profile q]\nregion = b\n", got)
	})
	t.Run("DeleteSection keeps the comment that introduces the next section", func(t *testing.T) {
		in := "[profile a]\nregion = x\n\n\n# my work profile\n[profile b]\nregion = y\n"
		got := edit(t, configFile, in, func(f *File) { f.DeleteSection(ProfileSection("a")) })
		wantText(t, "# my work profile\n[profile b]\nregion = y\n", got)
	})
	t.Run("DeleteSection of the last section", func(t *testing.T) {
		got := edit(t, configFile, personal, func(f *File) { f.DeleteSection(Section{Name: "plugins"}) })
		wantText(t, strings.TrimSuffix(personal, "[plugins]\ncli_legacy_plugin_path = /opt/plugins\n"), got)
	})
}

func TestInvalidEdits(t *testing.T) {
	for _, tc := range []struct {
		name string
		k    kind
		s    Section
		kv   KV
	}{
		{"a name with a bracket", configFile, ProfileSection("a]b"), KV{"region", "x"}},
		{"a name with a space", configFile, ProfileSection("a b"), KV{"region", "x"}},
		{"a name with a newline", configFile, ProfileSection("a\n[default]"), KV{"region", "x"}},
		{"an untyped name that reads as a profile", configFile, Section{Name: "profile x"}, KV{"region", "x"}},
		{"an unknown section type", configFile, Section{Type: "plugin", Name: "x"}, KV{"region", "x"}},
		{"a typed section in the credentials file", credentialsFile, ProfileSection("x"), KV{"region", "x"}},
		{"a value with a line break", configFile, ProfileSection("x"), KV{"region", "x\ncredential_process = evil"}},
		{"a key with =", configFile, ProfileSection("x"), KV{"a=b", "x"}},
		{"an empty key", configFile, ProfileSection("x"), KV{"", "x"}},
	} {
		t.Run(tc.name+" changes nothing and Save says why", func(t *testing.T) {
			f := mustParse(t, tc.k, personal)
			f.Set(tc.s, tc.kv)
			f.PutSection(ProfileSection("fine"), []KV{{"region", "x"}}) // ignored after the failure
			wantText(t, personal, string(f.bytes()))
			err := f.Save()
			if err == nil || !strings.Contains(err.Error(), "not saved") {
				t.Errorf("Save = %v, want a not-saved error", err)
			}
		})
	}
}
