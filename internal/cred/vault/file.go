package vault

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// The file is one header followed by the sealed entries:
//
//	magic "KWVAULT" | version 1 | argon2id time u32 | memory KiB u32 |
//	threads u8 | salt [16] | nonce [24] | XChaCha20-Poly1305(JSON map)
//
// The whole header is the AEAD's additional data, so a changed cost,
// salt or version fails to open like a wrong passphrase.
const (
	fileName    = "vault"
	fileMagic   = "KWVAULT"
	fileVersion = 1
	saltLen     = 16
	headerLen   = len(fileMagic) + 1 + 4 + 4 + 1 + saltLen + chacha20poly1305.NonceSizeX
	// maxFileSize bounds what is read and written: tokens and role
	// credentials for hundreds of profiles fit many times over.
	maxFileSize = 8 << 20
	// fileLockKey is the Lock key that serializes read-modify-write. The
	// NUL keeps it apart from callers' keys: Refresh holds a key's lock
	// while it Sets, and one process taking the same flock twice waits on
	// itself.
	fileLockKey = "\x00vault-file"
)

// KDF bounds accepted from a file (and from the caller), so a damaged
// header cannot ask for gigabytes of memory or minutes of work.
const (
	maxKDFTime      = 32
	maxKDFMemoryKiB = 1 << 20 // 1 GiB
	maxKDFThreads   = 64
)

type header struct {
	version byte
	kdf     KDFParams
	salt    [saltLen]byte
	nonce   [chacha20poly1305.NonceSizeX]byte
}

func (h header) bytes() []byte {
	b := make([]byte, 0, headerLen)
	b = append(b, fileMagic...)
	b = append(b, h.version)
	b = binary.BigEndian.AppendUint32(b, h.kdf.Time)
	b = binary.BigEndian.AppendUint32(b, h.kdf.MemoryKiB)
	b = append(b, h.kdf.Threads)
	b = append(b, h.salt[:]...)
	return append(b, h.nonce[:]...)
}

// damagedError is a file that is not a keyward vault or was cut short; why
// says what is wrong with it.
type damagedError struct{ why string }

func (e *damagedError) Error() string { return e.why }

var errWrongPassphrase = errors.New("wrong passphrase")

// parseHeader reads the header of data without any key.
func parseHeader(data []byte) (header, error) {
	var h header
	if len(data) > maxFileSize {
		return h, &damagedError{fmt.Sprintf("it is larger than %d MiB", maxFileSize>>20)}
	}
	if len(data) < len(fileMagic) || string(data[:len(fileMagic)]) != fileMagic {
		return h, &damagedError{"it does not start like a keyward vault"}
	}
	if len(data) < len(fileMagic)+1 {
		return h, &damagedError{"it is cut short"}
	}
	if v := data[len(fileMagic)]; v != fileVersion {
		return h, &damagedError{fmt.Sprintf("it has format version %d, which this keyward does not read; upgrade keyward", v)}
	}
	if len(data) < headerLen+chacha20poly1305.Overhead {
		return h, &damagedError{"it is cut short"}
	}
	p := data[len(fileMagic)+1:]
	h.version = fileVersion
	h.kdf.Time = binary.BigEndian.Uint32(p)
	h.kdf.MemoryKiB = binary.BigEndian.Uint32(p[4:])
	h.kdf.Threads = p[8]
	p = p[9:]
	copy(h.salt[:], p)
	copy(h.nonce[:], p[saltLen:])
	if err := h.kdf.check(); err != nil {
		return h, &damagedError{fmt.Sprintf("its header asks for %v", err)}
	}
	return h, nil
}

// openPayload decrypts data (whose header is h) with key and decodes the
// entries.
func openPayload(h header, data []byte, key *[32]byte) (map[string][]byte, error) {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(nil, h.nonce[:], data[headerLen:], data[:headerLen])
	if err != nil {
		return nil, errWrongPassphrase
	}
	defer clear(pt)
	return decodeEntries(pt)
}

