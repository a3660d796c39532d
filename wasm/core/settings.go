package core

import "github.com/crumbless/crumbless/sdk/wire"

// settings are the site's choices, from the script tag's data-* attributes,
// which the loader passes as name, value pairs after the init record's
// site and seed. (The loader applies data-query and data-hash itself when it
// builds a page's path.)
type settings struct {
	// downloads lists the file extensions whose links count as downloads
	// (data-downloads="pdf,zip": comma-separated, in lower case, without
	// spaces, as the loader normalizes it), replacing defaultDownloads.
	downloads list
	// dev tracks pages on localhost, loopback addresses and file: URLs
	// (data-dev), which are otherwise ignored.
	dev bool
}

// defaultDownloads are the extensions counted as downloads unless the site
// lists its own.
const defaultDownloads = "7z,avi,csv,dmg,doc,docx,epub,exe,gz,iso,key,mov,mp3,mp4,mpeg,msi,pdf,pkg,ppt,pptx,rar,rtf,tar,tgz,txt,wav,wma,wmv,xls,xlsx,xml,zip"

// read takes the name, value pairs left in f. Unknown names are ignored.
func (s *settings) read(f *fields) {
	s.downloads.n = copy(s.downloads.b[:], defaultDownloads)
	for f.left() >= 2 {
		name, v := f.next(), f.next()
		switch {
		case equal(name, "downloads") && len(v) > 0:
			s.downloads.n = copy(s.downloads.b[:], v)
		case equal(name, "dev"):
			s.dev = isOne(v)
		}
	}
}

// list is a comma-separated list of names.
type list struct {
	b [4 * wire.MaxShortLen]byte
	n int
}

// has reports whether v is one of the list's names.
func (l *list) has(v []byte) bool {
	start := 0
	for i := 0; i <= l.n; i++ {
		if i == l.n || l.b[i] == ',' {
			if len(v) > 0 && bytesEqual(l.b[start:i], v) {
				return true
			}
			start = i + 1
		}
	}
	return false
}
