// Loaded at the top of <body>, before anything is drawn: tells the NHS.UK
// stylesheet that scripts run, so components start in their scripted state.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
