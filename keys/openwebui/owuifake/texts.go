package owuifake

// Detail texts, copied exactly from Open WebUI's ERROR_MESSAGES (constants.py)
// and the literal strings the spec lists (openwebui-api.md §3). The texts are
// identical in 0.5.20 and 0.11.0.
const (
	DetailInvalidCred                 = "The email or password provided is incorrect. Please check for typos and try logging in again."
	DetailInvalidToken                = "Your session has expired or the token is invalid. Please sign in again."
	DetailUnauthorized                = "401 Unauthorized"
	DetailAccessProhibited            = "You do not have permission to access this resource. Please contact your administrator for assistance."
	DetailActionProhibited            = "The requested action has been restricted as a security measure."
	DetailAPIKeyNotFound              = "Oops! It looks like there's a hiccup. The API key is missing. Please make sure to provide a valid API key to access this feature."
	DetailAPIKeyNotAllowed            = "Use of API key is not enabled in the environment."
	DetailAPIKeyCreationNotAllowed    = "API key creation is not allowed in the environment."
	DetailCreateAPIKeyError           = "Oops! Something went wrong while creating your API key. Please try again later. If the issue persists, contact support for assistance."
	DetailRateLimitExceeded           = "API rate limit exceeded"
	DetailInvalidTrustedHeader        = "Your provider has not provided a trusted header. Please contact your administrator for assistance."
	DetailExistingUsers               = "You can't turn off authentication because there are existing users. If you want to disable WEBUI_AUTH, make sure your web interface doesn't have any existing users and is a fresh installation."
	DetailEndpointNotAllowed          = "API key not allowed to access this endpoint." // 0.6.37–0.8.x middleware
	DetailNotAuthenticated            = "Not authenticated"
	DetailRevokedToken                = "Invalid token"
	DetailUserMismatch                = "User mismatch. Please sign in again."
	DetailLDAPNotEnabled              = "LDAP authentication is not enabled"
	DetailLDAPFailed                  = "LDAP authentication failed."
	DetailLDAPUserNotFoundBefore0_6_1 = "400: User not found in the LDAP server"
	DetailMethodNotAllowed            = "Method Not Allowed"
)

// WebAppHTML is the page a real install serves for every GET that matches no
// API route (the built frontend is mounted at "/").
const WebAppHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<link rel="icon" type="image/png" href="/static/favicon.png" />
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, viewport-fit=cover" />
<title>Open WebUI</title>
</head>
<body data-sveltekit-preload-data="hover">
<div style="display: contents"></div>
</body>
</html>
`

// proxy502HTML is what nginx answers when the upstream is down.
const proxy502HTML = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.27.4</center>
</body>
</html>
`

// plainSiteHTML is an ordinary web site's page (not Open WebUI at all).
const plainSiteHTML = `<!DOCTYPE html>
<html><head><title>Welcome to nginx!</title></head>
<body><h1>Welcome to nginx!</h1><p>If you see this page, the nginx web server is successfully installed.</p></body>
</html>
`

// internalServerError is Starlette's plain-text answer to an unhandled exception.
const internalServerError = "Internal Server Error"
