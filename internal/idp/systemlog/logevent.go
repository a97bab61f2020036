// Package systemlog renders keyward's system log as Okta's System Log API
// does (okta-api.md §9): the LogEvent shape of GET /api/v1/logs, and the
// query behind that endpoint (since, until, limit, sortOrder, after, q and
// filter). It owns the wire shape and the query parameters; it reads
// events through the narrow Store interface and must not import anything
// of the AWS side (internal/aws/...). The HTTP handler (Link headers,
// errors in Okta's shape) belongs to the identity provider's API package.
package systemlog

import (
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
)

// LogEvent is one event as GET /api/v1/logs returns it, field for field
// Okta's LogEvent. Fields keyward does not know are JSON null.
type LogEvent struct {
	UUID                  string                `json:"uuid"`
	Published             string                `json:"published"` // RFC 3339, milliseconds, UTC
	EventType             string                `json:"eventType"`
	Version               string                `json:"version"`  // always "0"
	Severity              string                `json:"severity"` // INFO, or WARN for a failure or denial
	DisplayMessage        string                `json:"displayMessage"`
	Actor                 Actor                 `json:"actor"`
	Client                Client                `json:"client"`
	Outcome               Outcome               `json:"outcome"`
	Target                []Target              `json:"target"`
	Transaction           Transaction           `json:"transaction"`
	DebugContext          DebugContext          `json:"debugContext"`
	AuthenticationContext AuthenticationContext `json:"authenticationContext"`
	SecurityContext       SecurityContext       `json:"securityContext"`
	Request               Request               `json:"request"`
	LegacyEventType       *string               `json:"legacyEventType"`
}

// Actor is who caused the event.
type Actor struct {
	ID          string         `json:"id"`
	Type        string         `json:"type"` // User, SystemPrincipal, PublicClientApp, ...
	AlternateID string         `json:"alternateId"`
	DisplayName string         `json:"displayName"`
	DetailEntry map[string]any `json:"detailEntry"`
}

// Client is where the request came from.
type Client struct {
	UserAgent           UserAgent `json:"userAgent"`
	Zone                *string   `json:"zone"`
	Device              string    `json:"device"` // Computer, Mobile or Unknown
	ID                  *string   `json:"id"`     // the OAuth client, when there is one
	IPAddress           *string   `json:"ipAddress"`
	GeographicalContext *struct{} `json:"geographicalContext"`
}

// UserAgent is the client's User-Agent and what it names.
type UserAgent struct {
	RawUserAgent string `json:"rawUserAgent"`
	OS           string `json:"os"`
	Browser      string `json:"browser"`
}

// Outcome is the event's result and, for a failure, why.
type Outcome struct {
	Result string  `json:"result"`
	Reason *string `json:"reason"`
}

// Target is something the event acted on.
type Target struct {
	ID          string         `json:"id"`
	Type        string         `json:"type"`
	AlternateID string         `json:"alternateId"`
	DisplayName string         `json:"displayName"`
	DetailEntry map[string]any `json:"detailEntry"`
}

// Transaction is the request the event belongs to.
type Transaction struct {
	Type   string            `json:"type"` // WEB
	ID     *string           `json:"id"`   // the request id
	Detail map[string]string `json:"detail"`
}

// DebugContext carries free-form detail of the event.
type DebugContext struct {
	DebugData map[string]string `json:"debugData"`
}

// AuthenticationContext is how the actor authenticated.
type AuthenticationContext struct {
	AuthenticationProvider *string `json:"authenticationProvider"`
	CredentialProvider     *string `json:"credentialProvider"`
	CredentialType         *string `json:"credentialType"`
	Issuer                 *Issuer `json:"issuer"`
	Interface              *string `json:"interface"`
	AuthenticationStep     int     `json:"authenticationStep"`
	ExternalSessionID      *string `json:"externalSessionId"`
}

// Issuer is who issued the credential the actor used.
type Issuer struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// SecurityContext is what Okta knows of the client's network; keyward
// knows none of it.
type SecurityContext struct {
	ASNumber *int    `json:"asNumber"`
	ASOrg    *string `json:"asOrg"`
	ISP      *string `json:"isp"`
	Domain   *string `json:"domain"`
	IsProxy  *bool   `json:"isProxy"`
}

// Request is the chain of addresses the request came through.
type Request struct {
	IPChain []IPAddress `json:"ipChain"`
}

// IPAddress is one address of the chain.
type IPAddress struct {
	IP                  string    `json:"ip"`
	Version             string    `json:"version"` // V4 or V6
	Source              *string   `json:"source"`
	GeographicalContext *struct{} `json:"geographicalContext"`
}

// Detail keys of audit.Event that fill the authentication context (and
// the client id) instead of debugData.
const (
	DetailAuthenticationProvider = "authenticationProvider"
	DetailCredentialProvider     = "credentialProvider"
	DetailCredentialType         = "credentialType"
	DetailInterface              = "interface"
	DetailExternalSessionID      = "externalSessionId"
	DetailIssuerID               = "issuerId"
	DetailIssuerType             = "issuerType"
	DetailClientID               = "clientId"
	DetailRequestID              = "requestId" // also the transaction id
)

// notDebugData are the detail keys Render places elsewhere.
var notDebugData = map[string]bool{
	DetailAuthenticationProvider: true, DetailCredentialProvider: true, DetailCredentialType: true,
	DetailInterface: true, DetailExternalSessionID: true, DetailIssuerID: true, DetailIssuerType: true,
	DetailClientID: true,
}

