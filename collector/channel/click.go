package channel

// clickIDs are the ad click parameters whose name tells the channel: the
// ad networks add them to the landing URL of a paid click (fbclid is the
// exception: Facebook adds it to every outgoing link, paid or not).
var clickIDs = []struct {
	param, channel, source string
}{
	{"gclid", PaidSearch, "Google"},
	{"gbraid", PaidSearch, "Google"},
	{"wbraid", PaidSearch, "Google"},
	{"dclid", Display, "Google"},
	{"msclkid", PaidSearch, "Bing"},
	{"yclid", PaidSearch, "Yandex"},
	{"ttclid", PaidSocial, "TikTok"},
	{"twclid", PaidSocial, "Twitter"},
	{"li_fat_id", PaidSocial, "LinkedIn"},
	{"ScCid", PaidSocial, "Snapchat"},
	{"epik", PaidSocial, "Pinterest"},
	{"rdt_cid", PaidSocial, "Reddit"},
	{"fbclid", OrganicSocial, "Facebook"},
}

// clickSources holds each click parameter's source name as bytes, made
// once so that a Result can point at it.
var clickSources = func() [][]byte {
	out := make([][]byte, len(clickIDs))
	for i, c := range clickIDs {
		out[i] = []byte(c.source)
	}
	return out
}()

// clickChannel returns the channel and source a click parameter stands for.
func clickChannel(param []byte) (channel string, source []byte, ok bool) {
	if len(param) == 0 {
		return "", nil, false
	}
	for i, c := range clickIDs {
		if string(param) == c.param {
			return c.channel, clickSources[i], true
		}
	}
	return "", nil, false
}
