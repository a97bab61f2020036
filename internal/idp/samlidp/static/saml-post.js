// Posts the SAML response to the app as soon as the page loads.
document.getElementById("saml-post").submit();
