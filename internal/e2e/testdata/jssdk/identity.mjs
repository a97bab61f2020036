// Prints the caller identity of the profile in AWS_PROFILE, resolved the way
// a JS application would: the SSO credential provider reads the sso-session
// token cache, calls the SSO portal, and STS answers GetCallerIdentity.
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { fromSSO } from "@aws-sdk/credential-providers";

const sts = new STSClient({ credentials: fromSSO() });
const id = await sts.send(new GetCallerIdentityCommand({}));
console.log(JSON.stringify({ Arn: id.Arn, Account: id.Account, UserId: id.UserId }));
