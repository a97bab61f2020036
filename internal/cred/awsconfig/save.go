package awsconfig

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrChanged is wrapped by Save's error when the file changed on disk
// after it was read.
var ErrChanged = errors.New("changed on disk since keyward read it")

// Save writes the file if an edit changed it: atomically (a temp file in
// the same directory, fsync, rename), keeping the file's mode (a new file
// gets 0600 and a new directory 0700) and following a symlink to the real
// file. It writes nothing if an edit was invalid or the file changed on
// disk since it was read.
func (f *File) Save() error {
	if f.err != nil {
		return f.err
	}
	if !f.dirty {
		return nil
	}
	if f.path == "" {
		return errors.New("awsconfig: the file has no path")
	}
	target, err := realPath(f.path)
	if err != nil {
		return err
	}
	now, _, err := read(target)
	if err != nil {
		return err
	}
	if now != f.disk {
		return fmt.Errorf("%s %w; nothing was written, run the command again", tildePath(f.path), ErrChanged)
	}
	b := f.bytes()
	if err := writeAtomic(target, b); err != nil {
		return fmt.Errorf("write %s: %w", tildePath(f.path), err)
	}
	f.disk, f.dirty = snapshot{exists: true, sum: sha256.Sum256(b)}, false
	return nil
}

// realPath follows symlinks (a dotfiles manager may link ~/.aws/config),
// so the rename replaces the file and not the link.
func realPath(p string) (string, error) {
	r, err := filepath.EvalSymlinks(p)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", tildePath(p), err)
	}
	return r, nil
}

// read returns the file's snapshot and bytes (none if it does not
// exist), refusing more than MaxFileSize.
func read(p string) (snapshot, []byte, error) {
	fh, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return snapshot{}, nil, nil
	}
	if err != nil {
		return snapshot{}, nil, fmt.Errorf("read %s: %w", tildePath(p), err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return snapshot{}, nil, fmt.Errorf("read %s: %w", tildePath(p), err)
	}
	return snapshot{exists: true, sum: sha256.Sum256(b)}, b, nil
}

func writeAtomic(name string, b []byte) error {
	dir := filepath.Dir(name)
	mode := fs.FileMode(0o600)
	if st, err := os.Stat(name); err == nil {
		mode = st.Mode().Perm()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".keyward-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := writeSync(tmp, b, mode); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: make the rename itself durable
		d.Close()
	}
	return nil
}

func writeSync(tmp *os.File, b []byte, mode fs.FileMode) error {
	_, err := io.Copy(tmp, bytes.NewReader(b))
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return err
}