func decodeEntries(pt []byte) (map[string][]byte, error) {
	if len(pt) > maxFileSize {
		return nil, &damagedError{"its contents are too large"}
	}
	m := map[string][]byte{}
	if err := json.Unmarshal(pt, &m); err != nil || m == nil { // "null" empties m
		return nil, &damagedError{"its contents are not a list of secrets"}
	}
	return m, nil
}

// seal returns the file for entries under h (with a fresh nonce) and key.
func seal(h header, key *[32]byte, m map[string][]byte) ([]byte, error) {
	pt, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	if _, err := rand.Read(h.nonce[:]); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		return nil, err
	}
	hb := h.bytes()
	return aead.Seal(hb, h.nonce[:], pt, hb), nil
}

func (k KDFParams) check() error {
	if k.Time < 1 || k.Time > maxKDFTime || k.MemoryKiB < 8 || k.MemoryKiB > maxKDFMemoryKiB ||
		k.Threads < 1 || k.Threads > maxKDFThreads {
		return fmt.Errorf("argon2id costs out of range (time %d, memory %d KiB, threads %d)", k.Time, k.MemoryKiB, k.Threads)
	}
	return nil
}

// keys caches derived keys for the life of the process, so argon2id runs
// once per passphrase and salt however many stores and writes there are.
var keys sync.Map // [32]byte (sha256 of passphrase, salt, costs) → *[32]byte

func deriveKey(pass []byte, h header) *[32]byte {
	d := sha256.New()
	d.Write(pass)
	d.Write(h.bytes()[len(fileMagic)+1 : headerLen-chacha20poly1305.NonceSizeX])
	var id [32]byte
	d.Sum(id[:0])
	if k, ok := keys.Load(id); ok {
		return k.(*[32]byte)
	}
	k := new([32]byte)
	copy(k[:], argon2.IDKey(pass, h.salt[:], h.kdf.Time, h.kdf.MemoryKiB, h.kdf.Threads, 32))
	keys.Store(id, k)
	return k
}

type fileStore struct {
	dir, path string
	kdf       KDFParams
	getenv    func(string) string
	prompt    PromptFunc

	mu   sync.Mutex
	pass []byte // asked once, kept for the life of the store
}

// NewFile returns the encrypted-file store at dir/vault. Nothing is read,
// and no passphrase asked for, until a secret is: from PassphraseEnv, else
// prompt, else an error saying how to supply one. A zero kdf is
// DefaultKDF; it applies to a new file (an existing one keeps its own).
func NewFile(dir string, kdf KDFParams, getenv func(string) string, prompt PromptFunc) (Store, error) {
	if dir == "" {
		return nil, errors.New("vault: no directory for the vault file")
	}
	if kdf == (KDFParams{}) {
		kdf = DefaultKDF
	}
	if err := kdf.check(); err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	return &fileStore{dir: dir, path: filepath.Join(dir, fileName), kdf: kdf, getenv: getenv, prompt: prompt}, nil
}

func (s *fileStore) Name() string { return "file" }

func (s *fileStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	m, _, _, err := s.load()
	if err != nil {
		return nil, err
	}
	v, ok := m[key]
	if !ok {
		return nil, ErrNotFound
	}
	return v, nil
}

func (s *fileStore) Set(ctx context.Context, key string, v []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return s.update(ctx, func(m map[string][]byte) error {
		m[key] = append([]byte{}, v...)
		return nil
	})
}

func (s *fileStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return s.update(ctx, func(m map[string][]byte) error {
		if _, ok := m[key]; !ok {
			return ErrNotFound
		}
		delete(m, key)
		return nil
	})
}

