package systemlog

import "strings"

// Value returns the value at a LogEvent attribute path ("eventType",
// "actor.id", "client.userAgent.rawUserAgent", "debugContext.debugData.requestId",
// ...), the first one for a multi-valued path, and false when it is absent,
// null or empty. With Values it makes a LogEvent a directory.Record for
// filter expressions.
func (le LogEvent) Value(path string) (string, bool) {
	vs := le.Values(path)
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// Values returns every non-empty value at path: target.* and
// request.ipChain.* have one per target or address.
func (le LogEvent) Values(path string) []string {
	if key, ok := strings.CutPrefix(path, "debugContext.debugData."); ok {
		return nonEmpty(le.DebugContext.DebugData[key])
	}
	if field, ok := strings.CutPrefix(path, "target."); ok {
		var out []string
		for _, t := range le.Target {
			out = append(out, nonEmpty(targetField(t, field))...)
		}
		return out
	}
	if field, ok := strings.CutPrefix(path, "request.ipChain."); ok {
		var out []string
		for _, ip := range le.Request.IPChain {
			switch field {
			case "ip":
				out = append(out, nonEmpty(ip.IP)...)
			case "version":
				out = append(out, nonEmpty(ip.Version)...)
			}
		}
		return out
	}
	if f, ok := scalarPaths[path]; ok {
		return nonEmpty(f(le))
	}
	return nil
}

// scalarPaths read the single-valued attributes.
var scalarPaths = map[string]func(LogEvent) string{
	"uuid":                          func(le LogEvent) string { return le.UUID },
	"published":                     func(le LogEvent) string { return le.Published },
	"eventType":                     func(le LogEvent) string { return le.EventType },
	"version":                       func(le LogEvent) string { return le.Version },
	"severity":                      func(le LogEvent) string { return le.Severity },
	"displayMessage":                func(le LogEvent) string { return le.DisplayMessage },
	"legacyEventType":               func(le LogEvent) string { return deref(le.LegacyEventType) },
	"actor.id":                      func(le LogEvent) string { return le.Actor.ID },
	"actor.type":                    func(le LogEvent) string { return le.Actor.Type },
	"actor.alternateId":             func(le LogEvent) string { return le.Actor.AlternateID },
	"actor.displayName":             func(le LogEvent) string { return le.Actor.DisplayName },
	"client.ipAddress":              func(le LogEvent) string { return deref(le.Client.IPAddress) },
	"client.id":                     func(le LogEvent) string { return deref(le.Client.ID) },
	"client.zone":                   func(le LogEvent) string { return deref(le.Client.Zone) },
	"client.device":                 func(le LogEvent) string { return le.Client.Device },
	"client.userAgent.rawUserAgent": func(le LogEvent) string { return le.Client.UserAgent.RawUserAgent },
	"client.userAgent.os":           func(le LogEvent) string { return le.Client.UserAgent.OS },
	"client.userAgent.browser":      func(le LogEvent) string { return le.Client.UserAgent.Browser },
	"outcome.result":                func(le LogEvent) string { return le.Outcome.Result },
	"outcome.reason":                func(le LogEvent) string { return deref(le.Outcome.Reason) },
	"transaction.type":              func(le LogEvent) string { return le.Transaction.Type },
	"transaction.id":                func(le LogEvent) string { return deref(le.Transaction.ID) },
	"authenticationContext.authenticationProvider": func(le LogEvent) string {
		return deref(le.AuthenticationContext.AuthenticationProvider)
	},
	"authenticationContext.credentialProvider": func(le LogEvent) string {
		return deref(le.AuthenticationContext.CredentialProvider)
	},
	"authenticationContext.credentialType": func(le LogEvent) string {
		return deref(le.AuthenticationContext.CredentialType)
	},
	"authenticationContext.interface": func(le LogEvent) string { return deref(le.AuthenticationContext.Interface) },
	"authenticationContext.externalSessionId": func(le LogEvent) string {
		return deref(le.AuthenticationContext.ExternalSessionID)
	},
}

func targetField(t Target, field string) string {
	switch field {
	case "id":
		return t.ID
	case "type":
		return t.Type
	case "alternateId":
		return t.AlternateID
	case "displayName":
		return t.DisplayName
	}
	return ""
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// keywordText is what q's keywords are looked for in, lower-cased: the
// event type and message, actor and target ids and names, and the client's
// address.
func (le LogEvent) keywordText() string {
	parts := []string{le.EventType, le.DisplayMessage, le.Actor.ID, le.Actor.AlternateID,
		le.Actor.DisplayName, deref(le.Client.IPAddress)}
	for _, t := range le.Target {
		parts = append(parts, t.ID, t.AlternateID, t.DisplayName)
	}
	return strings.ToLower(strings.Join(parts, "\n"))
}
