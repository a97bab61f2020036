package directory

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// AWSAccountFederationApp is Okta's "AWS Account Federation" catalogue
// app: SAML sign-in straight into AWS accounts (IAM SAML providers and
// roles), without IAM Identity Center.
const AWSAccountFederationApp = "amazon_aws"

// Keys of the AWS Account Federation app's settings.app, as Okta names them.
const (
	AWSFedIdentityProviderARN = "identityProviderArn"
	AWSFedSessionDuration     = "sessionDuration"
	AWSFedRoleValuePattern    = "roleValuePattern"
	AWSFedUseGroupMapping     = "useGroupMapping"
	AWSFedJoinAllRoles        = "joinAllRoles"
	AWSFedGroupFilter         = "groupFilter"
	AWSFedLoginURL            = "loginURL"
	AWSFedEnvironmentType     = "awsEnvironmentType"
	AWSFedAccessKey           = "accessKey"
	AWSFedSecretKey           = "secretKey"
	// AWSFedWebSSOClient names the OIDC app (its client_id) allowed to
	// exchange a person's tokens for the app's web-SSO token.
	AWSFedWebSSOClient = "webSSOAllowedClient"
)

// AWS's SAML attribute names the app sends.
const (
	AWSAttrRole            = "https://aws.amazon.com/SAML/Attributes/Role"
	AWSAttrRoleSessionName = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	AWSAttrSessionDuration = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
)

// AttributeAWSRoles is the statement kind that sends the Role attribute:
// one "<provider ARN>,<role ARN>" value for each of the person's groups
// that FilterValue (a Go regular expression matching the whole name, with
// named groups role and accountid) matches, from the pattern Values[0]
// (${role} and ${accountid} replaced); Values[1], when present, is the
// one account roles are in (without group mapping, the provider's): a
// group whose captured account id is another maps to no role.
const AttributeAWSRoles = "AWS_ROLES"

// Okta's defaults for the app.
const (
	DefaultAWSGroupFilter      = `aws_(?{{accountid}}\d+)_(?{{role}}[a-zA-Z0-9+=,.@\-_]+)`
	DefaultAWSRoleValuePattern = "arn:aws:iam::${accountid}:saml-provider/OKTA,arn:aws:iam::${accountid}:role/${role}"
	DefaultAWSSessionDuration  = 3600
)

// awsSignIn is each AWS environment's SAML sign-in URL: the Recipient and
// Destination of the app's assertions.
var awsSignIn = map[string]string{
	"aws.amazon": "https://signin.aws.amazon.com/saml",
	"aws.cn":     "https://signin.amazonaws.cn/saml",
	"aws.us-gov": "https://signin.amazonaws-us-gov.com/saml",
}

// awsPartition is each AWS environment's ARN partition.
var awsPartition = map[string]string{"aws.amazon": "aws", "aws.cn": "aws-cn", "aws.us-gov": "aws-us-gov"}

// AWSFederation is the AWS Account Federation app's settings, read.
type AWSFederation struct {
	IdentityProviderARN string
	SessionDuration     int // seconds, 900 to 43200
	RoleValuePattern    string
	UseGroupMapping     bool
	JoinAllRoles        bool
	// GroupFilter is Okta's syntax; Filter the Go expression it stands for.
	GroupFilter, Filter string
	// LoginURL is where the dashboard tile posts the assertion (the ACS):
	// AWS's sign-in, or keyward's own <AWS URL>/saml.
	LoginURL string
	// SignInURL is the environment's sign-in URL, the assertion's
	// Recipient and Destination whatever LoginURL is.
	SignInURL string
	// Partition is the environment's ARN partition (aws, aws-cn,
	// aws-us-gov), that of the default roleValuePattern's ARNs.
	Partition string
	// AccessKey and SealedSecret are the API integration's IAM key, the
	// secret sealed (SealedSecretSetting) with the app type as associated
	// data (the app's id does not exist yet when the secret is sealed).
	AccessKey    string
	SealedSecret string
}

// SealedSecretSetting keeps the API integration's sealed secret key in
// App.Settings; secretKey itself is never stored.
const SealedSecretSetting = "keyward.sealedSecretKey"

// AWSSecretKeyPurpose is the sealing purpose of the secret key.
const AWSSecretKeyPurpose = "idp app aws secret key"

