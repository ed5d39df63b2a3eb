// The hello page's script: served by WEB from public/ (docs/api.md, "Static assets"). It marks
// the page as scripted, so a test (or a person) sees that it ran.
document.documentElement.dataset.scripted = "true";
