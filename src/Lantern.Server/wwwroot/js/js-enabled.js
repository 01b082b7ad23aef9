// Marks the page as scripted before first paint, as nhsuk-frontend expects (a file, not inline, so the CSP needs no inline script).
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) document.body.classList.add('nhsuk-frontend-supported');