// publishedLayout is Okta's published time: milliseconds, UTC, "Z".
const publishedLayout = "2006-01-02T15:04:05.000Z"

// Render turns an event into Okta's LogEvent. Action is the eventType;
// Detail fills debugContext.debugData, except the Detail* keys of the
// authentication context and the client id, which go to their own fields.
func Render(e audit.Event) LogEvent {
	le := LogEvent{
		UUID: e.ID, Published: e.Time.UTC().Format(publishedLayout), EventType: e.Action,
		Version: "0", Severity: severity(e.Outcome), DisplayMessage: displayMessage(e.Action),
		Actor: Actor{ID: e.Actor.ID, Type: actorType(e.Actor.Type),
			AlternateID: firstOf(e.Actor.Name, e.Actor.ID), DisplayName: firstOf(e.Actor.Name, e.Actor.ID)},
		Client:                renderClient(e),
		Outcome:               Outcome{Result: firstOf(e.Outcome, "UNKNOWN"), Reason: optional(e.Message)},
		Target:                []Target{},
		Transaction:           Transaction{Type: "WEB", ID: optional(e.Detail[DetailRequestID]), Detail: map[string]string{}},
		DebugContext:          DebugContext{DebugData: map[string]string{}},
		AuthenticationContext: renderAuthentication(e.Detail),
		Request:               Request{IPChain: []IPAddress{}},
	}
	if e.TargetID != "" || e.TargetType != "" {
		le.Target = append(le.Target, Target{ID: e.TargetID, Type: e.TargetType,
			AlternateID: firstOf(e.TargetName, e.TargetID), DisplayName: firstOf(e.TargetName, e.TargetID)})
	}
	for k, v := range e.Detail {
		if !notDebugData[k] {
			le.DebugContext.DebugData[k] = v
		}
	}
	if e.Client.IP != "" {
		le.Request.IPChain = append(le.Request.IPChain, IPAddress{IP: e.Client.IP, Version: ipVersion(e.Client.IP)})
	}
	return le
}

func renderClient(e audit.Event) Client {
	ua := e.Client.UserAgent
	return Client{
		UserAgent: UserAgent{RawUserAgent: ua, OS: osOf(ua), Browser: browserOf(ua)},
		Device:    deviceOf(ua), ID: optional(e.Detail[DetailClientID]), IPAddress: optional(e.Client.IP),
	}
}

func renderAuthentication(d map[string]string) AuthenticationContext {
	a := AuthenticationContext{
		AuthenticationProvider: optional(d[DetailAuthenticationProvider]),
		CredentialProvider:     optional(d[DetailCredentialProvider]),
		CredentialType:         optional(d[DetailCredentialType]),
		Interface:              optional(d[DetailInterface]),
		ExternalSessionID:      optional(d[DetailExternalSessionID]),
	}
	if d[DetailIssuerID] != "" || d[DetailIssuerType] != "" {
		a.Issuer = &Issuer{ID: d[DetailIssuerID], Type: d[DetailIssuerType]}
	}
	return a
}

// severity is WARN for an outcome that refused or failed, INFO otherwise.
func severity(outcome string) string {
	if outcome == audit.Deny || outcome == audit.Failure {
		return "WARN"
	}
	return "INFO"
}

// actorTypes are Okta's names for audit actor types.
var actorTypes = map[string]string{
	"user":      "User",
	"system":    "SystemPrincipal",
	"operator":  "SystemPrincipal", // the keyward CLI, with the system's authority
	"client":    "PublicClientApp",
	"app":       "PublicClientApp",
	"anonymous": "AnonymousUser",
}

// actorType is Okta's name for t, or t in CamelCase ("assumed-role" is
// "AssumedRole") when Okta has none.
func actorType(t string) string {
	if okta, ok := actorTypes[t]; ok {
		return okta
	}
	var b strings.Builder
	for _, part := range strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func ipVersion(ip string) string {
	if strings.Contains(ip, ":") {
		return "V6"
	}
	return "V4"
}

// osOf, browserOf and deviceOf read what Okta shows from a User-Agent, as
// far as a few substrings tell.
func osOf(ua string) string {
	for _, c := range []struct{ sub, os string }{
		{"Windows", "Windows"}, {"iPhone", "iOS"}, {"iPad", "iOS"}, {"Android", "Android"},
		{"Mac OS X", "Mac OS X"}, {"CrOS", "Chrome OS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, c.sub) {
			return c.os
		}
	}
	return "Unknown"
}

func browserOf(ua string) string {
	for _, c := range []struct{ sub, browser string }{
		{"Edg/", "EDGE"}, {"Firefox/", "FIREFOX"}, {"Chrome/", "CHROME"}, {"Safari/", "SAFARI"},
	} {
		if strings.Contains(ua, c.sub) {
			return c.browser
		}
	}
	return "UNKNOWN"
}

func deviceOf(ua string) string {
	switch {
	case ua == "":
		return "Unknown"
	case strings.Contains(ua, "Mobile") || strings.Contains(ua, "Android") || strings.Contains(ua, "iPhone"):
		return "Mobile"
	case strings.Contains(ua, "Mozilla/"):
		return "Computer"
	}
	return "Unknown"
}

// optional is s, or nil (JSON null) when s is empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// publishedTime is t as Okta shows it.
func publishedTime(t time.Time) string { return t.UTC().Format(publishedLayout) }
