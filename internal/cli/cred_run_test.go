package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/cred/awsconfig"
	"github.com/keyward/keyward/internal/cred/iamkeys"
	"github.com/keyward/keyward/internal/cred/provider"
	"github.com/keyward/keyward/internal/cred/vault"
)

// stsAnsweringTogether answers GetSessionToken, holding each answer until
// n requests are in (or a few seconds pass): n commands then fetch their
// credentials at the same time, as parallel jobs of a script do.
func stsAnsweringTogether(t *testing.T, n int) *httptest.Server {
	var mu sync.Mutex
	arrived, all := 0, make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if arrived++; arrived == n {
			close(all)
		}
		id := arrived
		mu.Unlock()
		select {
		case <-all:
		case <-time.After(5 * time.Second):
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult><Credentials>`+
			`<AccessKeyId>ASIASESSION%d</AccessKeyId><SecretAccessKey>secret%d</SecretAccessKey><SessionToken>token%d</SessionToken>`+
			`<Expiration>%s</Expiration></Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>r%d</RequestId></ResponseMetadata>`+
			`</GetSessionTokenResponse>`, id, id, id, time.Now().Add(12*time.Hour).UTC().Format(time.RFC3339), id)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestParallelWritesToTheCredentialsFileAllLand: two scripts' jobs write
// two sections of ~/.aws/credentials at once. Both must succeed and both
// sections be there: keyward itself is not "someone else" changing the file.
func TestParallelWritesToTheCredentialsFileAllLand(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home, "KEYWARD_VAULT": "file", vault.PassphraseEnv: "test passphrase"}
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[profile bob]\nregion = us-east-1\n\n[profile carol]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	store, err := vault.NewFile(configDir(home, func(k string) string { return env[k] }), vault.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1},
		func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"bob", "carol"} {
		b, _ := json.Marshal(iamkeys.Keys{AccessKeyID: "AKIA" + strings.ToUpper(p), SecretAccessKey: p + "-secret"})
		if err := store.Set(context.Background(), provider.UserKeysKey(p), b); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_ENDPOINT_URL_STS", stsAnsweringTogether(t, 2).URL)

	var wg sync.WaitGroup
	for _, p := range []string{"bob", "carol"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, _, errOut := run(t, "", env, "credentials", p, "--write-aws-credentials"); code != 0 {
				t.Errorf("credentials %s --write-aws-credentials: exit %d: %s", p, code, errOut)
			}
		}()
	}
	wg.Wait()
	sh, err := awsconfig.Load(awsconfig.DefaultPaths(home, func(k string) string { return env[k] }))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"bob", "carol"} {
		if v, ok := sh.Credentials.Section(awsconfig.Section{Name: p}); !ok || !strings.HasPrefix(v.Get("aws_access_key_id"), "ASIASESSION") {
			t.Errorf("~/.aws/credentials has no session for [%s]: %v", p, v)
		}
	}
}
