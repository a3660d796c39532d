package identity

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
)

// The exchange's wire format. A request is
//
//	GET /cluster/salt?day=DAY
//	X-Crumbless-Time: UNIX-SECONDS
//	X-Crumbless-Nonce: 32 hex digits, random
//	Authorization: Crumbless-HMAC-SHA256 64 hex digits
//
// the MAC being HMAC-SHA256(auth key, "crumbless-cluster-v1\n" METHOD "\n"
// PATH "\n" DAY "\n" TIME "\n" NONCE). A request more than MaxSkew from the
// answering node's clock, or seen before, is refused. The answer is 54
// bytes: version (1), state (1: settled or provisional), node (8), GCM
// nonce (12), and the salt sealed with AES-256-GCM (16 + 16), whose
// additional data binds it to the request's day and nonce, the state and
// the node. Both keys are derived from the shared key with HKDF-SHA256.
const (
	// SaltPath is where a collector answers its peers.
	SaltPath = "/cluster/salt"
	// MinKeyLen is the shortest shared key, in bytes.
	MinKeyLen = 32
	// MaxSkew is how far a request's time may be from the answering
	// node's clock, either way.
	MaxSkew = 30 // seconds

	authScheme  = "Crumbless-HMAC-SHA256 "
	wireVersion = 1
	nonceLen    = 16 // a request's nonce, in bytes
	answerLen   = 2 + 8 + 12 + saltBytes + 16
	maxSeen     = 1 << 14 // requests remembered against replay
)

// Answer states.
const (
	settled     byte = 1 // the node has joined; its salt is the cluster's
	provisional byte = 2 // the node is still joining; its own draw
)

// Refusals of a request, by reason.
var (
	errAuth   = errors.New("bad or missing authentication")
	errStale  = errors.New("request time outside the window")
	errReplay = errors.New("request already seen")
	errBusy   = errors.New("too many requests in the window")
)

// exchange holds the keys derived from the shared key and the requests
// seen within the window.
type exchange struct {
	auth []byte
	aead cipher.AEAD

	mu   sync.Mutex
	seen map[[sha256.Size]byte]int64 // request MAC → until when it is remembered (Unix s)
}

func newExchange(shared []byte) (*exchange, error) {
	if len(shared) < MinKeyLen {
		return nil, fmt.Errorf("the shared key is %d bytes; at least %d are needed", len(shared), MinKeyLen)
	}
	auth, err := hkdf.Key(sha256.New, shared, nil, "crumbless cluster v1 request authentication", 32)
	if err != nil {
		return nil, fmt.Errorf("deriving the authentication key: %w", err)
	}
	enc, err := hkdf.Key(sha256.New, shared, nil, "crumbless cluster v1 salt encryption", 32)
	if err != nil {
		return nil, fmt.Errorf("deriving the encryption key: %w", err)
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, fmt.Errorf("creating the cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("creating the cipher: %w", err)
	}
	return &exchange{auth: auth, aead: aead, seen: map[[sha256.Size]byte]int64{}}, nil
}

// Request is a salt request as its HTTP fields carry it.
type Request struct {
	Method, Path string
	Day          string // the day query parameter
	Time         string // X-Crumbless-Time
	Nonce        string // X-Crumbless-Nonce
	Auth         string // Authorization
}

// sign fills in r's time, nonce and Authorization.
func (x *exchange) sign(r *Request, unix int64) {
	var n [nonceLen]byte
	_, _ = rand.Read(n[:]) // crypto/rand.Read never fails
	r.Time = strconv.FormatInt(unix, 10)
	r.Nonce = hex.EncodeToString(n[:])
	mac := x.mac(r)
	r.Auth = authScheme + hex.EncodeToString(mac[:])
}

func (x *exchange) mac(r *Request) (sum [sha256.Size]byte) {
	m := hmac.New(sha256.New, x.auth)
	fmt.Fprintf(m, "crumbless-cluster-v1\n%s\n%s\n%s\n%s\n%s", r.Method, r.Path, r.Day, r.Time, r.Nonce)
	m.Sum(sum[:0])
	return sum
}

// verify checks r's MAC, time and freshness at now (Unix s), and returns
// the day and nonce it asks with.
func (x *exchange) verify(r *Request, now int64) (day int64, nonce []byte, err error) {
	got, err := hex.DecodeString(stripScheme(r.Auth))
	want := x.mac(r)
	if err != nil || !hmac.Equal(got, want[:]) {
		return 0, nil, errAuth
	}
	t, err := strconv.ParseInt(r.Time, 10, 64)
	if err != nil || t < now-MaxSkew || t > now+MaxSkew {
		return 0, nil, errStale
	}
	if day, err = strconv.ParseInt(r.Day, 10, 64); err != nil {
		return 0, nil, errAuth // signed, yet not a day: not one of ours
	}
	if nonce, err = hex.DecodeString(r.Nonce); err != nil || len(nonce) != nonceLen {
		return 0, nil, errAuth
	}
	return day, nonce, x.remember(want, now)
}

func stripScheme(auth string) string {
	if len(auth) < len(authScheme) || auth[:len(authScheme)] != authScheme {
		return ""
	}
	return auth[len(authScheme):]
}

// remember records a request's MAC until it can no longer be fresh, and
// refuses one already recorded.
func (x *exchange) remember(mac [sha256.Size]byte, now int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.seen[mac]; ok {
		return errReplay
	}
	if len(x.seen) >= maxSeen {
		for m, until := range x.seen {
			if until < now {
				delete(x.seen, m)
			}
		}
		if len(x.seen) >= maxSeen {
			return errBusy
		}
	}
	x.seen[mac] = now + 2*MaxSkew + 1
	return nil
}

// seal returns the answer carrying key for the request (day, nonce).
func (x *exchange) seal(day int64, reqNonce []byte, state byte, node uint64, key *[SaltBytes]byte) []byte {
	out := make([]byte, 10, answerLen)
	out[0], out[1] = wireVersion, state
	binary.BigEndian.PutUint64(out[2:], node)
	gcmNonce := out[10:22]
	out = out[:22]
	_, _ = rand.Read(gcmNonce)
	return x.aead.Seal(out, gcmNonce, key[:], additionalData(day, reqNonce, out[:10]))
}

// open checks and decrypts an answer to the request (day, nonce) into key.
func (x *exchange) open(body []byte, day int64, reqNonce []byte, key *[SaltBytes]byte) (state byte, node uint64, err error) {
	if len(body) != answerLen || body[0] != wireVersion || (body[1] != settled && body[1] != provisional) {
		return 0, 0, errors.New("malformed answer")
	}
	plain, err := x.aead.Open(key[:0], body[10:22], body[22:], additionalData(day, reqNonce, body[:10]))
	if err != nil || len(plain) != SaltBytes {
		clear(key[:])
		return 0, 0, errors.New("answer does not authenticate")
	}
	return body[1], binary.BigEndian.Uint64(body[2:10]), nil
}

func additionalData(day int64, reqNonce, head []byte) []byte {
	ad := make([]byte, 0, 64)
	ad = append(ad, "crumbless-salt-v1"...)
	ad = binary.BigEndian.AppendUint64(ad, uint64(day))
	ad = append(ad, reqNonce...)
	return append(ad, head...)
}