// oktaNamedGroup is Okta's (?{{name}} ...) syntax for a named group.
var oktaNamedGroup = regexp.MustCompile(`\(\?\{\{([a-zA-Z]+)\}\}`)

// ReadAWSFederation reads and checks the app's settings, naming each bad
// setting as settings.app.<key>.
func ReadAWSFederation(s map[string]string) (AWSFederation, []string) {
	var causes []string
	add := func(key, problem string) { causes = append(causes, "settings.app."+key+": "+problem) }
	f := AWSFederation{IdentityProviderARN: strings.TrimSpace(s[AWSFedIdentityProviderARN]), RoleValuePattern: s[AWSFedRoleValuePattern],
		GroupFilter: s[AWSFedGroupFilter], LoginURL: s[AWSFedLoginURL], AccessKey: s[AWSFedAccessKey], SealedSecret: s[SealedSecretSetting],
		UseGroupMapping: s[AWSFedUseGroupMapping] == "true", JoinAllRoles: s[AWSFedJoinAllRoles] == "true", SessionDuration: DefaultAWSSessionDuration}
	env := s[AWSFedEnvironmentType]
	if env == "" {
		env = "aws.amazon"
	}
	f.Partition = cmp.Or(awsPartition[env], "aws")
	if f.SignInURL = awsSignIn[env]; f.SignInURL == "" {
		add(AWSFedEnvironmentType, "Must be aws.amazon, aws.cn or aws.us-gov")
	}
	if v := s[AWSFedSessionDuration]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || n > 43200 {
			add(AWSFedSessionDuration, "Must be a number of seconds between 900 and 43200")
		}
		f.SessionDuration = n
	}
	if f.LoginURL == "" {
		f.LoginURL = f.SignInURL
	} else if u, err := url.Parse(f.LoginURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		add(AWSFedLoginURL, "Must be an absolute https URL: AWS's sign-in (https://signin.aws.amazon.com/saml) or keyward's <AWS URL>/saml")
	}
	return f, append(causes, f.readRoles()...)
}

// readRoles checks the role mapping: without group mapping the provider
// ARN names the one account; with it the filter must capture the account.
func (f *AWSFederation) readRoles() []string {
	var causes []string
	add := func(key, problem string) { causes = append(causes, "settings.app."+key+": "+problem) }
	if f.GroupFilter == "" {
		f.GroupFilter = DefaultAWSGroupFilter
	}
	f.Filter = oktaNamedGroup.ReplaceAllString(f.GroupFilter, "(?P<$1>")
	re, err := regexp.Compile(`^(?:` + f.Filter + `)$`)
	if err != nil || len(f.GroupFilter) > 1024 {
		add(AWSFedGroupFilter, "Not a valid regular expression (Okta's syntax: (?{{role}}...) names the role's part)")
	} else if re.SubexpIndex("role") < 0 {
		add(AWSFedGroupFilter, "Must capture the role's name as (?{{role}}...)")
	} else if f.UseGroupMapping && re.SubexpIndex("accountid") < 0 {
		add(AWSFedGroupFilter, "With useGroupMapping it must capture the account id as (?{{accountid}}...)")
	}
	if f.RoleValuePattern == "" {
		// Okta's default, in the environment's partition: an ARN of
		// another partition names nothing AWS knows.
		f.RoleValuePattern = strings.ReplaceAll(DefaultAWSRoleValuePattern, "arn:aws:", "arn:"+f.Partition+":")
		if f.IdentityProviderARN != "" {
			f.RoleValuePattern = f.IdentityProviderARN + ",arn:" + f.Partition + ":iam::${accountid}:role/${role}"
		}
	}
	if !strings.Contains(f.RoleValuePattern, "${role}") || !strings.Contains(f.RoleValuePattern, ":saml-provider/") {
		add(AWSFedRoleValuePattern, "Must be \"<SAML provider ARN>,<role ARN>\" with ${role} (and ${accountid}) in it")
	}
	if !f.UseGroupMapping && !isSAMLProviderARN(f.IdentityProviderARN) {
		add(AWSFedIdentityProviderARN, "Must be the ARN of the IAM SAML provider (arn:aws:iam::<account>:saml-provider/<name>), or turn useGroupMapping on")
	}
	return causes
}

var samlProviderARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:saml-provider/[\w+=,.@-]{1,128}$`)

func isSAMLProviderARN(s string) bool { return samlProviderARNRe.MatchString(s) }

// Account is the account id of the provider ARN, the roles' account
// without group mapping.
func (f AWSFederation) Account() string {
	if !isSAMLProviderARN(f.IdentityProviderARN) {
		return ""
	}
	return strings.Split(f.IdentityProviderARN, ":")[4]
}

// SAML is the app's SAML settings: assertions to AWS's sign-in (audience
// urn:amazon:webservices, Recipient and Destination the environment's
// sign-in URL) posted to LoginURL, NameID the login, and AWS's Role,
// RoleSessionName (the login) and SessionDuration attributes.
func (f AWSFederation) SAML() SAMLSettings {
	roles := AttributeStatement{Type: AttributeAWSRoles, Name: AWSAttrRole, Namespace: AttrFormatURI,
		FilterType: FilterRegex, FilterValue: f.Filter, Values: []string{f.RoleValuePattern}}
	if !f.UseGroupMapping {
		roles.Values = append(roles.Values, f.Account())
	}
	return SAMLSettings{ACSURL: f.LoginURL, Audience: "urn:amazon:webservices", Recipient: f.SignInURL, Destination: f.SignInURL,
		NameIDFormat: NameIDUnspecified, NameIDTemplate: "${user.userName}", ResponseSigned: true, AssertionSigned: true,
		AuthnContextClassRef: AuthnPasswordProtected, Attributes: []AttributeStatement{roles,
			{Type: AttributeExpression, Name: AWSAttrRoleSessionName, Namespace: AttrFormatURI, Values: []string{"${user.userName}"}},
			{Type: AttributeExpression, Name: AWSAttrSessionDuration, Namespace: AttrFormatURI, Values: []string{`"` + strconv.Itoa(f.SessionDuration) + `"`}},
		}}
}

// SAMLWith is SAML() with the administrator's statements added, except
// those naming one of the preset's attributes (a read-modify-write of the
// app sends the preset's own back).
func (f AWSFederation) SAMLWith(extra []AttributeStatement) SAMLSettings {
	s := f.SAML()
	preset := len(s.Attributes)
	for _, st := range extra {
		if !slices.ContainsFunc(s.Attributes[:preset], func(p AttributeStatement) bool { return p.Name == st.Name }) {
			s.Attributes = append(s.Attributes, st)
		}
	}
	return s
}

// RoleFor is the "<provider ARN>,<role ARN>" value a group gives under
// the app's mapping, or "" when the group maps to no role.
func (f AWSFederation) RoleFor(group string) string {
	m, err := AWSRoleMapper(f.SAML().Attributes[0])
	if err != nil {
		return ""
	}
	return m(group)
}

// AWSRoleMapper compiles an AttributeAWSRoles statement: the returned
// function gives a group name's Role value, or "" when the filter does not
// match it.
func AWSRoleMapper(st AttributeStatement) (func(group string) string, error) {
	if len(st.FilterValue) > 1024 || len(st.Values) == 0 {
		return nil, validationError([]string{"filterValue: An AWS_ROLES statement needs a filter of at most 1024 bytes and a pattern"})
	}
	re, err := regexp.Compile(`^(?:` + st.FilterValue + `)$`)
	if err != nil {
		return nil, validationError([]string{"filterValue: Not a valid regular expression"})
	}
	defaultAccount := ""
	if len(st.Values) > 1 {
		defaultAccount = st.Values[1]
	}
	roleAt, accountAt := re.SubexpIndex("role"), re.SubexpIndex("accountid")
	return func(group string) string {
		m := re.FindStringSubmatch(group)
		if m == nil || roleAt < 0 {
			return ""
		}
		account := defaultAccount
		if accountAt > 0 && m[accountAt] != "" {
			if defaultAccount != "" && m[accountAt] != defaultAccount {
				return "" // a group naming another account than the statement's one
			}
			account = m[accountAt]
		}
		if m[roleAt] == "" || account == "" {
			return ""
		}
		return strings.NewReplacer("${accountid}", account, "${role}", m[roleAt]).Replace(st.Values[0])
	}, nil
}