// update changes the entries under the file lock, so writers in other
// processes (and other stores here) never drop each other's keys.
func (s *fileStore) update(ctx context.Context, change func(map[string][]byte) error) error {
	unlock, err := Lock(ctx, s.dir, fileLockKey)
	if err != nil {
		return err
	}
	defer unlock()
	m, h, key, err := s.load()
	if errors.Is(err, ErrNotFound) {
		m = map[string][]byte{}
		h = header{version: fileVersion, kdf: s.kdf}
		if _, err := rand.Read(h.salt[:]); err != nil {
			return err
		}
		pass, err := s.passphrase(true)
		if err != nil {
			return err
		}
		key = deriveKey(pass, h)
	} else if err != nil {
		return err
	}
	if err := change(m); err != nil {
		return err
	}
	data, err := seal(h, key, m)
	if err != nil {
		return err
	}
	if len(data) > maxFileSize {
		return fmt.Errorf("the vault at %s would grow past %d MiB; not stored", s.path, maxFileSize>>20)
	}
	return writeAtomic(s.dir, s.path, data)
}

// load reads and opens the file. A missing file is ErrNotFound, before any
// passphrase is asked for.
func (s *fileStore) load() (map[string][]byte, header, *[32]byte, error) {
	var h header
	data, err := readBounded(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, h, nil, ErrNotFound
	}
	if err != nil {
		return nil, h, nil, fmt.Errorf("reading the vault: %w", err)
	}
	if h, err = parseHeader(data); err != nil {
		return nil, h, nil, s.damaged(err)
	}
	pass, err := s.passphrase(false)
	if err != nil {
		return nil, h, nil, err
	}
	key := deriveKey(pass, h)
	m, err := openPayload(h, data, key)
	if errors.Is(err, errWrongPassphrase) {
		s.forgetPassphrase()
		return nil, h, nil, fmt.Errorf("the vault at %s could not be opened: wrong passphrase (or the file is damaged); check %s, or delete the file and sign in again", s.path, PassphraseEnv)
	}
	if err != nil {
		return nil, h, nil, s.damaged(err)
	}
	return m, h, key, nil
}

func (s *fileStore) damaged(err error) error {
	return fmt.Errorf("the vault at %s is damaged: %v; delete it (rm %s) and sign in again", s.path, err, s.path)
}

func (s *fileStore) passphrase(creating bool) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pass != nil {
		return s.pass, nil
	}
	if p := s.getenv(PassphraseEnv); p != "" {
		s.pass = []byte(p)
		return s.pass, nil
	}
	if s.prompt == nil {
		return nil, fmt.Errorf("the vault at %s needs a passphrase: set %s or run keyward in a terminal", s.path, PassphraseEnv)
	}
	ask := func(q string) (string, error) {
		p, err := s.prompt(q)
		if err != nil {
			return "", fmt.Errorf("reading the passphrase for the vault at %s: %w (set %s to supply it without a terminal)", s.path, err, PassphraseEnv)
		}
		if p == "" {
			return "", fmt.Errorf("the vault at %s needs a passphrase; an empty one is not accepted", s.path)
		}
		return p, nil
	}
	if !creating {
		p, err := ask(fmt.Sprintf("Passphrase for the keyward vault at %s: ", s.path))
		if err != nil {
			return nil, err
		}
		s.pass = []byte(p)
		return s.pass, nil
	}
	p, err := ask(fmt.Sprintf("Choose a passphrase for a new keyward vault at %s: ", s.path))
	if err != nil {
		return nil, err
	}
	again, err := ask("Repeat the passphrase: ")
	if err != nil {
		return nil, err
	}
	if again != p {
		return nil, errors.New("the two passphrases differ; nothing was stored")
	}
	s.pass = []byte(p)
	return s.pass, nil
}

func (s *fileStore) forgetPassphrase() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pass = nil
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxFileSize+1))
}

// writeAtomic replaces path with data: a temporary file (CreateTemp makes
// it 0600) in the same
// directory, synced, then renamed over it, so a reader sees the old file
// or the new one and a crash leaves one of them whole.
func writeAtomic(dir, path string, data []byte) (err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".vault-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}
